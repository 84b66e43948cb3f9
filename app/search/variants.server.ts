// A word in the other script: reports are published in simplified and in traditional characters
// (a mirror of the same report, a Hong Kong or Taiwan style page), and a person types either. Each
// search word matches when any of its forms occurs: as typed, simplified, and the traditional forms
// OpenCC gives (Taiwan and Hong Kong standards). Phrase-level conversion, so a character that has two
// traditional forms (发布 → 發佈, while some pages write 發布) may still be missed. Server only: the
// dictionaries stay out of the browser bundle.
import * as S2T from 'opencc-js/cn2t'
import * as T2S from 'opencc-js/t2cn'

const toTw = S2T.Converter({ from: 'cn', to: 'tw' })
const toHk = S2T.Converter({ from: 'cn', to: 'hk' })
const toCn = T2S.Converter({ from: 'tw', to: 'cn' })

/** The forms of one word, the word itself first, without repeats. Pure. */
export function scriptVariants(term: string): string[] {
  const simplified = toCn(term)
  const out = [term]
  for (const v of [simplified, toTw(simplified), toHk(simplified)]) if (v && !out.includes(v)) out.push(v)
  return out
}

/** Every form of every word, for marking matches in titles and snippets. */
export function allVariants(terms: readonly string[]): string[] {
  return [...new Set(terms.flatMap(scriptVariants))]
}
