// Transformations of a report's text that real pages show and the corpus mostly does not: the same
// report in traditional script, with pinyin injected after characters (報(bào)告), with hard line
// breaks inside words (flip-book pages, PDF text), or flattened onto one line. `npm run eval:extract
// -- --noise KIND` scores the extractor on the corpus transformed this way, a measure of how it holds
// on pages nobody tuned it to. `read` brings a text (gold or predicted) to the form both are compared
// in. Deterministic (seeded by the report's name), so a figure can be reproduced. Pure.
import * as S2T from 'opencc-js/cn2t'
import * as T2S from 'opencc-js/t2cn'
import { prng } from './model'

export interface Noise {
  apply(text: string, seed: string): string
  read(text: string): string
}

const toTw = S2T.Converter({ from: 'cn', to: 'tw' })
const toCn = T2S.Converter({ from: 'tw', to: 'cn' })
const PINYIN = /[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,8}[)）]/g
const SYLLABLES = ['bào', 'gào', 'zhèng', 'fǔ', 'xìn', 'xī', 'gōng', 'kāi', 'wèn', 'tí']

/** The model's deterministic generator, seeded from a report's name. */
function rng(seed: string): () => number {
  let h = 0
  for (const ch of seed) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0
  return prng(h)
}

const isHan = (c: string) => c >= '\u4e00' && c <= '\u9fff'

export const NOISES: Record<string, Noise> = {
  /** the whole report in traditional (Taiwan) script; compared after converting both back */
  traditional: { apply: t => toTw(t), read: t => toCn(toTw(t)) },
  /** a toned pinyin syllable in brackets after one Han character in twelve */
  pinyin: {
    apply(t, seed) {
      const r = rng(seed)
      let out = ''
      for (const c of t) out += isHan(c) && r() < 1 / 12 ? `${c}(${SYLLABLES[Math.floor(r() * SYLLABLES.length)]})` : c
      return out
    },
    read: t => t.replace(PINYIN, ''),
  },
  /** every line broken at one width per report (28–45 characters), wherever that falls (inside words
   *  and numbers), as a flip-book page or text copied out of a PDF */
  hardwrap: {
    apply(t, seed) {
      const w = 28 + Math.floor(rng(seed)() * 18)
      return t
        .split('\n')
        .map(line => {
          const parts: string[] = []
          for (let i = 0; i < line.length; i += w) parts.push(line.slice(i, i + w))
          return parts.join('\n')
        })
        .join('\n')
    },
    read: t => t,
  },
  /** every line broken after 20–40 characters, a new length each time: text pasted from a page whose
   *  lines were broken by hand or by a layout with floats */
  ragged: {
    apply(t, seed) {
      const r = rng(seed)
      return t
        .split('\n')
        .map(line => {
          const parts: string[] = []
          for (let i = 0; i < line.length;) {
            const n = 20 + Math.floor(r() * 21)
            parts.push(line.slice(i, i + n))
            i += n
          }
          return parts.join('\n')
        })
        .join('\n')
    },
    read: t => t,
  },
  /** the page flattened: every line break gone, lines joined with one space */
  oneline: { apply: t => t.replace(/\s*\n\s*/g, ' '), read: t => t },
}

export function noiseOf(kind: string): Noise {
  const n = NOISES[kind]
  if (!n) throw new Error(`unknown noise "${kind}" (one of: ${Object.keys(NOISES).join(', ')})`)
  return n
}
