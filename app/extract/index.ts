// Placeholder so the rest of the system can be wired; the extraction work replaces it.
import type { Extraction } from './types'
export type { Extraction, ExtractedItem, ItemKind } from './types'

export function extractReport(text: string): Extraction {
  const year = Number(/(20\d\d)年/.exec(text)?.[1]) || null
  return { agency: null, agencyNormalized: null, year, publishedAt: null, title: null, items: [] }
}
