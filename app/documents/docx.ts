// Text of a Word .docx: one line per paragraph (tables included, a line per cell paragraph), manual
// line breaks kept, and automatic list numbers ("一、", "（1）", "①" …) written out, because reports
// often number their problems and commitments with Word's numbering rather than typed markers.
// The zip is read with our own bounded reader (zip.ts) and the XML is streamed through htmlparser2,
// so zip bombs and deeply nested XML cannot exhaust memory or the stack.
import { Tokenizer } from 'htmlparser2'
import { ZipError, extractEntry, readCentralDirectory, type ZipEntry } from './zip'

/** Upper bound on the inflated size of the XML parts we read. */
export const DOCX_XML_LIMIT = 100 * 1024 * 1024

export class DocxError extends Error {
  constructor(
    readonly kind: 'corrupt' | 'bomb' | 'too_large' | 'encrypted' | 'not_docx',
    message: string,
  ) {
    super(message)
  }
}

const utf8 = new TextDecoder('utf-8')

function xmlText(bytes: Uint8Array): string {
  let s = utf8.decode(bytes)
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1)
  return s
}

/**
 * Streams `xml` through htmlparser2's Tokenizer in XML mode. htmlparser2's Parser keeps its element
 * stack with unshift/indexOf, which is quadratic in nesting depth (a 9 KB .docx nested 200,000 deep
 * took two minutes); this keeps its own stack with push/pop, and a close tag that does not match one
 * of the innermost elements is ignored instead of searched for, so the work stays linear.
 */
