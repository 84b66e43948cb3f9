// Normalisation for analysis. The extractor never works on the raw text: it works on a normalised
// copy (NFKC, Kangxi radicals -> CJK, traditional -> simplified, injected pinyin removed, white
// space collapsed, soft-wrapped lines joined, flattened one-line reports broken at their headings)
// and keeps, for every normalised character, the span of the original text it came from, so that
// every offset reported points into the ORIGINAL text.
import * as OpenCC from 'opencc-js/t2cn'

const t2s = OpenCC.Converter({ from: 'tw', to: 'cn' })

export interface Normalized {
  /** Normalised text: lines separated by a single "\n", no other white space. */
  text: string
  /** start[i] / end[i]: span in the original text of normalised character i. */
  start: Int32Array
  end: Int32Array
  /** Lines of `text` (start, end offsets, end exclusive, never empty). */
  lines: Line[]
}

export interface Line {
  s: number
  e: number
  /** An empty line (or a virtual paragraph break) precedes this line. */
  gap: boolean
}

// CJK Radicals Supplement look-alikes that NFKC leaves alone (the Kangxi block is handled by NFKC).
const RADICALS: Record<string, string> = {
  '⺀': '冫',
  '⺁': '厂',
  '⺃': '乚',
  '⺄': '乙',
  '⺅': '亻',
  '⺆': '冂',
  '⺈': '𠂊',
  '⺊': '卜',
  '⺋': '㔾',
  '⺌': '小',
  '⺍': '小',
  '⺎': '兀',
  '⺏': '尣',
  '⺐': '尢',
  '⺑': '𡯂',
  '⺒': '巳',
  '⺓': '幺',
  '⺔': '彑',
  '⺕': '彐',
  '⺖': '忄',
  '⺗': '心',
  '⺘': '扌',
  '⺙': '攵',
  '⺛': '旡',
  '⺜': '日',
  '⺝': '月',
  '⺞': '歺',
  '⺟': '母',
  '⺠': '民',
  '⺡': '氵',
  '⺢': '氺',
  '⺣': '灬',
  '⺤': '爫',
  '⺥': '爫',
  '⺦': '丬',
  '⺧': '牛',
  '⺨': '犭',
  '⺩': '王',
  '⺪': '疋',
  '⺫': '罒',
  '⺬': '示',
  '⺭': '礻',
  '⺮': '竹',
  '⺯': '糸',
  '⺰': '纟',
  '⺱': '罓',
  '⺲': '罒',
  '⺳': '网',
  '⺴': '罓',
  '⺵': '罓',
  '⺶': '羊',
  '⺷': '羊',
  '⺸': '羊',
  '⺹': '耂',
  '⺺': '聿',
  '⺻': '聿',
  '⺼': '月',
  '⺽': '臼',
  '⺾': '艹',
  '⺿': '艹',
  '⻀': '艹',
  '⻁': '虎',
  '⻂': '衤',
  '⻃': '覀',
  '⻄': '西',
  '⻅': '见',
  '⻆': '角',
  '⻇': '角',
  '⻈': '讠',
  '⻉': '贝',
  '⻊': '足',
  '⻋': '车',
  '⻌': '辶',
  '⻍': '辶',
  '⻎': '辶',
  '⻏': '阝',
  '⻐': '金',
  '⻑': '长',
  '⻒': '长',
  '⻓': '长',
  '⻔': '门',
  '⻕': '门',
  '⻖': '阝',
  '⻗': '雨',
  '⻘': '青',
  '⻙': '韦',
  '⻚': '页',
  '⻛': '风',
  '⻜': '飞',
  '⻝': '食',
  '⻞': '食',
  '⻟': '饣',
  '⻠': '饣',
  '⻡': '首',
  '⻢': '马',
  '⻣': '骨',
  '⻤': '鬼',
  '⻥': '鱼',
  '⻦': '鸟',
  '⻧': '卤',
  '⻨': '麦',
  '⻩': '黄',
  '⻪': '黾',
  '⻫': '齐',
  '⻬': '齐',
  '⻭': '齿',
  '⻮': '齿',
  '⻯': '龙',
  '⻰': '龙',
  '⻱': '龟',
  '⻲': '龟',
  '⻳': '龟',
  〇: '〇',
}

const charCache = new Map<string, string>()

