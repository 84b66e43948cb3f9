// Axis scales for the hand-written SVG charts. Pure.

export interface Scale {
  /** Top of the axis (≥ the largest value). */
  max: number
  /** Tick values from 0 to max. */
  ticks: number[]
}

/**
 * A "nice" count axis from 0: steps of 1, 2 or 5 × 10ⁿ, about `target` ticks, integers only
 * (counts of tasks are whole numbers, so no 0.5 ticks).
 */
export function countScale(maxValue: number, target = 5): Scale {
  if (!(maxValue > 0)) return { max: 1, ticks: [0, 1] }
  const rough = maxValue / target
  const pow = 10 ** Math.floor(Math.log10(rough))
  const step = Math.max(
    1,
    [1, 2, 5, 10].map(m => m * pow).find(s => s >= rough)!,
  )
  const max = Math.ceil(maxValue / step) * step
  const ticks: number[] = []
  for (let v = 0; v <= max + step / 2; v += step) ticks.push(Math.round(v))
  return { max, ticks }
}

/** Rates are shown on a fixed 0–100 % axis, so years and agencies compare at a glance. */
export const PERCENT_SCALE: Scale = { max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] }

/** Where band i of n starts and how wide it is, in a span of `width` with `gap` (0..1) between bands. */
export function band(i: number, n: number, width: number, gap = 0.3): { x: number; w: number } {
  const step = width / Math.max(1, n)
  return { x: i * step + (step * gap) / 2, w: step * (1 - gap) }
}

export function formatValue(v: number, percent: boolean): string {
  return percent ? `${Math.round(v * 1000) / 10}%` : String(v)
}
