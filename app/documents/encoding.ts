// Detects the character encoding of plain-text bytes and decodes them.
// Order: byte-order mark → UTF-16 by NUL pattern → strict UTF-8 → score candidate decodings
// (GB18030, Big5, UTF-16, lenient UTF-8, chardet's guess) by how much they look like real text.
import iconv from 'iconv-lite'
import chardet from 'chardet'
import { COMMON_CJK } from './common-chars'
import { DocumentError, displayName } from './errors'

export interface TextDecoding {
  text: string
  /** Display name: "UTF-8", "GB18030", "Big5", "UTF-16LE", "UTF-16BE", … */
  encoding: string
}

const COMMON = new Set<number>()
for (const ch of COMMON_CJK) COMMON.add(ch.codePointAt(0)!)

/** How many bytes of a file are looked at when choosing between candidate encodings. */
const SAMPLE_BYTES = 256 * 1024

/** iconv-lite name and display name of every encoding we may pick. */
interface Candidate {
  iconv: string
  name: string
}
const GB18030: Candidate = { iconv: 'gb18030', name: 'GB18030' }
const BIG5: Candidate = { iconv: 'big5hkscs', name: 'Big5' }
const UTF16LE: Candidate = { iconv: 'utf16le', name: 'UTF-16LE' }
const UTF16BE: Candidate = { iconv: 'utf16be', name: 'UTF-16BE' }
const UTF8: Candidate = { iconv: 'utf8', name: 'UTF-8' }

/** Maps a charset label (from <meta charset>, HTTP, chardet) to one we decode with, or null if unknown. */
export function normalizeCharset(label: string | null | undefined): Candidate | null {
  if (!label) return null
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '')
  if (!l) return null
  if (/^(utf-?8|unicode-1-1-utf-8|utf8)$/.test(l)) return UTF8
  if (/^(gb2312|gbk|gb18030|gb_2312-80|x-gbk|cp936|ms936|windows-936|euc-cn|csgb2312|chinese|iso-ir-58|hz-gb-2312)$/.test(l)) return GB18030
  if (/^(big5|big5-hkscs|big5hkscs|cn-big5|x-x-big5|csbig5|cp950|ms950|windows-950|x-euc-tw)$/.test(l)) return BIG5
  if (/^(utf-?16le|utf-?16|unicode|ucs-2|csunicode|iso-10646-ucs-2|unicodefeff)$/.test(l)) return UTF16LE
  if (/^(utf-?16be|unicodefffe)$/.test(l)) return UTF16BE
  // Browsers treat these as windows-1252.
  if (/^(iso-8859-1|latin1|l1|us-ascii|ascii|ansi_x3\.4-1968|cp1252|windows-1252|iso_8859-1)$/.test(l))
    return { iconv: 'windows-1252', name: 'windows-1252' }
  try {
    if (iconv.encodingExists(l)) return { iconv: l, name: label.trim() }
  } catch {
    /* unknown label */
  }
  return null
}

/** Removes a leading BOM and NULs, and turns every line break (CRLF, CR, form feed, LS, PS, NEL, VT) into \n. */
export function cleanText(text: string): string {
  let t = text
  if (t.charCodeAt(0) === 0xfeff) t = t.slice(1)
  if (t.includes('\u0000')) t = t.replace(/\u0000/g, '')
  if (/[\r\f\v\u0085\u2028\u2029]/.test(t)) t = t.replace(/\r\n?|[\f\v\u0085\u2028\u2029]/g, '\n')
  return t
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Strict UTF-8; tolerates a multi-byte sequence cut off at the very end (dropped). Null if not UTF-8. */
export function tryUtf8(bytes: Uint8Array): string | null {
  try {
    return fatalUtf8.decode(bytes)
  } catch {
    /* fall through */
  }
  // A truncated file may end inside a character: find the last lead byte in the final 3 bytes.
  const n = bytes.length
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back]
    if ((b & 0xc0) === 0x80) continue // continuation byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    if (need > back) {
      try {
        return fatalUtf8.decode(bytes.subarray(0, n - back))
      } catch {
        return null
      }
    }
    return null
  }
  return null
}

function decodeWith(c: Candidate, bytes: Uint8Array): string {
  if (c === UTF8) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
  return iconv.decode(toBuffer(bytes), c.iconv, { stripBOM: false })
}

