// The extractor's contract with the rest of the system (worker, upload preview, CLI, UI).

export type ItemKind = 'problem' | 'plan'

export interface ExtractedItem {
  kind: ItemKind
  /** Short title: the item's own heading or its first clause. */
  title: string
  /** Verbatim text, exactly documentText.slice(start, end). */
  text: string
  start: number
  end: number
  /** Indexes into the same items array of the problems this plan answers (empty for problems). */
  answers: number[]
  /** Suggested deadline, ISO date (YYYY-MM-DD), or null when the year is unknown and the text gives none. */
  due: string | null
  /** How sure the extractor is that this is an item of this kind (0–1); null when no model scored it. */
  confidence?: number | null
}

export interface Extraction {
  /** Issuing agency as written, or null. */
  agency: string | null
  /** Normalised agency name for matching across years. */
  agencyNormalized: string | null
  /** 0..1: how sure the extractor is of the agency (null when there is none). */
  agencyConfidence: number | null
  /** The year the report covers. */
  year: number | null
  /** 0..1: how sure the extractor is of the year (null when there is none). */
  yearConfidence?: number | null
  /** Publication date, ISO (YYYY-MM-DD). */
  publishedAt: string | null
  title: string | null
  items: ExtractedItem[]
  /** The stretches of the original text read as problems or plans sections (where every item should come from). */
  sections?: ExtractedSection[]
}

export interface ExtractedSection {
  kind: 'problem' | 'plan' | 'both'
  start: number
  end: number
}
