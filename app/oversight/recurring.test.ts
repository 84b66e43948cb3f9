import { describe, expect, it } from 'vitest'
import { groupByTopic, recurrenceTopics, type Recurrence } from './recurring'

let n = 0
const rec = (
  agency: string,
  laterYear: number,
  earlierText: string,
  laterText: string,
  status: Recurrence['status'] = 'confirmed',
): Recurrence => ({
  suggestionId: `s${++n}`,
  status,
  agencyId: agency,
  agencyName: agency,
  earlierReportId: `e${n}`,
  earlierYear: laterYear - 1,
  earlierTitle: earlierText,
  earlierText,
  laterReportId: `l${n}`,
  laterYear,
  laterTitle: laterText,
  laterText,
  laterTaskId: null,
})

describe('recurring problems by topic', () => {
  it('takes the shortcoming both years admit', () => {
    expect(recurrenceTopics(rec('甲', 2021, '信息公开不及时', '部分信息更新滞后'))).toEqual(['timely'])
    expect(recurrenceTopics(rec('甲', 2021, '政策解读不够', '解读形式单一，政策解读不到位'))).toContain('interpret')
  })
  it('puts pairs matched on wording alone under "wording"', () => {
    expect(recurrenceTopics(rec('甲', 2021, '甲乙丙丁戊己庚辛', '甲乙丙丁戊己庚辛'))).toEqual(['wording'])
  })
  it('groups across agencies and years, the most frequent topic first, the wording remainder last', () => {
    const groups = groupByTopic(
      [
        rec('甲局', 2021, '信息公开不及时', '信息更新不及时'),
        rec('乙局', 2022, '部分信息发布滞后', '信息公开时效性不强'),
        rec('乙局', 2023, '信息公开时效性不强', '更新不及时', 'pending'),
        rec('甲局', 2022, '政策解读不够', '政策解读不到位'),
        rec('丙局', 2022, '甲乙丙丁戊己庚辛', '甲乙丙丁戊己庚辛'),
      ],
      '措辞相近',
    )
    expect(groups.map(g => [g.topic, g.recurrences, g.agencies, g.years])).toEqual([
      ['timely', 3, 2, [2021, 2022, 2023]],
      ['interpret', 1, 1, [2022]],
      ['wording', 1, 1, [2022]],
    ])
    expect(groups[0].entries.map(e => e.laterYear)).toEqual([2023, 2022, 2021])
    expect(groups.at(-1)!.label).toBe('措辞相近')
  })
})