function streamXml(
  xml: string,
  handlers: {
    open?: (name: string, attrs: Record<string, string>) => void
    close?: (name: string) => void
    text?: (t: string) => void
  },
): void {
  const CLOSE_SEARCH = 64
  const stack: string[] = []
  let tagName = ''
  let attribs: Record<string, string> = {}
  let attrName = ''
  let attrValue = ''
  const openElement = () => {
    stack.push(tagName)
    handlers.open?.(tagName, attribs)
  }
  const closeElement = (name: string) => {
    const floor = Math.max(0, stack.length - CLOSE_SEARCH)
    let at = -1
    for (let i = stack.length - 1; i >= floor; i--) {
      if (stack[i] === name) {
        at = i
        break
      }
    }
    if (at < 0) return
    // Elements left open inside it are closed with it, as the Parser would.
    while (stack.length > at) handlers.close?.(stack.pop()!)
  }
  const tokenizer = new Tokenizer(
    { xmlMode: true, decodeEntities: true },
    {
      onopentagname(start, end) {
        tagName = xml.slice(start, end)
        attribs = {}
      },
      onattribname(start, end) {
        attrName = xml.slice(start, end)
        attrValue = ''
      },
      onattribdata(start, end) {
        attrValue += xml.slice(start, end)
      },
      onattribentity(cp) {
        attrValue += String.fromCodePoint(cp)
      },
      onattribend() {
        if (!(attrName in attribs)) attribs[attrName] = attrValue
        attrName = ''
        attrValue = ''
      },
      onopentagend() {
        openElement()
      },
      onselfclosingtag() {
        openElement()
        closeElement(tagName)
      },
      onclosetag(start, end) {
        closeElement(xml.slice(start, end))
      },
      ontext(start, end) {
        handlers.text?.(xml.slice(start, end))
      },
      ontextentity(cp) {
        handlers.text?.(String.fromCodePoint(cp))
      },
      oncdata(start, end, offset) {
        handlers.text?.(xml.slice(start, end - offset))
      },
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  )
  tokenizer.write(xml)
  tokenizer.end()
  // Close what a truncated part left open, innermost first.
  while (stack.length) handlers.close?.(stack.pop()!)
}

// ---------------------------------------------------------------------------------------------
// Numbering

interface Level {
  start: number
  fmt: string
  text: string
  suff: string
}
interface Numbering {
  abstract: Map<string, Map<number, Level>>
  nums: Map<string, { abstractId: string; overrides: Map<number, number> }>
  styleNum: Map<string, { numId: string; ilvl: number }>
}

function readNumbering(numberingXml: string | null, stylesXml: string | null): Numbering {
  const abstract = new Map<string, Map<number, Level>>()
  const nums = new Map<string, { abstractId: string; overrides: Map<number, number> }>()
  const styleNum = new Map<string, { numId: string; ilvl: number }>()
  if (numberingXml) {
    let curAbs: Map<number, Level> | null = null
    let curLvl: Level | null = null
    let curNum: { abstractId: string; overrides: Map<number, number> } | null = null
    let overrideLvl = -1
    streamXml(numberingXml, {
      open(name, a) {
        switch (name) {
          case 'w:abstractNum':
            curAbs = new Map()
            abstract.set(a['w:abstractNumId'] ?? '', curAbs)
            break
          case 'w:lvl':
            if (curAbs) {
              curLvl = { start: 1, fmt: 'decimal', text: '', suff: 'tab' }
              curAbs.set(Number(a['w:ilvl'] ?? 0), curLvl)
            }
            break
          case 'w:start':
            if (curLvl) curLvl.start = Number(a['w:val'] ?? 1) || 0
            break
          case 'w:numFmt':
            if (curLvl) curLvl.fmt = a['w:val'] ?? 'decimal'
            break
          case 'w:lvlText':
            if (curLvl) curLvl.text = a['w:val'] ?? ''
            break
          case 'w:suff':
            if (curLvl) curLvl.suff = a['w:val'] ?? 'tab'
            break
          case 'w:num':
            curNum = { abstractId: '', overrides: new Map() }
            nums.set(a['w:numId'] ?? '', curNum)
            break
          case 'w:abstractNumId':
            if (curNum) curNum.abstractId = a['w:val'] ?? ''
            break
          case 'w:lvlOverride':
            overrideLvl = Number(a['w:ilvl'] ?? 0)
            break
          case 'w:startOverride':
            if (curNum && overrideLvl >= 0) curNum.overrides.set(overrideLvl, Number(a['w:val'] ?? 1))
            break
        }
      },
      close(name) {
        if (name === 'w:abstractNum') curAbs = null
        else if (name === 'w:lvl') curLvl = null
        else if (name === 'w:num') curNum = null
        else if (name === 'w:lvlOverride') overrideLvl = -1
      },
    })
  }
  if (stylesXml) {
    let styleId: string | null = null
    let inPPr = false
    let numId: string | null = null
    let ilvl = 0
    streamXml(stylesXml, {
      open(name, a) {
        if (name === 'w:style') {
          styleId = a['w:styleId'] ?? null
          numId = null
          ilvl = 0
        } else if (name === 'w:pPr') inPPr = true
        else if (inPPr && name === 'w:numId') numId = a['w:val'] ?? null
        else if (inPPr && name === 'w:ilvl') ilvl = Number(a['w:val'] ?? 0)
      },
      close(name) {
        if (name === 'w:pPr') inPPr = false
        else if (name === 'w:style') {
          if (styleId && numId && numId !== '0') styleNum.set(styleId, { numId, ilvl })
          styleId = null
        }
      },
    })
  }
  return { abstract, nums, styleNum }
}

const CN_DIGITS = '零一二三四五六七八九'
function chineseCounting(n: number): string {
  if (n <= 0) return String(n)
  if (n < 10) return CN_DIGITS[n]
  if (n < 20) return '十' + (n % 10 ? CN_DIGITS[n % 10] : '')
  if (n < 100) return CN_DIGITS[Math.floor(n / 10)] + '十' + (n % 10 ? CN_DIGITS[n % 10] : '')
  return String(n)
    .split('')
    .map(d => CN_DIGITS[Number(d)])
    .join('')
}
function legal(n: number): string {
  const d = '零壹贰叁肆伍陆柒捌玖'
  if (n > 0 && n < 10) return d[n]
  if (n >= 10 && n < 20) return '拾' + (n % 10 ? d[n % 10] : '')
  return String(n)
}
function letters(n: number, upper: boolean): string {
  if (n <= 0) return String(n)
  const ch = String.fromCharCode((upper ? 65 : 97) + ((n - 1) % 26))
  return ch.repeat(Math.floor((n - 1) / 26) + 1)
}
function roman(n: number): string {
  if (n <= 0 || n >= 4000) return String(n)
  const t: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ]
  let s = ''
  for (const [v, r] of t) while (n >= v) ((s += r), (n -= v))
  return s
}

