// Throughput of the extractor on one core, next to the time to only read and decode the same files.
//   npm run bench:extract [-- --docs 5000 --rounds 3]
// The corpus reports (tests/fixtures/corpus/*.txt, tests/fixtures/*.txt) are replicated in memory
// to at least --docs documents. Each document is made distinct (a numbered line is appended) so
// nothing can be answered from a cache keyed on the whole text.
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { decodeDocument } from '../../app/documents/decode'
import { extractReport } from '../../app/extract/index'

const args = process.argv.slice(2)
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name)
  return i >= 0 ? Number(args[i + 1]) : dflt
}
const N = opt('--docs', 5000)
const ROUNDS = opt('--rounds', 3)

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..')
const dirs = [path.join(root, 'tests/fixtures/corpus'), path.join(root, 'tests/fixtures')]
const seen = new Set<string>()
const files: string[] = []
for (const d of dirs) {
  if (!fs.existsSync(d)) continue
  for (const f of fs.readdirSync(d).sort()) {
    if (!f.endsWith('.txt') || seen.has(f)) continue
    seen.add(f)
    files.push(path.join(d, f))
  }
}
if (!files.length) {
  console.error('没有找到语料文件（tests/fixtures/corpus/*.txt）。')
  process.exit(1)
}

// documents: bytes as they would arrive, replicated to N (document i is a copy of file i mod n)
const base = files.map(f => fs.readFileSync(f))
const docs: { name: string; file: string; bytes: Uint8Array }[] = []
for (let i = 0; docs.length < N; i++) {
  const b = base[i % base.length]
  const tail = Buffer.from(`\n${i}\n`, 'utf8')
  docs.push({ name: `doc${i}.txt`, file: files[i % files.length], bytes: new Uint8Array(Buffer.concat([b, tail])) })
}
const totalBytes = docs.reduce((s, d) => s + d.bytes.byteLength, 0)

/** read each document's file from disk (page cache) and decode it: the ingest path before extraction */
async function readDecodeAll(): Promise<number> {
  let n = 0
  for (let i = 0; i < docs.length; i++) {
    const bytes = new Uint8Array(fs.readFileSync(docs[i].file))
    n += (await decodeDocument({ bytes, filename: docs[i].name })).text.length
  }
  return n
}
/** decode only, from bytes already in memory */
async function decodeAll(): Promise<string[]> {
  const out: string[] = new Array(docs.length)
  for (let i = 0; i < docs.length; i++) out[i] = (await decodeDocument({ bytes: docs[i].bytes, filename: docs[i].name })).text
  return out
}
function extractAll(texts: string[]): number {
  let items = 0
  for (const t of texts) items += extractReport(t).items.length
  return items
}

async function main() {
  // warm up both paths
  const warm = await decodeAll()
  extractAll(warm.slice(0, 500))
  await readDecodeAll()
  let bestRead = Infinity
  let bestDecode = Infinity
  let bestExtract = Infinity
  let texts: string[] = warm
  let items = 0
  for (let r = 0; r < ROUNDS; r++) {
    let t0 = performance.now()
    await readDecodeAll()
    bestRead = Math.min(bestRead, performance.now() - t0)
    t0 = performance.now()
    texts = await decodeAll()
    bestDecode = Math.min(bestDecode, performance.now() - t0)
    t0 = performance.now()
    items = extractAll(texts)
    bestExtract = Math.min(bestExtract, performance.now() - t0)
  }
  const mb = totalBytes / 1048576
  const fmt = (x: number, d = 0) => x.toFixed(d)
  const row = (name: string, ms: number, extra = '') =>
    `${name.padEnd(18)}: ${fmt(ms).padStart(6)} ms  ${fmt(docs.length / (ms / 1000)).padStart(6)} reports/s  ${fmt(mb / (ms / 1000), 1).padStart(5)} MB/s${extra}`
  const lines = [
    `corpus files: ${files.length}, documents: ${docs.length}, ${fmt(mb, 1)} MB, ${fmt(totalBytes / docs.length / 1024, 1)} KB/document (best of ${ROUNDS} rounds, one core, Node ${process.version})`,
    row('read+decode', bestRead),
    row('decode only', bestDecode),
    row('extract', bestExtract, `  (${items} items)`),
    `extract / read+decode: ${fmt(bestExtract / bestRead, 2)}x   (extract / decode only: ${fmt(bestExtract / bestDecode, 2)}x)`,
  ]
  console.log(lines.join('\n'))
}
main().catch(e => {
  console.error(e)
  process.exit(1)
})
