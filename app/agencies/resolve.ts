// Which agency a newly extracted report belongs to. Pure: the database shell
// (registry.server.ts) loads the candidates and the administrator's decisions and stores the choice.
// Names are compared with the agency match (match.ts), the one way agencies
// are matched: places and organ must both agree.
import type { Extraction } from '../extract/types'
import { normalizeAgency } from '../extract/index'
import { agencyParts, matchAgency, placeLevel, placeName, AGENCY_MATCH_THRESHOLD } from './match'
import { reportAgency } from './report-agency'

/** An existing agency and every name it is known by (its own name and its aliases). */
export interface AgencyCandidate {
  id: string
  names: string[]
}

/** What administrators decided: pairs of agencies that are different bodies, whatever their names. */
export interface AgencyDecisions {
  distinct: ReadonlyArray<readonly [string, string]>
}

export type AgencyChoice =
  | { agencyId: string; score: number; matchedName: string; reason: 'exact' | 'match' }
  | { agencyId: null; score: number; reason: 'none' | 'ambiguous' }

/**
 * Two agencies the administrator keeps apart that fit a new name about equally well: the name is
 * not attached to either (a new agency is made, which the administrator can merge).
 */
export const AMBIGUITY_MARGIN = 0.05

/** The key names are stored and looked up by: the extractor's normalisation (simplified, no spaces or brackets). */
export function agencyLookupKey(name: string): string {
  return normalizeAgency(name)
}

/** Does this name identify one body on its own? 我局, 镇政府 or 市教育局 do not. */
export function namesAnAgency(name: string | null | undefined): name is string {
  return !!name && matchAgency(name, name).match
}

/**
 * The name to file a report under: the extractor's agency, else the one its title names (我局…
 * reports name themselves only there). Never the place the text talks about most: that guess is
 * good enough to compare two reports, not to create an agency. Null when no name identifies one.
 */
export function identifyingAgencyName(x: Pick<Extraction, 'agency' | 'title'>): string | null {
  if (namesAnAgency(x.agency)) return x.agency.trim()
  // with no agency and no text, the engine reads the name from the title only
  const fromTitle = reportAgency({
    text: '',
    extraction: { agency: null, agencyNormalized: null, agencyConfidence: null, year: null, publishedAt: null, title: x.title, items: [] },
  })
  return namesAnAgency(fromTitle) ? fromTitle.trim() : null
}

/**
 * Which resolutions of new names must wait for each other: two names that could be filed under one
 * agency get the same key. matchAgency matches two names that both name a place only when their
 * innermost places have the same level word and one place's name ends with the other's (广东从化 /
 * 从化), so the level and the last two characters of the innermost place's name are the key. A name
 * with no place can match any name of its organ: null, which waits for every other resolution.
 */
export function resolutionLockKey(name: string): string | null {
  const inner = agencyParts(name).places.at(-1)
  if (!inner) return null
  return `${placeLevel(inner)}:${placeName(inner).slice(-2)}`
}

const PLACE_LEVEL = /(?:省|市|县|区|镇|乡|自治州|自治县|街道|旗|盟)$/

/**
 * A SQL LIKE pattern that every agency this name could match contains in its normalised name or an
 * alias: the innermost place's own name (常德 for 常德市…), else the organ's first and last characters
 * (上海应物所 → %上%所%). Null when the name gives nothing to narrow by.
 */
export function candidatePattern(name: string): string | null {
  const { places, organ } = agencyParts(name)
  const place = places.at(-1)?.replace(PLACE_LEVEL, '')
  if (place && place.length >= 2) return `%${escapeLike(place)}%`
  if (organ.length >= 3) return `%${escapeLike(organ[0])}%${escapeLike(organ[organ.length - 1])}%`
  return null
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, c => `\\${c}`)
}

/** A distinct pair in its stored order (smaller id first). */
export function distinctPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a]
}

/**
 * Chooses the agency for a name: one whose name or alias is the same name (normalised) wins;
 * otherwise the best match at or above the engine's threshold; otherwise none (a new agency).
 * If the runner-up is an agency the administrator split from the best one and fits almost as well,
 * the name is ambiguous and is attached to neither.
 */
export function chooseAgency(
  name: string,
  candidates: readonly AgencyCandidate[],
  decisions: AgencyDecisions = { distinct: [] },
): AgencyChoice {
  if (!namesAnAgency(name)) return { agencyId: null, score: 0, reason: 'none' }
  const key = agencyLookupKey(name)
  for (const c of candidates) {
    const same = c.names.find(n => agencyLookupKey(n) === key)
    if (same) return { agencyId: c.id, score: 1, matchedName: same, reason: 'exact' }
  }
  const scored: Array<{ id: string; score: number; matchedName: string }> = []
  for (const c of candidates) {
    let best: { score: number; matchedName: string } | null = null
    for (const n of c.names) {
      const m = matchAgency(name, n)
      if (m.match && (!best || m.score > best.score)) best = { score: m.score, matchedName: n }
    }
    if (best) scored.push({ id: c.id, ...best })
  }
  if (!scored.length) return { agencyId: null, score: 0, reason: 'none' }
  // stable: equal scores keep the candidates' order (the shell gives the oldest agency first)
  scored.sort((a, b) => b.score - a.score)
  const [best, ...rest] = scored
  const distinct = new Set(decisions.distinct.map(([a, b]) => distinctPair(a, b).join('\u0000')))
  const rival = rest.find(r => distinct.has(distinctPair(best.id, r.id).join('\u0000')))
  if (rival && best.score - rival.score < AMBIGUITY_MARGIN) return { agencyId: null, score: best.score, reason: 'ambiguous' }
  if (best.score < AGENCY_MATCH_THRESHOLD) return { agencyId: null, score: best.score, reason: 'none' }
  return { agencyId: best.id, score: best.score, matchedName: best.matchedName, reason: 'match' }
}
