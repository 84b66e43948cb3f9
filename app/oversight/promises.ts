// Promise-keeping (兑现情况) of one agency across years: of the commitments of its previous report,
// how many its next report was confirmed to show done, and how many of the previous problems were
// confirmed to recur. Pure: items and confirmed findings in, a row per year out.

export interface PromiseItem {
  id: string
  kind: 'problem' | 'plan'
  year: number
}

/** A supervisor-confirmed follow-up finding: an earlier item, and the year of the later report. */
export interface ConfirmedFinding {
  kind: 'evidence' | 'recurring'
  earlierItemId: string
  laterYear: number
}

export interface PromiseYear {
  year: number
  /** The year of the report these figures look back on (the latest earlier one held). */
  priorYear: number
  commitments: number
  /** Commitments with confirmed evidence in this year's report. */
  kept: number
  keptRate: number | null
  problems: number
  /** Earlier problems confirmed to recur in this year's report. */
  recurred: number
  recurredRate: number | null
}

export function promiseKeeping(items: readonly PromiseItem[], findings: readonly ConfirmedFinding[]): PromiseYear[] {
  const years = [...new Set(items.map(i => i.year))].sort((a, b) => a - b)
  const out: PromiseYear[] = []
  for (let k = 1; k < years.length; k++) {
    const year = years[k]
    const priorYear = years[k - 1]
    const prior = items.filter(i => i.year === priorYear)
    const ids = (kind: PromiseItem['kind']) => new Set(prior.filter(i => i.kind === kind).map(i => i.id))
    const plans = ids('plan')
    const problems = ids('problem')
    const hit = (kind: ConfirmedFinding['kind'], among: Set<string>) =>
      new Set(findings.filter(f => f.kind === kind && f.laterYear === year && among.has(f.earlierItemId)).map(f => f.earlierItemId)).size
    const kept = hit('evidence', plans)
    const recurred = hit('recurring', problems)
    out.push({
      year,
      priorYear,
      commitments: plans.size,
      kept,
      keptRate: plans.size ? kept / plans.size : null,
      problems: problems.size,
      recurred,
      recurredRate: problems.size ? recurred / problems.size : null,
    })
  }
  return out
}