export interface TextStats {
  /** Non-whitespace characters. */
  total: number
  /** Replacement characters, control characters, private-use code points, lone surrogates. */
  bad: number
  /** CJK unified ideographs (incl. extension A). */
  cjk: number
  /** Of those, the very common ones (simplified or traditional). */
  common: number
  /** Printable ASCII. */
  ascii: number
  /** CJK and full-width punctuation. */
  punct: number
  other: number
}

export function textStats(s: string, limit = Infinity): TextStats {
  const st: TextStats = { total: 0, bad: 0, cjk: 0, common: 0, ascii: 0, punct: 0, other: 0 }
  const n = Math.min(s.length, limit)
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i)
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x3000 || c === 0x0c || c === 0xa0) continue
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000
        i++
      } else c = 0xfffd
    } else if (c >= 0xdc00 && c <= 0xdfff) c = 0xfffd
    if (c === 0) continue // stray NULs (padding) are stripped later; binary is caught by other controls
    st.total++
    if (c === 0xfffd || c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000) st.bad++
    else if (c < 0x7f) st.ascii++
    else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) {
      st.cjk++
      if (COMMON.has(c)) st.common++
    } else if ((c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2460 && c <= 0x24ff))
      st.punct++
    else st.other++
  }
  return st
}

/** Higher is more like real (Chinese or Latin) text. */
export function textScore(st: TextStats): number {
  if (st.total === 0) return 0
  return (3 * st.common + (st.cjk - st.common) + st.ascii + st.punct + 0.2 * st.other - 8 * st.bad) / st.total
}

/** True when decoded text is clearly not text: control characters, replacement characters, rare-glyph soup. */
export function looksLikeGarbage(st: TextStats): boolean {
  if (st.total === 0) return false
  if ((st.bad > 2 && st.bad / st.total > 0.01) || st.bad / st.total > 0.1) return true
  // Real Chinese uses the ~900 most common characters for well over half its ideographs;
  // bytes decoded with the wrong encoding land on them only a few percent of the time.
  if (st.cjk >= 20 && st.common / st.cjk < 0.25) return true
  // Mostly symbols and letters from random scripts.
  if (st.total >= 20 && (st.other + st.bad) / st.total > 0.5) return true
  return false
}

/** Guesses UTF-16 without BOM from where the NUL bytes are (ASCII characters have a zero high byte). */
function utf16ByNuls(bytes: Uint8Array): Candidate | null {
  const n = Math.min(bytes.length, 8192) & ~1
  if (n < 4) return null
  let even = 0
  let odd = 0
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++
    if (bytes[i + 1] === 0) odd++
  }
  const pairs = n / 2
  if (odd >= pairs * 0.1 && even <= odd * 0.05) return UTF16LE
  if (even >= pairs * 0.1 && odd <= even * 0.05) return UTF16BE
  return null
}

function bomOf(bytes: Uint8Array): { c: Candidate; skip: number } | null {
  const [a, b, c, d] = bytes
  if (a === 0xef && b === 0xbb && c === 0xbf) return { c: UTF8, skip: 3 }
  if (a === 0xff && b === 0xfe && c === 0 && d === 0 && bytes.length % 4 === 0)
    return { c: { iconv: 'utf32le', name: 'UTF-32LE' }, skip: 4 }
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { c: { iconv: 'utf32be', name: 'UTF-32BE' }, skip: 4 }
  if (a === 0xff && b === 0xfe) return { c: UTF16LE, skip: 2 }
  if (a === 0xfe && b === 0xff) return { c: UTF16BE, skip: 2 }
  if (a === 0x84 && b === 0x31 && c === 0x95 && d === 0x33) return { c: GB18030, skip: 4 }
  return null
}

function encodingError(filename: string): DocumentError {
  return new DocumentError(
    'encoding',
    `无法识别文件“${displayName(filename)}”的文字编码，内容可能不是文本或已损坏。请另存为 UTF-8 编码的文本后再上传。`,
  )
}

/**
 * Decodes text bytes. `declared` is a charset label found in the document (HTML <meta>); it is used
 * when the bytes decode cleanly with it, otherwise detection decides.
 * Returns raw decoded text (not yet cleaned).
 */
