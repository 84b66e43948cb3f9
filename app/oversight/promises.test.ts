import { describe, expect, it } from 'vitest'
import { promiseKeeping } from './promises'

describe('promise-keeping', () => {
  it('counts last year’s commitments shown done and problems that recur, once each, against the next report held', () => {
    const items = [
      { id: 'p1', kind: 'problem' as const, year: 2021 },
      { id: 'p2', kind: 'problem' as const, year: 2021 },
      { id: 'c1', kind: 'plan' as const, year: 2021 },
      { id: 'c2', kind: 'plan' as const, year: 2021 },
      { id: 'c3', kind: 'plan' as const, year: 2021 },
      { id: 'q1', kind: 'problem' as const, year: 2023 },
      { id: 'd1', kind: 'plan' as const, year: 2023 },
    ]
    const findings = [
      { kind: 'evidence' as const, earlierItemId: 'c1', laterYear: 2023 },
      { kind: 'evidence' as const, earlierItemId: 'c1', laterYear: 2023 }, // two passages, one commitment
      { kind: 'evidence' as const, earlierItemId: 'c2', laterYear: 2023 },
      { kind: 'recurring' as const, earlierItemId: 'p2', laterYear: 2023 },
      { kind: 'evidence' as const, earlierItemId: 'p1', laterYear: 2023 }, // a problem is not a commitment
    ]
    expect(promiseKeeping(items, findings)).toEqual([
      { year: 2023, priorYear: 2021, commitments: 3, kept: 2, keptRate: 2 / 3, problems: 2, recurred: 1, recurredRate: 0.5 },
    ])
  })
  it('has nothing to say with one year', () => expect(promiseKeeping([{ id: 'a', kind: 'plan', year: 2020 }], [])).toEqual([]))
})
