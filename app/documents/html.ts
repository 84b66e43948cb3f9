// Visible text of an HTML page, block structure kept as line breaks.
// Streams through htmlparser2's tokenizer (no DOM, no recursion, no element stack), so deeply nested or
// huge pages are safe and fast.
import { Tokenizer } from 'htmlparser2'

/** Elements whose whole content is never visible text (or is page chrome). */
const DROP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'title',
  'nav',
  'aside',
  'iframe',
  'frame',
  'frameset',
  'svg',
  'math',
  'object',
  'embed',
  'applet',
  'canvas',
  'audio',
  'video',
  'map',
  'select',
  'textarea',
  'button',
  'datalist',
  'dialog',
])
/** Page chrome, except when inside <article>/<main>, where header holds the title and footer the date. */
const CHROME = new Set(['header', 'footer'])
/** Elements that start and end a line. */
const BLOCK = new Set([
  'address',
  'article',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'menu',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
  'option',
  'listing',
  'xmp',
  'plaintext',
  'search',
])
const CELL = new Set(['td', 'th'])
/** Class or id tokens that mark navigation chrome (whole-token match only, to stay conservative). */
const CHROME_TOKENS = new Set([
  'nav',
  'navbar',
  'navigation',
  'menu',
  'breadcrumb',
  'breadcrumbs',
  'crumb',
  'crumbs',
  'sidebar',
  'footer',
  'copyright',
  'share',
  'skip-link',
  'skiplink',
  'topbar',
])
const CHROME_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'search', 'menu', 'menubar'])
const NEVER_HIDE = new Set(['html', 'body', 'main', 'article'])

// Sentinels placed in the inline buffer for breaks and spaces that survive whitespace collapsing.
// Control characters are removed from the text before, so they cannot clash.
const HARD_NL = '\u0001'
const HARD_SP = '\u0002'
const HARD_TAB = '\u0003'

const CJK = '\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef'
/** Whitespace containing a line break between two CJK characters is dropped (CSS Text segment-break rule). */
const CJK_BREAK = new RegExp(`(?<=[${CJK}])[ \\t\\f]*[\\r\\n][ \\t\\r\\n\\f]*(?=[${CJK}])`, 'g')

export function sniffHtmlCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 8192)).toString('latin1')
  const meta = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)/i.exec(head)
  if (meta) return meta[1]
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_:.\-]+)/i.exec(head)
  return xml ? xml[1] : null
}

/** True if text that came with a .txt/.doc name is really an HTML page. */
export function looksLikeHtml(start: string): boolean {
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype\s+html|<html[\s>]|<head[\s>]|<meta\s)/i.test(start.slice(0, 2048))
}

function isHidden(name: string, attribs: Record<string, string>, inArticle: boolean): boolean {
  if (NEVER_HIDE.has(name)) return false
  if ('hidden' in attribs) return true
  if (attribs['aria-hidden'] === 'true') return true
  const role = attribs.role?.toLowerCase()
  if (role && CHROME_ROLES.has(role)) return true
  const style = attribs.style
  if (style && /(display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style)) return true
  if (
    name === 'form' &&
    /search|sousuo|query/i.test(`${attribs.action ?? ''} ${attribs.class ?? ''} ${attribs.id ?? ''} ${attribs.name ?? ''}`)
  )
    return true
  if (name === 'input') return true
  if (inArticle) return false
  for (const key of ['class', 'id']) {
    const v = attribs[key]
    if (!v) continue
    for (const tok of v.toLowerCase().split(/\s+/)) if (CHROME_TOKENS.has(tok)) return true
  }
  return false
}

function finishInline(buf: string): string[] {
  let s = buf.replace(CJK_BREAK, '')
  s = s.replace(/[ \t\n\r\f]+/g, ' ')
  s = s.replace(/\u00a0/g, ' ')
  s = s.replace(/[\u0001\u0003]/g, c => (c === HARD_NL ? '\n' : '\t'))
  // Trim each line, then restore <pre> spaces (kept, including indentation).
  return s.split('\n').map(l =>
    l
      .replace(/^[ \t]+|[ \t]+$/g, '')
      .replace(/\u0002/g, ' ')
      .replace(/ +$/, ''),
  )
}

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
  'keygen',
  'basefont',
  'bgsound',
  'frame',
  'image',
  'isindex',
])
const PRE = new Set(['pre', 'listing', 'xmp', 'plaintext'])