/** Normalise one code point for analysis (may return 0..n characters). */
export function normChar(ch: string): string {
  const cached = charCache.get(ch)
  if (cached !== undefined) return cached
  const cp = ch.codePointAt(0)!
  let out: string
  if ((cp >= 0x2460 && cp <= 0x2473) || (cp >= 0x2776 && cp <= 0x2793)) {
    // circled numbers are enumeration markers: keep them recognisable (NFKC would make them digits)
    let n = cp >= 0x2776 ? (cp - 0x2776) % 10 : cp - 0x2460
    out = String.fromCharCode(0x2460 + n)
  } else if (cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0x2060 || cp === 0xfeff || cp === 0x00ad) {
    out = ''
  } else if (
    cp === 0x3000 ||
    cp === 0x00a0 ||
    cp === 0x09 ||
    cp === 0x0b ||
    cp === 0x0c ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x7c ||
    cp === 0xff5c
  ) {
    out = ' '
  } else {
    let n = ch.normalize('NFKC')
    if (n === '|') n = ' '
    const r = RADICALS[n]
    if (r) n = r
    let o = ''
    for (const c of n) {
      const code = c.codePointAt(0)!
      if (code >= 0x3400 && code <= 0x9fff) {
        const s = t2s(c)
        o += s.length === c.length ? s : c
      } else o += c
    }
    // a few look-alikes used in dates and numbers
    out = o === '○' || o === '◯' || o === '〇' ? '〇' : o
  }
  charCache.set(ch, out)
  return out
}

const TONE = /[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]/
const PINYIN_STICKY = /[(（]([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,8})[)）]/y
const PINYIN_TONED_GLOBAL = /[\u4e00-\u9fff][(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*[)）]/g

function isHan(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff)
}

const TOP_AHEAD = /(?:[一二三四五六七八九十]{1,3}[、.]|[(][一二三四五六七八九十]{1,3}[)])/y
const DATE_AHEAD =
  /(?:(?:19|20)\d\d年\d{1,2}月\d{1,2}日|(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}|[一二〇零O]{2}[一二三四五六七八九〇零O]{2}年)/y
const LINE_TOP_MARK = /^(?:[一二三四五六七八九十]{1,3}[、.]|[(][一二三四五六七八九十]{1,3}[)])/
const TERMINAL = /[。;:!?]/
/** Lines at least this long that end mid-sentence, in at least this share of a text's line breaks,
 *  mark a page whose lines were broken anywhere (pasted from a layout, not written so). */
const RAGGED_MIN = 15
const RAGGED_SHARE = 0.6
const PAGE_NO =
  /^(?:\d{1,3}(?: +\d{1,3})*|-+ *\d{1,3} *-+|—+ *\d{1,3} *—+|第 *\d{1,3} *页(?: *共 *\d{1,3} *页)?|共 *\d{1,3} *页|P\. *\d{1,3}|Page *\d{1,3}|\d{1,3} *\/ *\d{1,3})$/
const START_MARK =
  /^(?:[(][一二三四五六七八九十\d]{1,3}[)]|[一二三四五六七八九十]{1,3}[、.)]|\d{1,2}[、.)](?!\d)|[①-⑳]|其?[一二三四五六七八九十]{1,2}[是要]|第[一二三四五六七八九十]{1,2}|首先|其次|再次|最后)/

// Per-code-unit fast table for the BMP: 0 = not computed, 0xffff = use charCache, else the single
// normalised code unit + 1 (so that 0 stays "unknown"); 0xfffe = the character disappears.
const fast = new Uint16Array(65536)
function mapCode(code: number): number {
  const f = fast[code]
  if (f !== 0) return f
  const out = normChar(String.fromCharCode(code))
  let v: number
  if (out.length === 0) v = 0xfffe
  else if (out.length === 1 && out.charCodeAt(0) < 0xfffd) v = out.charCodeAt(0) + 1
  else v = 0xffff
  fast[code] = v
  return v
}

