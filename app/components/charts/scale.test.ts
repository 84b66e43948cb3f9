import { describe, expect, it } from 'vitest'
import { band, countScale, formatValue } from './scale'

describe('chart scales', () => {
  it('count axes end on a round number above the largest value, with whole-number ticks', () => {
    expect(countScale(0)).toEqual({ max: 1, ticks: [0, 1] })
    expect(countScale(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] })
    expect(countScale(7)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] })
    expect(countScale(43)).toEqual({ max: 50, ticks: [0, 10, 20, 30, 40, 50] })
    expect(countScale(1234)).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] })
    for (const v of [1, 9, 17, 99, 101, 4321]) {
      const s = countScale(v)
      expect(s.max).toBeGreaterThanOrEqual(v)
      expect(s.ticks.every(Number.isInteger)).toBe(true)
      expect(s.ticks.length).toBeLessThanOrEqual(11)
    }
  })
  it('bands split the width evenly with a gap', () => {
    expect(band(0, 4, 400, 0.5)).toEqual({ x: 25, w: 50 })
    expect(band(3, 4, 400, 0.5)).toEqual({ x: 325, w: 50 })
  })
  it('formats rates as percentages', () => {
    expect(formatValue(0.6667, true)).toBe('66.7%')
    expect(formatValue(12, false)).toBe('12')
  })
})