export function decodeTextBytes(bytes: Uint8Array, filename: string, declared?: string | null): TextDecoding {
  const bom = bomOf(bytes)
  if (bom) {
    const text = decodeWith(bom.c, bytes.subarray(bom.skip))
    const st = textStats(text, 200_000)
    if (looksLikeGarbage(st)) throw encodingError(filename)
    return { text, encoding: bom.c.name }
  }

  const utf16 = utf16ByNuls(bytes)
  if (utf16) {
    const text = decodeWith(utf16, bytes)
    if (!looksLikeGarbage(textStats(text, 200_000))) return { text, encoding: utf16.name }
  }

  const utf8 = tryUtf8(bytes)
  if (utf8 !== null) {
    if (looksLikeGarbage(textStats(utf8, 200_000))) throw encodingError(filename)
    return { text: utf8, encoding: 'UTF-8' }
  }

  const declaredC = normalizeCharset(declared)
  if (declaredC && declaredC !== UTF8) {
    const text = decodeWith(declaredC, bytes)
    const st = textStats(text, 200_000)
    if (st.bad === 0 && !looksLikeGarbage(st)) return { text, encoding: declaredC.name }
  }

  // Score candidate decodings on a sample; chardet's guess only joins when none of ours looks right.
  const sample = bytes.length <= SAMPLE_BYTES ? bytes : bytes.subarray(0, SAMPLE_BYTES)
  const whole = sample === bytes
  const candidates: Candidate[] = [GB18030, BIG5, UTF8]
  if (bytes.length % 2 === 0 || !whole) candidates.push(UTF16LE, UTF16BE)
  if (declaredC && !candidates.includes(declaredC)) candidates.push(declaredC)
  let best: { c: Candidate; score: number; text: string; stats: TextStats } | null = null
  const consider = (c: Candidate) => {
    let text: string
    try {
      text = decodeWith(c, sample)
    } catch {
      return
    }
    // The sample may end inside a character: ignore the last few.
    const stats = textStats(whole ? text : text.slice(0, -2))
    const score = textScore(stats)
    if (!best || score > best.score) best = { c, score, text, stats }
  }
  for (const c of candidates) consider(c)
  if (!best || looksLikeGarbage((best as { stats: TextStats }).stats)) {
    try {
      const gc = normalizeCharset(chardet.detect(sample))
      if (gc && !candidates.some(c => c.iconv === gc.iconv)) consider(gc)
    } catch {
      /* chardet is only a hint */
    }
  }
  if (!best) throw encodingError(filename)
  const chosen = best as { c: Candidate; text: string; stats: TextStats }
  if (whole) {
    if (looksLikeGarbage(chosen.stats)) throw encodingError(filename)
    return { text: chosen.text, encoding: chosen.c.name }
  }
  const text = decodeWith(chosen.c, bytes)
  if (looksLikeGarbage(textStats(text, 200_000))) throw encodingError(filename)
  return { text, encoding: chosen.c.name }
}

/** Quick check for binary formats people upload by mistake. Returns a Chinese type name or null. */
export function sniffBinaryType(bytes: Uint8Array): string | null {
  const b = bytes
  const starts = (...sig: number[]) => sig.every((v, i) => b[i] === v)
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'PDF'
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'ZIP 压缩包（或 Office 文档）'
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return '旧版 Office 文档（.doc/.xls/.ppt）'
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'PNG 图片'
  if (starts(0xff, 0xd8, 0xff)) return 'JPEG 图片'
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'GIF 图片'
  if (starts(0x42, 0x4d) && b.length > 26 && b[14] !== undefined && b[6] === 0 && b[7] === 0) return 'BMP 图片'
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'TIFF 图片'
  if (starts(0x4d, 0x5a)) return '可执行程序'
  if (starts(0x7f, 0x45, 0x4c, 0x46)) return '可执行程序'
  if (starts(0x52, 0x61, 0x72, 0x21)) return 'RAR 压缩包'
  if (starts(0x37, 0x7a, 0xbc, 0xaf)) return '7z 压缩包'
  if (starts(0x1f, 0x8b)) return 'gzip 压缩包'
  if (starts(0x7b, 0x5c, 0x72, 0x74, 0x66)) return 'RTF 文档'
  return null
}