class Buf {
  c: Uint16Array
  st: Int32Array
  en: Int32Array
  n = 0
  constructor(cap: number) {
    this.c = new Uint16Array(cap)
    this.st = new Int32Array(cap)
    this.en = new Int32Array(cap)
  }
  /** reuse this buffer for a new text of about `cap` characters (huge texts get a buffer of their own) */
  reset(cap: number): Buf {
    if (cap > SCRATCH_MAX) return new Buf(cap)
    if (this.c.length < cap) {
      this.c = new Uint16Array(cap)
      this.st = new Int32Array(cap)
      this.en = new Int32Array(cap)
    }
    this.n = 0
    return this
  }
  push(code: number, s: number, e: number) {
    if (this.n === this.c.length) {
      const cap = this.c.length * 2 + 16
      const c = new Uint16Array(cap)
      c.set(this.c)
      this.c = c
      const st = new Int32Array(cap)
      st.set(this.st)
      this.st = st
      const en = new Int32Array(cap)
      en.set(this.en)
      this.en = en
    }
    this.c[this.n] = code
    this.st[this.n] = s
    this.en[this.n] = e
    this.n++
  }
  str(): string {
    return codesToString(this.c, this.n)
  }
}

function codesToString(c: Uint16Array, n: number): string {
  return utf16.decode(c.subarray(0, n))
}
const utf16 = new TextDecoder('utf-16le')

const SP = 0x20,
  NL = 0x0a
/** scratch buffers are kept between calls only up to this many characters (about 10 MB of memory) */
const SCRATCH_MAX = 1 << 20
const scratch1 = new Buf(1024)
const scratch2 = new Buf(1024)
const scratch3 = new Buf(1024)

export function normalize(original: string): Normalized {
  const { b1, t1, identity } = pass1(original)
  const { b2, vl } = pass2(t1, b1, identity)
  return assemble(b2, vl)
}

interface VLine {
  s: number
  e: number
  gap: boolean
  real: number
}

function pass1(original: string): { b1: Buf; t1: string; identity: boolean } {
  const n = original.length
  const b1 = scratch1.reset(n + 16)
  PINYIN_TONED_GLOBAL.lastIndex = 0
  let toned = 0
  while (PINYIN_TONED_GLOBAL.exec(original) && ++toned < 3);
  const hasToned = toned >= 3
  const mayHavePinyin = toned > 0 || /[(（][a-z]{1,6}[)）]/.test(original)
  // Fast path: most texts are already normalised character by character.
  let ident = 0
  if (!mayHavePinyin) {
    while (ident < n) {
      const code = original.charCodeAt(ident)
      if (code < 0x80) {
        if (code === 0x0d || code === 0x09 || code === 0x0b || code === 0x0c || code === 0x7c) break
      } else {
        if (code >= 0xd800 && code <= 0xdfff) break
        let v = fast[code]
        if (v === 0) v = mapCode(code)
        if (v !== code + 1) break
      }
      ident++
    }
  }
  if (ident === n) return { b1, t1: original, identity: true }
  for (let k = 0; k < ident; k++) {
    b1.c[k] = original.charCodeAt(k)
    b1.st[k] = k
    b1.en[k] = k + 1
  }
  b1.n = ident
  let lastHan = false
  if (ident > 0) {
    const c = original.charCodeAt(ident - 1)
    lastHan = c >= 0x4e00 && c <= 0x9fff
  }
  for (let i = ident; i < n;) {
    const code = original.charCodeAt(i)
    if (code < 0x80) {
      if (code === 0x0d) {
        if (original.charCodeAt(i + 1) !== 0x0a) b1.push(NL, i, i + 1)
        i++
        lastHan = false
        continue
      }
      if (code === 0x28 && lastHan && mayHavePinyin && tryPinyin(original, i, hasToned, b1)) {
        i = PINYIN_STICKY.lastIndex
        continue
      }
      if (b1.n < b1.c.length) {
        const k = b1.n++
        b1.c[k] = code === 0x09 || code === 0x0b || code === 0x0c || code === 0x7c ? SP : code
        b1.st[k] = i
        b1.en[k] = i + 1
      } else b1.push(code === 0x09 || code === 0x0b || code === 0x0c || code === 0x7c ? SP : code, i, i + 1)
      lastHan = false
      i++
      continue
    }
    if (code === 0xff08 && lastHan && mayHavePinyin && tryPinyin(original, i, hasToned, b1)) {
      i = PINYIN_STICKY.lastIndex
      continue
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
      const out = normChar(original.slice(i, i + 2))
      for (let k = 0; k < out.length; k++) b1.push(out.charCodeAt(k), i, i + 2)
      lastHan = false
      i += 2
      continue
    }
    let v = fast[code]
    if (v === 0) v = mapCode(code)
    if (v < 0xfffe && b1.n < b1.c.length) {
      const k = b1.n++
      b1.c[k] = v - 1
      b1.st[k] = i
      b1.en[k] = i + 1
    } else if (v === 0xffff) {
      const out = normChar(original[i])
      for (let k = 0; k < out.length; k++) b1.push(out.charCodeAt(k), i, i + 1)
    } else if (v !== 0xfffe) b1.push(v - 1, i, i + 1)
    lastHan = code >= 0x4e00 && code <= 0x9fff
    i++
  }
  return { b1, t1: b1.str(), identity: false }
}

