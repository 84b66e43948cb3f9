import { describe, expect, it } from 'vitest'
import { rankAgencyHits } from './suggest'

describe('agency suggestions', () => {
  it('ranks names starting with the query first, then shorter, one per agency, alias only when the name did not match', () => {
    const hits = [
      { id: 'a', name: '常德市行政审批服务局', alias: '常德市政务服务中心' },
      { id: 'b', name: '湖南省常德市教育局', alias: null },
      { id: 'c', name: '常德市教育局', alias: null },
      { id: 'c', name: '常德市教育局', alias: '常德市教育委员会' },
    ]
    expect(rankAgencyHits('常德市', hits).map(h => [h.id, h.alias])).toEqual([
      ['c', null],
      ['a', '常德市政务服务中心'],
      ['b', null],
    ])
    expect(rankAgencyHits('常德', hits, 1)).toHaveLength(1)
  })
})