function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'japaneseCounting':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
    case 'ideographDigital':
    case 'koreanCounting':
      return chineseCounting(n)
    case 'chineseLegalSimplified':
    case 'ideographLegalTraditional':
      return legal(n)
    case 'ideographTraditional':
      return n >= 1 && n <= 10 ? '甲乙丙丁戊己庚辛壬癸'[n - 1] : String(n)
    case 'ideographZodiac':
      return n >= 1 && n <= 12 ? '子丑寅卯辰巳午未申酉戌亥'[n - 1] : String(n)
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : `(${n})`
    case 'decimalEnclosedParen':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2474 + n - 1) : `(${n})`
    case 'decimalEnclosedFullstop':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2488 + n - 1) : `${n}.`
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/\d/g, d => String.fromCharCode(0xff10 + Number(d)))
    case 'decimalZero':
      return n < 10 ? `0${n}` : String(n)
    case 'upperLetter':
      return letters(n, true)
    case 'lowerLetter':
      return letters(n, false)
    case 'upperRoman':
      return roman(n)
    case 'lowerRoman':
      return roman(n).toLowerCase()
    case 'none':
      return ''
    default:
      return String(n)
  }
}

class ListCounter {
  private counters = new Map<string, number[]>()
  private startedNums = new Set<string>()
  constructor(private readonly numbering: Numbering) {}

  /** The list marker for a numbered paragraph ("" if none or a bullet). */
  label(numId: string, ilvl: number): string {
    const num = this.numbering.nums.get(numId)
    if (!num) return ''
    const levels = this.numbering.abstract.get(num.abstractId)
    if (!levels) return ''
    const lvl = levels.get(ilvl)
    if (!lvl) return ''
    const key = num.abstractId
    let c = this.counters.get(key)
    if (!c) this.counters.set(key, (c = []))
    if (!this.startedNums.has(numId)) {
      this.startedNums.add(numId)
      for (const [l, v] of num.overrides) {
        c[l] = v - 1
        c.length = Math.max(c.length, l + 1)
        for (let d = l + 1; d < c.length; d++) c[d] = undefined as unknown as number
      }
    }
    c[ilvl] = (c[ilvl] ?? lvl.start - 1) + 1
    for (let d = ilvl + 1; d < c.length; d++) c[d] = undefined as unknown as number
    if (lvl.fmt === 'bullet') return ''
    const text = lvl.text.replace(/%([1-9])/g, (_, k) => {
      const l = Number(k) - 1
      const ll = levels.get(l)
      const v = c![l] ?? ll?.start ?? 1
      return formatNumber(v, l === ilvl ? lvl.fmt : (ll?.fmt ?? 'decimal'))
    })
    if (!text) return ''
    if (lvl.suff === 'nothing' || /[、，．。）)】」：:\u3000]$/.test(text)) return text
    return text + ' '
  }
}

// ---------------------------------------------------------------------------------------------
// Document body