function pass2(t1: string, b1: Buf, identity: boolean): { b2: Buf; vl: VLine[] } {
  const st1 = b1.st,
    en1 = b1.en

  // ---- pass 2: white space, virtual breaks -------------------------------------------------
  // b2 holds virtual lines separated by "\n"; vl records them
  const b2 = scratch2.reset(t1.length + 16)
  const vl: VLine[] = []
  let realNo = 0
  let pendingGap = false
  let pos = 0
  const L1 = t1.length
  while (pos <= L1) {
    let nl = t1.indexOf('\n', pos)
    if (nl < 0) nl = L1
    let a = pos,
      b = nl
    while (a < b && t1.charCodeAt(a) === SP) a++
    while (b > a && t1.charCodeAt(b - 1) === SP) b--
    if (a >= b) {
      pendingGap = true
    } else if (b - a <= 24 && PAGE_NO.test(t1.slice(a, b))) {
      // page numbers and running page headers of paginated documents: not text
    } else {
      let vs = b2.n
      let curIsTop = LINE_TOP_MARK.test(t1.slice(a, Math.min(b, a + 6)))
      let headChars = 0
      let headPunct = false
      for (let k = a; k < b; k++) {
        const c = t1.charCodeAt(k)
        if (c === SP) {
          let r = k
          while (r < b && t1.charCodeAt(r) === SP) r++
          let brk = false
          if (b2.n > vs) {
            const prev = b2.c[b2.n - 1]
            if (prev === 0x3002 || prev === 0x3b || prev === 0x3a || prev === 0x21 || prev === 0x3f) brk = true
            if (!brk) {
              TOP_AHEAD.lastIndex = r
              if (TOP_AHEAD.test(t1)) brk = true
            }
            if (!brk) {
              DATE_AHEAD.lastIndex = r
              if (DATE_AHEAD.test(t1)) brk = true
            }
            if (!brk && curIsTop && headChars >= 4 && !headPunct) brk = true
          }
          if (brk) {
            vl.push({ s: vs, e: b2.n, gap: pendingGap, real: realNo })
            pendingGap = false
            const pe = identity ? k : en1[k - 1]
            b2.push(NL, pe, pe)
            vs = b2.n
            TOP_AHEAD.lastIndex = r
            curIsTop = TOP_AHEAD.test(t1)
            headChars = 0
            headPunct = false
          }
          k = r - 1
          continue
        }
        if (b2.n < b2.c.length) {
          const q = b2.n++
          b2.c[q] = c
          b2.st[q] = identity ? k : st1[k]
          b2.en[q] = identity ? k + 1 : en1[k]
        } else b2.push(c, identity ? k : st1[k], identity ? k + 1 : en1[k])
        headChars++
        if (c === 0x3002 || c === 0x2c || c === 0x3b || c === 0x3a || c === 0x21 || c === 0x3f) headPunct = true
      }
      if (b2.n > vs) {
        vl.push({ s: vs, e: b2.n, gap: pendingGap, real: realNo })
        pendingGap = false
        b2.push(NL, b2.en[b2.n - 1], b2.en[b2.n - 1])
      }
    }
    realNo++
    pos = nl + 1
  }
  return { b2, vl }
}