/**
 * Visible text, one line per block; table cells separated by a tab.
 * Uses htmlparser2's Tokenizer directly and keeps no element stack (the Parser's stack handling is
 * quadratic in nesting depth): elements being skipped are tracked by counting opens and closes of
 * the tag that started the skip, so work is linear in the input whatever its nesting.
 */
export function htmlToText(html: string): string {
  const lines: string[] = []
  let buf = ''
  let pre = 0
  let inArticle = 0
  /** Tag name whose subtree is being skipped, and how many of it are open. */
  let skipTag: string | null = null
  let skipDepth = 0

  const flush = () => {
    if (!buf) return
    if (/[^\s\u0001\u0002\u0003]/.test(buf)) {
      const ls = finishInline(buf)
      let a = 0
      let b = ls.length
      while (a < b && !ls[a]) a++
      while (b > a && !ls[b - 1]) b--
      for (let i = a; i < b; i++) lines.push(ls[i])
    }
    buf = ''
  }

  const openTag = (name: string, attribs: Record<string, string>) => {
    const isVoid = VOID.has(name)
    if (skipTag !== null) {
      if (name === skipTag && !isVoid) skipDepth++
      // <head> may be left unclosed: the body ends it.
      else if (skipTag === 'head' && name === 'body') ((skipTag = null), (skipDepth = 0))
      if (skipTag !== null) return
    }
    if (DROP.has(name) || (CHROME.has(name) && inArticle === 0) || isHidden(name, attribs, inArticle > 0)) {
      if (!isVoid) ((skipTag = name), (skipDepth = 1))
      return
    }
    if (name === 'article' || name === 'main') inArticle++
    if (BLOCK.has(name)) flush()
    else if (name === 'br') buf += HARD_NL
    if (PRE.has(name)) pre++
  }

  const closeTag = (name: string) => {
    if (skipTag !== null) {
      if (name === skipTag && --skipDepth === 0) skipTag = null
      return
    }
    if (name === 'br') {
      buf += HARD_NL // </br> acts as <br> in browsers
      return
    }
    if (name === 'article' || name === 'main') inArticle = Math.max(0, inArticle - 1)
    if (PRE.has(name)) pre = Math.max(0, pre - 1)
    if (BLOCK.has(name)) flush()
    else if (CELL.has(name)) buf += HARD_TAB
  }

  const addText = (data: string) => {
    if (skipTag !== null) return
    let t = data.replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g, '')
    if (pre > 0) t = t.replace(/\r\n?/g, '\n').replace(/\n/g, HARD_NL).replace(/[ \t]/g, HARD_SP)
    buf += t
  }

  let tagName = ''
  let attribs: Record<string, string> = {}
  let attrName = ''
  let attrValue = ''
  let closing = false
  const lower = (a: number, b: number) => html.slice(a, b).toLowerCase()

  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true },
    {
      onopentagname(start, end) {
        tagName = lower(start, end)
        attribs = {}
        closing = false
      },
      onattribname(start, end) {
        attrName = lower(start, end)
        attrValue = ''
      },
      onattribdata(start, end) {
        attrValue += html.slice(start, end)
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
        if (closing) return
        openTag(tagName, attribs)
      },
      onselfclosingtag() {
        // HTML ignores the slash on non-void elements; void elements have no close tag.
        openTag(tagName, attribs)
      },
      onclosetag(start, end) {
        closeTag(lower(start, end))
      },
      ontext(start, end) {
        addText(html.slice(start, end))
      },
      ontextentity(cp) {
        addText(String.fromCodePoint(cp))
      },
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  )
  tokenizer.write(html)
  tokenizer.end()
  flush()

  // Collapse runs of blank lines to one.
  const out: string[] = []
  for (const l of lines) {
    if (!l && (out.length === 0 || !out[out.length - 1])) continue
    out.push(l)
  }
  while (out.length && !out[out.length - 1]) out.pop()
  return out.join('\n')
}
