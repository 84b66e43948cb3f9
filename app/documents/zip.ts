// Minimal, defensive ZIP reader for .docx: reads the central directory itself and inflates only the
// entries asked for, in small chunks, counting real output bytes, so a zip bomb (including one whose
// directory lies about sizes) is stopped before it can use much memory or time.
import { Inflate } from 'fflate'

export interface ZipEntry {
  name: string
  method: number
  flags: number
  compressedSize: number
  size: number
  localOffset: number
}

/** Thrown for structural problems; the caller turns it into a DocumentError. */
export class ZipError extends Error {
  constructor(
    readonly kind: 'corrupt' | 'bomb' | 'too_large' | 'encrypted',
    message: string,
  ) {
    super(message)
  }
}

export const ZIP_LIMITS = {
  maxEntries: 10_000,
  /** Sum of all declared uncompressed sizes. */
  maxTotalDeclared: 200 * 1024 * 1024,
  /** Entries above this size must not have an absurd compression ratio. */
  ratioCheckAbove: 10 * 1024 * 1024,
  maxRatio: 100,
}

function u16(b: Uint8Array, o: number): number {
  if (o + 2 > b.length) throw new ZipError('corrupt', 'truncated')
  return b[o] | (b[o + 1] << 8)
}
function u32(b: Uint8Array, o: number): number {
  if (o + 4 > b.length) throw new ZipError('corrupt', 'truncated')
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000
}
function u64(b: Uint8Array, o: number): number {
  const lo = u32(b, o)
  const hi = u32(b, o + 4)
  if (hi > 0x1fffff) throw new ZipError('corrupt', 'zip64 value out of range')
  return hi * 0x100000000 + lo
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5 || bytes[2] === 7)
}

/** `limits`: a batch import (app/reports/import.server.ts) allows more entries and a larger total than a .docx. */
export function readCentralDirectory(bytes: Uint8Array, limits: { maxEntries: number; maxTotalDeclared: number } = ZIP_LIMITS): ZipEntry[] {
  const n = bytes.length
  if (n < 22) throw new ZipError('corrupt', 'too short')
  let eocd = -1
  for (let i = n - 22; i >= 0 && i >= n - 22 - 65535; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 5 && bytes[i + 3] === 6) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new ZipError('corrupt', 'no end of central directory')
  let count = u16(bytes, eocd + 10)
  let cdOffset = u32(bytes, eocd + 16)
  if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && u32(bytes, eocd - 20) === 0x07064b50) {
    const z = u64(bytes, eocd - 12)
    if (u32(bytes, z) !== 0x06064b50) throw new ZipError('corrupt', 'bad zip64 record')
    count = u64(bytes, z + 32)
    cdOffset = u64(bytes, z + 48)
  }
  if (count > limits.maxEntries) throw new ZipError('bomb', `too many entries (${count})`)
  const entries: ZipEntry[] = []
  let o = cdOffset
  let totalDeclared = 0
  const dec = new TextDecoder('utf-8')
  for (let i = 0; i < count; i++) {
    if (u32(bytes, o) !== 0x02014b50) throw new ZipError('corrupt', 'bad central directory entry')
    const flags = u16(bytes, o + 8)
    const method = u16(bytes, o + 10)
    let compressedSize = u32(bytes, o + 20)
    let size = u32(bytes, o + 24)
    const nameLen = u16(bytes, o + 28)
    const extraLen = u16(bytes, o + 30)
    const commentLen = u16(bytes, o + 32)
    let localOffset = u32(bytes, o + 42)
    if (o + 46 + nameLen > n) throw new ZipError('corrupt', 'truncated name')
    const name = dec.decode(bytes.subarray(o + 46, o + 46 + nameLen))
    // Zip64 extra field.
    let e = o + 46 + nameLen
    const eEnd = e + extraLen
    while (e + 4 <= eEnd) {
      const id = u16(bytes, e)
      const len = u16(bytes, e + 2)
      if (id === 1) {
        let p = e + 4
        if (size === 0xffffffff) ((size = u64(bytes, p)), (p += 8))
        if (compressedSize === 0xffffffff) ((compressedSize = u64(bytes, p)), (p += 8))
        if (localOffset === 0xffffffff) localOffset = u64(bytes, p)
      }
      e += 4 + len
    }
    o = eEnd + commentLen
    totalDeclared += size
    entries.push({ name, method, flags, compressedSize, size, localOffset })
  }
  if (totalDeclared > limits.maxTotalDeclared) throw new ZipError('too_large', 'declared total too large')
  for (const e of entries) {
    if (e.size > ZIP_LIMITS.ratioCheckAbove && e.size > e.compressedSize * ZIP_LIMITS.maxRatio) {
      throw new ZipError('bomb', `entry ${e.name} ratio ${Math.round(e.size / Math.max(1, e.compressedSize))}`)
    }
  }
  return entries
}

class OverLimit extends Error {}

/**
 * Inflates one entry. Stops with ZipError when the real output exceeds `limit` or the declared size
 * (a directory that lies about sizes is itself a sign of a bomb).
 */
export function extractEntry(bytes: Uint8Array, entry: ZipEntry, limit: number): Uint8Array {
  if (entry.flags & 1) throw new ZipError('encrypted', 'encrypted entry')
  const lo = entry.localOffset
  if (u32(bytes, lo) !== 0x04034b50) throw new ZipError('corrupt', 'bad local header')
  const start = lo + 30 + u16(bytes, lo + 26) + u16(bytes, lo + 28)
  const end = start + entry.compressedSize
  if (end > bytes.length) throw new ZipError('corrupt', 'entry data truncated')
  const data = bytes.subarray(start, end)
  const cap = Math.min(limit, entry.size)
  if (entry.method === 0) {
    if (data.length > limit) throw new ZipError('too_large', 'entry too large')
    return data.slice()
  }
  if (entry.method !== 8) throw new ZipError('corrupt', `unsupported compression ${entry.method}`)
  const chunks: Uint8Array[] = []
  let total = 0
  let done = false
  const inf = new Inflate((chunk, final) => {
    total += chunk.length
    if (total > cap) throw new OverLimit()
    chunks.push(chunk)
    if (final) done = true
  })
  const STEP = 4 * 1024
  try {
    if (data.length === 0) inf.push(new Uint8Array(0), true)
    for (let p = 0; p < data.length; p += STEP) inf.push(data.subarray(p, p + STEP), p + STEP >= data.length)
  } catch (err) {
    if (err instanceof OverLimit) {
      throw total > entry.size ? new ZipError('bomb', 'entry larger than declared') : new ZipError('too_large', 'entry too large')
    }
    throw new ZipError('corrupt', `inflate failed: ${(err as Error)?.message ?? err}`)
  }
  if (!done && total === 0 && entry.size > 0) throw new ZipError('corrupt', 'no data')
  const out = new Uint8Array(total)
  let p = 0
  for (const c of chunks) {
    out.set(c, p)
    p += c.length
  }
  return out
}
