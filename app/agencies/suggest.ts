// Suggestions for the agency field of the review page: the registry's agencies whose name or alias
// contains what was typed, best first. Picking one files the report under that agency (its name is
// found by the exact lookup); typing a new name still goes through the alias learning. Pure ranking.

export interface AgencyHit {
  id: string
  name: string
  /** The alias that matched, when not the name itself. */
  alias: string | null
}

/** Name starts with the query, then shorter names, then by name; one entry per agency. */
export function rankAgencyHits(query: string, hits: readonly AgencyHit[], limit = 10): AgencyHit[] {
  const q = query.trim()
  const byId = new Map<string, AgencyHit>()
  for (const h of hits) {
    const prev = byId.get(h.id)
    // Prefer the row where the name itself matched (no alias to explain).
    if (!prev || (prev.alias && !h.alias)) byId.set(h.id, h)
  }
  const score = (h: AgencyHit) => (h.name.startsWith(q) ? 0 : h.name.includes(q) ? 1 : 2)
  return [...byId.values()]
    .sort((a, b) => score(a) - score(b) || a.name.length - b.name.length || a.name.localeCompare(b.name, 'zh'))
    .slice(0, limit)
}
