// Random and truncated inputs under every extension: the decoder must answer with text or a
// DocumentError, never anything else, and never hang.
import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DocumentError, decodeDocument } from './decode'

const FIXTURES = new URL('../../tests/fixtures/documents/', import.meta.url)
const EXTENSIONS = ['txt', 'html', 'htm', 'docx', 'doc', 'pdf', 'exe', 'png', 'zip', 'xlsx', '']

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function mustBeTextOrDocumentError(bytes: Uint8Array, filename: string) {
  const t0 = Date.now()
  try {
    const doc = await decodeDocument({ bytes, filename })
    expect(typeof doc.text).toBe('string')
    expect(doc.text).not.toContain('\u0000')
    expect(doc.text).not.toContain('\r')
  } catch (e) {
    if (!(e instanceof DocumentError)) throw new Error(`${filename}: threw ${String((e as Error)?.stack ?? e)}`)
    expect(e.message).toMatch(/[\u4e00-\u9fff]/)
  }
  const ms = Date.now() - t0
  if (ms > 10_000) throw new Error(`${filename} took ${ms} ms`)
}

describe('fuzz', () => {
  it('random bytes with every extension', async () => {
    const rnd = prng(20240601)
    const t0 = Date.now()
    for (let i = 0; i < 60; i++) {
      const len = Math.floor(rnd() * 3000)
      const bytes = Uint8Array.from({ length: len }, () => Math.floor(rnd() * 256))
      // Some start like the format they claim to be.
      if (i % 3 === 1 && len > 8) bytes.set([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34])
      if (i % 3 === 2 && len > 4) bytes.set([0x50, 0x4b, 0x03, 0x04])
      for (const ext of EXTENSIONS) await mustBeTextOrDocumentError(bytes, `random${i}.${ext}`)
    }
    expect(Date.now() - t0).toBeLessThan(60_000)
  }, 120_000)

  it('every fixture truncated and bit-flipped, under its own and other extensions', async () => {
    const rnd = prng(7)
    const names = readdirSync(FIXTURES).filter(n => !n.endsWith('.ts') && !n.startsWith('bomb'))
    for (const name of names) {
      const orig = new Uint8Array(readFileSync(new URL(name, FIXTURES)))
      const ext = name.split('.').pop()!
      for (let k = 0; k < 6; k++) {
        const cut = orig.subarray(0, Math.floor(rnd() * orig.length))
        await mustBeTextOrDocumentError(cut, `cut-${name}`)
        const flipped = orig.slice()
        for (let j = 0; j < 1 + Math.floor(rnd() * 8) && flipped.length; j++)
          flipped[Math.floor(rnd() * flipped.length)] ^= 1 << Math.floor(rnd() * 8)
        await mustBeTextOrDocumentError(flipped, `flip-${name}`)
      }
      for (const other of ['txt', 'html', 'docx', 'pdf'])
        if (other !== ext) await mustBeTextOrDocumentError(orig, `renamed-${name}.${other}`)
    }
  }, 120_000)

  it('odd file names', async () => {
    const bytes = Buffer.from('正文')
    for (const filename of [
      '',
      '.',
      '..txt',
      '.txt',
      'a.',
      'a.TXT',
      'a.txt.exe',
      'x'.repeat(5000) + '.txt',
      'a\u0000b.txt',
      '../../etc/passwd',
      null as unknown as string,
    ]) {
      await mustBeTextOrDocumentError(bytes, filename)
    }
  })
})