function bodyText(xml: string, numbering: Numbering): string {
  const counter = new ListCounter(numbering)
  const lines: string[] = []
  interface Para {
    text: string
    numId: string | null
    ilvl: number
    style: string | null
  }
  const paras: Para[] = []
  let skip = 0 // inside mc:Fallback, w:instrText, w:delText …
  let inPPr = 0
  let inRPr = 0
  let runHidden = false
  let inT = 0

  const SKIP = new Set(['mc:Fallback', 'w:instrText', 'w:delText', 'w:delInstrText', 'w:fldData', 'm:oMath', 'w:commentReference'])

  streamXml(xml, {
    open(name, a) {
      if (skip > 0) {
        skip++
        return
      }
      if (SKIP.has(name)) {
        skip = 1
        return
      }
      const para = paras[paras.length - 1]
      switch (name) {
        case 'w:p':
          paras.push({ text: '', numId: null, ilvl: 0, style: null })
          break
        case 'w:pPr':
          inPPr++
          break
        case 'w:rPr':
          inRPr++
          break
        case 'w:r':
          runHidden = false
          break
        case 'w:vanish':
          if (inRPr > 0 && inPPr === 0 && a['w:val'] !== '0' && a['w:val'] !== 'false') runHidden = true
          break
        case 'w:pStyle':
          if (para && inPPr > 0) para.style = a['w:val'] ?? null
          break
        case 'w:numId':
          if (para && inPPr > 0) para.numId = a['w:val'] ?? null
          break
        case 'w:ilvl':
          if (para && inPPr > 0) para.ilvl = Number(a['w:val'] ?? 0) || 0
          break
        case 'w:t':
          inT++
          break
        case 'w:tab':
          if (para && inPPr === 0 && !runHidden) para.text += '\t'
          break
        case 'w:br':
        case 'w:cr':
          if (para && inPPr === 0 && !runHidden) para.text += '\n'
          break
        case 'w:noBreakHyphen':
          if (para && !runHidden) para.text += '-'
          break
        case 'w:sym': {
          const code = parseInt(a['w:char'] ?? '', 16)
          // Symbol-font characters (F0xx) are glyph indexes, not text.
          if (para && !runHidden && code > 0x1f && !(code >= 0xe000 && code <= 0xf8ff)) para.text += String.fromCodePoint(code)
          break
        }
      }
    },
    close(name) {
      if (skip > 0) {
        skip--
        return
      }
      switch (name) {
        case 'w:p': {
          const p = paras.pop()
          if (!p) break
          let numId = p.numId
          let ilvl = p.ilvl
          if (numId === null && p.style) {
            const s = numbering.styleNum.get(p.style)
            if (s) ((numId = s.numId), (ilvl = p.ilvl || s.ilvl))
          }
          const label = numId && numId !== '0' ? counter.label(numId, ilvl) : ''
          for (const l of (label + p.text).split('\n')) lines.push(l)
          break
        }
        case 'w:pPr':
          inPPr = Math.max(0, inPPr - 1)
          break
        case 'w:rPr':
          inRPr = Math.max(0, inRPr - 1)
          break
        case 'w:r':
          runHidden = false
          break
        case 'w:t':
          inT = Math.max(0, inT - 1)
          break
      }
    },
    text(t) {
      if (skip > 0 || inT === 0 || runHidden) return
      const para = paras[paras.length - 1]
      if (para) para.text += t
    },
  })
  // Unclosed paragraphs at the end of a truncated part.
  while (paras.length) {
    const p = paras.shift()!
    if (p.text) lines.push(p.text)
  }
  // Runs of empty paragraphs (spacing in Word) become one blank line.
  const out: string[] = []
  for (const l of lines) {
    if (!/\S/.test(l) && (out.length === 0 || !/\S/.test(out[out.length - 1]))) continue
    out.push(l)
  }
  return out.join('\n')
}

function mainDocumentPath(rels: string | null, names: Set<string>): string | null {
  if (rels) {
    for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
      const tag = m[0]
      if (!/Type\s*=\s*["'][^"']*\/officeDocument["']/.test(tag)) continue
      const t = /Target\s*=\s*["']([^"']+)["']/.exec(tag)?.[1]
      if (!t) continue
      const path = t.replace(/^\/+/, '')
      if (names.has(path)) return path
    }
  }
  return names.has('word/document.xml') ? 'word/document.xml' : null
}

/** Extracts the text of a .docx. Throws DocxError. */
export function docxToText(bytes: Uint8Array): string {
  let entries: ZipEntry[]
  try {
    entries = readCentralDirectory(bytes)
  } catch (err) {
    throw toDocxError(err)
  }
  const byName = new Map(entries.map(e => [e.name, e]))
  let budget = DOCX_XML_LIMIT
  const read = (name: string): string | null => {
    const e = byName.get(name)
    if (!e) return null
    try {
      const data = extractEntry(bytes, e, budget)
      budget -= data.length
      return xmlText(data)
    } catch (err) {
      throw toDocxError(err)
    }
  }
  const main = mainDocumentPath(read('_rels/.rels'), new Set(byName.keys()))
  if (!main) throw new DocxError('not_docx', 'no word/document.xml')
  const dir = main.includes('/') ? main.slice(0, main.lastIndexOf('/') + 1) : ''
  const doc = read(main)!
  let numbering: Numbering
  try {
    numbering = readNumbering(read(`${dir}numbering.xml`), read(`${dir}styles.xml`))
  } catch (err) {
    if (err instanceof DocxError) throw err
    numbering = { abstract: new Map(), nums: new Map(), styleNum: new Map() }
  }
  return bodyText(doc, numbering)
}

function toDocxError(err: unknown): DocxError {
  if (err instanceof DocxError) return err
  if (err instanceof ZipError) return new DocxError(err.kind, err.message)
  return new DocxError('corrupt', String((err as Error)?.message ?? err))
}