function assemble(b2: Buf, vl: VLine[]): Normalized {
  const t2 = b2.str()

  // ---- soft-wrap detection (PDF-like fixed-width lines) ------------------------------------
  const lens = vl.map(v => v.e - v.s)
  const long = lens.filter(l => l >= 12).sort((x, y) => x - y)
  let W = 0
  if (long.length >= 5) {
    const p80 = long[Math.floor(long.length * 0.8)]
    let near = 0
    for (const l of long) if (l >= p80 - 3 && l <= p80 + 2) near++
    if (p80 <= 80 && near >= Math.max(4, long.length * 0.35)) W = p80
  }
  const join = new Uint8Array(vl.length)
  for (let i = 0; i + 1 < vl.length; i++) {
    const nx = vl[i + 1]
    const v = vl[i]
    if (nx.gap || nx.real === v.real) continue
    const last = t2[v.e - 1]
    if (TERMINAL.test(last) || last === '”' || last === '」') continue
    if (START_MARK.test(t2.slice(nx.s, Math.min(nx.e, nx.s + 8)))) continue
    if (last === ',' || last === '、') {
      join[i] = 1
      continue
    }
    const len = v.e - v.s
    if (W && len >= W - 3 && len <= W + 3) join[i] = 1
  }
  // ---- ragged hard wraps (lines broken anywhere, at no common width) ----------------------
  if (!W) {
    let long = 0
    let open = 0
    const openAt: number[] = []
    for (let i = 0; i + 1 < vl.length; i++) {
      const v = vl[i]
      const nx = vl[i + 1]
      if (v.e - v.s < RAGGED_MIN || nx.gap || nx.real === v.real) continue
      long++
      const last = t2[v.e - 1]
      if (TERMINAL.test(last) || last === '”' || last === '」' || last === ',' || last === '、') continue
      if (START_MARK.test(t2.slice(nx.s, Math.min(nx.e, nx.s + 8)))) continue
      // a numbered heading ("（一）政府信息公开平台建设") is no broken sentence
      const head = t2.slice(v.s, v.e)
      if (START_MARK.test(head.slice(0, 8)) && !/[,;]/.test(head)) continue
      open++
      openAt.push(i)
    }
    if (long >= 5 && open >= long * RAGGED_SHARE) for (const i of openAt) join[i] = 1
  }

  // ---- assemble: drop the "\n" of joined lines ----------------------------------------------
  let anyJoin = false
  for (let i = 0; i < join.length; i++) if (join[i]) anyJoin = true
  if (!anyJoin) {
    // nothing joined: the virtual lines are the lines (drop the final "\n")
    const nOut = b2.n > 0 && b2.c[b2.n - 1] === NL ? b2.n - 1 : b2.n
    const linesOut: Line[] = vl.map((v, i) => ({ s: v.s, e: v.e, gap: v.gap || (i > 0 && v.real === vl[i - 1].real) }))
    return { text: t2.slice(0, nOut), start: b2.st.slice(0, nOut), end: b2.en.slice(0, nOut), lines: linesOut }
  }
  const b3 = scratch3.reset(b2.n + 1)
  const lines: Line[] = []
  let lineStart = 0
  let gap = false
  for (let i = 0; i < vl.length; i++) {
    const v = vl[i]
    if (i === 0 || !join[i - 1]) {
      lineStart = b3.n
      gap = v.gap || (i > 0 && v.real === vl[i - 1].real)
    }
    for (let k = v.s; k < v.e; k++) b3.push(b2.c[k], b2.st[k], b2.en[k])
    if (!join[i]) {
      lines.push({ s: lineStart, e: b3.n, gap })
      if (i + 1 < vl.length) {
        const p = b3.n ? b3.en[b3.n - 1] : 0
        b3.push(NL, p, p)
      }
    }
  }
  return { text: b3.str(), start: b3.st.slice(0, b3.n), end: b3.en.slice(0, b3.n), lines }
}

function tryPinyin(original: string, i: number, hasToned: boolean, b1: Buf): boolean {
  PINYIN_STICKY.lastIndex = i
  const m = PINYIN_STICKY.exec(original)
  if (!m) return false
  if (!(TONE.test(m[1]) || (hasToned && /^[a-zü]+$/.test(m[1]) && /[aeiouü]/.test(m[1])))) return false
  // injected pinyin: drop it, attach its span to the preceding character
  if (b1.n) b1.en[b1.n - 1] = i + m[0].length
  return true
}

/** Map a normalised span [s, e) to the original text span. */
export function toOriginal(nz: Normalized, s: number, e: number): [number, number] {
  if (e <= s) return [nz.start[s] ?? 0, nz.start[s] ?? 0]
  return [nz.start[s], nz.end[e - 1]]
}
