// Search text, pure: reading what a person typed, quoting it for the engines, and marking the
// matches in titles and snippets as offsets (the page renders them as text, never as HTML).
import type { SearchKind, TaskStatus } from '../../db/schema'
import { zh } from '../ui/zh'

export const SEARCH_KINDS: readonly SearchKind[] = ['report', 'item', 'task']
/** Longest query kept, in characters; longer input is cut. */
export const MAX_QUERY_CHARS = 64
/** At most this many words (separated by spaces); every one must occur. */
export const MAX_TERMS = 5
/** Trigram indexes need 3 characters; shorter words are looked up another way (see engine.server.ts). */
export const TRIGRAM = 3

export interface SearchQuery {
  /** The query as it is shown back: trimmed, spaces collapsed, cut to MAX_QUERY_CHARS. */
  text: string
  /** Distinct words, each of which must occur (substring, case-insensitive). */
  terms: string[]
}

export interface SearchInput {
  q: string | null
  kind?: SearchKind
  /** The year the report covers. */
  year?: number
  /** A unit in the actor's scope: that unit and everything below it. */
  unitId?: string
  /** Task status; searching by status searches tasks only. */
  status?: TaskStatus
  /** 1-based; only with a kind (all kinds together show a preview of each). */
  page?: number
}

const TASK_STATUSES = Object.keys(zh.taskStatus) as TaskStatus[]

/** The search page's query string; anything unknown is left out rather than refused. */
export function readSearchInput(p: URLSearchParams): SearchInput {
  const kind = p.get('kind')
  const status = p.get('status')
  const year = Number(p.get('year'))
  const page = Number(p.get('page'))
  return {
    q: p.get('q'),
    kind: (SEARCH_KINDS as readonly string[]).includes(kind ?? '') ? (kind as SearchKind) : undefined,
    year: Number.isInteger(year) && year >= 1990 && year <= 2100 ? year : undefined,
    unitId: p.get('unit') || undefined,
    status: (TASK_STATUSES as readonly string[]).includes(status ?? '') ? (status as TaskStatus) : undefined,
    page: Number.isInteger(page) && page > 1 ? Math.min(page, 1000) : undefined,
  }
}

/** Years offered by the year filter: this year back to 2008, the first year of the disclosure reports. */
export function searchYears(today: string): number[] {
  const years: number[] = []
  for (let y = Number(today.slice(0, 4)); y >= 2008; y--) years.push(y)
  return years
}

/** Characters never searched for: controls, and the private-use marks the SQLite index appends. */
const DROPPED = /[\u0000-\u001f\u007f\ue000-\uf8ff]/g

export function parseQuery(raw: string | null | undefined): SearchQuery {
  const cleaned = (raw ?? '').replace(DROPPED, ' ').replace(/\s+/g, ' ').trim()
  const text = [...cleaned].slice(0, MAX_QUERY_CHARS).join('').trim()
  const terms: string[] = []
  for (const word of text.split(' ')) {
    if (!word || terms.some(t => t.toLowerCase() === word.toLowerCase())) continue
    if (terms.length < MAX_TERMS) terms.push(word)
  }
  return { text, terms }
}

/** Length in characters (code points), as the trigram tokenizer counts. */
export const charCount = (s: string): number => [...s].length

export const isShortTerm = (term: string): boolean => charCount(term) < TRIGRAM

/** `%term%` for LIKE/ILIKE … ESCAPE '\': the person's % and _ are plain characters. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, m => `\\${m}`)}%`
}

/** One FTS5 string (a phrase): quotes doubled, so ", *, OR, NEAR( and the like are plain text. */
export function ftsString(s: string): string {
  return `"${s.replace(/"/g, '""')}"`
}

export interface Span {
  start: number
  end: number
}

/** A piece of text with the matches marked by offsets into it. */
export interface Marked {
  text: string
  highlights: Span[]
  /** Text was left out before / after the snippet. */
  cutStart?: boolean
  cutEnd?: boolean
}

/** Case-folded copy of the same length (UTF-16 units), so offsets in it are offsets in the original. */
function fold(s: string): string {
  let out = ''
  for (const ch of s) {
    const lower = ch.toLowerCase()
    out += lower.length === ch.length ? lower : ch
  }
  return out
}

/** Every occurrence of every term, merged where they touch or overlap, in order. */
export function findMatches(text: string, terms: readonly string[]): Span[] {
  const hay = fold(text)
  const spans: Span[] = []
  for (const term of terms) {
    const needle = fold(term)
    if (!needle) continue
    for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length))
      spans.push({ start: at, end: at + needle.length })
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end)
  const merged: Span[] = []
  for (const s of spans) {
    const last = merged[merged.length - 1]
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end)
    else merged.push({ ...s })
  }
  return merged
}

/** The whole text (spaces collapsed) with its matches marked: titles, names. */
export function markAll(text: string, terms: readonly string[]): Marked {
  const flat = text.replace(/\s+/g, ' ').trim()
  return { text: flat, highlights: findMatches(flat, terms) }
}

/** Moves an offset off the second half of a surrogate pair, so a cut never splits a character. */
function safeCut(text: string, at: number): number {
  const c = text.charCodeAt(at)
  return at > 0 && at < text.length && c >= 0xdc00 && c <= 0xdfff ? at - 1 : at
}

/**
 * A window of about `width` characters around the first match (the start of the text when nothing
 * in it matches, e.g. the match was in the title), spaces collapsed, with its matches marked.
 */
export function snippet(text: string, terms: readonly string[], width = 140): Marked {
  const first = findMatches(text, terms)[0]
  let start = 0
  if (first && first.end > width * 0.7) start = Math.max(0, first.start - Math.floor(width * 0.3))
  start = safeCut(text, start)
  const end = safeCut(text, Math.min(text.length, start + width))
  const flat = text.slice(start, end).replace(/\s+/g, ' ').trim()
  return {
    text: flat,
    highlights: findMatches(flat, terms),
    cutStart: text.slice(0, start).trim().length > 0,
    cutEnd: text.slice(end).trim().length > 0,
  }
}
