// Hand-written SVG charts: bars (grouped or stacked) and lines, with axes and Chinese labels.
// Accessible: the SVG is an image with a title and a description, every bar and point has its own
// <title>, and the numbers are in a table under the chart. Colours are the Okabe–Ito palette (safe
// for colour-blind readers), and every series after the first also has a texture, so the series
// still tell apart on a black-and-white printout.
import { useId, type ReactNode } from 'react'
import { zh } from '~/ui/zh'
import { band, countScale, formatValue, PERCENT_SCALE, type Scale } from './scale'

export const PALETTE = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  vermillion: '#D55E00',
  sky: '#56B4E9',
  purple: '#CC79A7',
} as const

export type Texture = 'solid' | 'hatch' | 'dots' | 'cross'

export interface Series {
  label: string
  values: (number | null)[]
  color: string
  texture?: Texture
}

interface ChartProps {
  /** Visible heading of the chart, also its accessible name. */
  title: string
  /** Category labels along the x axis (e.g. years). */
  categories: string[]
  series: Series[]
  /** Values are rates (0..1), shown on a 0–100 % axis. */
  percent?: boolean
  /** Text read out after the title, e.g. what the figures mean. */
  description?: string
  height?: number
}

const W = 640
const M = { top: 26, right: 12, bottom: 34, left: 52 }

function safeId(id: string) {
  return id.replace(/[^a-zA-Z0-9_-]/g, '')
}

/** A band no wider than `max`, centred in place: one year alone should not fill the whole chart. */
function capped(b: { x: number; w: number }, max: number) {
  return b.w <= max ? b : { x: b.x + (b.w - max) / 2, w: max }
}

function fillOf(prefix: string, s: Series, i: number) {
  return (s.texture ?? 'solid') === 'solid' ? s.color : `url(#${prefix}-t${i})`
}

function Textures({ prefix, series }: { prefix: string; series: Series[] }) {
  return (
    <defs>
      {series.map((s, i) => {
        const t = s.texture ?? 'solid'
        if (t === 'solid') return null
        return (
          <pattern
            key={i}
            id={`${prefix}-t${i}`}
            width="8"
            height="8"
            patternUnits="userSpaceOnUse"
            patternTransform={t === 'hatch' ? 'rotate(45)' : undefined}
          >
            <rect width="8" height="8" fill={s.color} />
            {t === 'hatch' ? <rect width="3" height="8" fill="#fff" fillOpacity="0.75" /> : null}
            {t === 'dots' ? <circle cx="4" cy="4" r="1.8" fill="#fff" fillOpacity="0.85" /> : null}
            {t === 'cross' ? <path d="M0 0L8 8M8 0L0 8" stroke="#fff" strokeOpacity="0.7" strokeWidth="1.1" /> : null}
          </pattern>
        )
      })}
    </defs>
  )
}

function Axes({
  scale,
  percent,
  plotW,
  plotH,
  categories,
}: {
  scale: Scale
  percent: boolean
  plotW: number
  plotH: number
  categories: string[]
}) {
  return (
    <g className="chart-axes" aria-hidden="true">
      {scale.ticks.map(t => {
        const y = M.top + plotH - (t / scale.max) * plotH
        return (
          <g key={t}>
            <line x1={M.left} x2={M.left + plotW} y1={y} y2={y} className={t === 0 ? 'chart-baseline' : 'chart-gridline'} />
            <text x={M.left - 8} y={y} dy="0.35em" textAnchor="end" className="chart-tick">
              {formatValue(t, percent)}
            </text>
          </g>
        )
      })}
      {categories.map((c, i) => {
        const b = band(i, categories.length, plotW, 0)
        return (
          <text key={c} x={M.left + b.x + b.w / 2} y={M.top + plotH + 20} textAnchor="middle" className="chart-tick">
            {c}
          </text>
        )
      })}
    </g>
  )
}

function Legend({ prefix, series }: { prefix: string; series: Series[] }) {
  if (series.length < 2) return null
  return (
    <ul className="chart-legend">
      {series.map((s, i) => (
        <li key={s.label}>
          <svg width="14" height="14" aria-hidden="true">
            <rect width="14" height="14" fill={fillOf(prefix, s, i)} stroke={s.color} />
          </svg>
          {s.label}
        </li>
      ))}
    </ul>
  )
}

function DataTable({ title, categories, series, percent }: { title: string; categories: string[]; series: Series[]; percent: boolean }) {
  return (
    <details className="chart-data">
      <summary>{zh.oversight.chart.data}</summary>
      <div className="scroll-x">
        <table className="data">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col" />
              {series.map(s => (
                <th key={s.label} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {categories.map((c, i) => (
              <tr key={c}>
                <th scope="row">{c}</th>
                {series.map(s => (
                  <td key={s.label} className="num">
                    {s.values[i] === null ? zh.common.none : formatValue(s.values[i]!, percent)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  )
}

function Frame({
  title,
  description,
  prefix,
  series,
  categories,
  percent,
  height,
  children,
}: ChartProps & { prefix: string; children: ReactNode; height: number }) {
  return (
    <figure className="chart">
      <figcaption id={`${prefix}-title`}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-labelledby={`${prefix}-svgtitle ${prefix}-desc`}
        className="chart-svg"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${prefix}-svgtitle`}>{title}</title>
        <desc id={`${prefix}-desc`}>{description ?? describe(categories, series, !!percent)}</desc>
        <Textures prefix={prefix} series={series} />
        {children}
      </svg>
      <Legend prefix={prefix} series={series} />
      <DataTable title={title} categories={categories} series={series} percent={!!percent} />
    </figure>
  )
}

/** A sentence per series, for screen readers: "销号率：2019年 50%，2020年 75%". */
function describe(categories: string[], series: Series[], percent: boolean): string {
  return series
    .map(
      s =>
        `${s.label}：${categories.map((c, i) => `${c} ${s.values[i] === null ? zh.common.none : formatValue(s.values[i]!, percent)}`).join('，')}`,
    )
    .join('；')
}

export function BarChart({ stacked = false, ...props }: ChartProps & { stacked?: boolean }) {
  const prefix = safeId(`c${useId()}`)
  const height = props.height ?? 260
  const plotW = W - M.left - M.right
  const plotH = height - M.top - M.bottom
  const { categories, series, percent = false } = props
  const peak = stacked
    ? Math.max(0, ...categories.map((_, i) => series.reduce((n, s) => n + (s.values[i] ?? 0), 0)))
    : Math.max(0, ...series.flatMap(s => s.values.map(v => v ?? 0)))
  const scale = percent ? PERCENT_SCALE : countScale(peak)
  const y = (v: number) => M.top + plotH - (v / scale.max) * plotH
  return (
    <Frame {...props} prefix={prefix} height={height}>
      <Axes scale={scale} percent={percent} plotW={plotW} plotH={plotH} categories={categories} />
      {categories.map((c, i) => {
        const slot = capped(band(i, categories.length, plotW, stacked ? 0.45 : 0.25), stacked ? 90 : 60 * series.length)
        if (stacked) {
          let base = 0
          const total = series.reduce((n, s) => n + (s.values[i] ?? 0), 0)
          return (
            <g key={c}>
              {series.map((s, k) => {
                const v = s.values[i] ?? 0
                const top = base + v
                const rect =
                  v > 0 ? (
                    <rect
                      key={s.label}
                      x={M.left + slot.x}
                      y={y(top)}
                      width={slot.w}
                      height={y(base) - y(top)}
                      fill={fillOf(prefix, s, k)}
                      stroke={s.color}
                      strokeWidth="1"
                    >
                      <title>{`${c} ${s.label}：${formatValue(v, percent)}`}</title>
                    </rect>
                  ) : null
                base = top
                return rect
              })}
              <text x={M.left + slot.x + slot.w / 2} y={y(total) - 6} textAnchor="middle" className="chart-value" aria-hidden="true">
                {formatValue(total, percent)}
              </text>
            </g>
          )
        }
        const w = slot.w / Math.max(1, series.length)
        return (
          <g key={c}>
            {series.map((s, k) => {
              const v = s.values[i]
              if (v === null) return null
              const x = M.left + slot.x + k * w
              return (
                <g key={s.label}>
                  <rect
                    x={x + 1}
                    y={y(v)}
                    width={Math.max(1, w - 2)}
                    height={Math.max(0, M.top + plotH - y(v))}
                    fill={fillOf(prefix, s, k)}
                    stroke={s.color}
                    strokeWidth="1"
                  >
                    <title>{`${c} ${s.label}：${formatValue(v, percent)}`}</title>
                  </rect>
                  <text x={x + w / 2} y={y(v) - 6} textAnchor="middle" className="chart-value" aria-hidden="true">
                    {formatValue(v, percent)}
                  </text>
                </g>
              )
            })}
          </g>
        )
      })}
    </Frame>
  )
}

export function LineChart(props: ChartProps) {
  const prefix = safeId(`c${useId()}`)
  const height = props.height ?? 260
  const plotW = W - M.left - M.right
  const plotH = height - M.top - M.bottom
  const { categories, series, percent = false } = props
  const scale = percent ? PERCENT_SCALE : countScale(Math.max(0, ...series.flatMap(s => s.values.map(v => v ?? 0))))
  const x = (i: number) => {
    const b = band(i, categories.length, plotW, 0)
    return M.left + b.x + b.w / 2
  }
  const y = (v: number) => M.top + plotH - (v / scale.max) * plotH
  const markers = ['circle', 'square', 'diamond'] as const
  return (
    <Frame {...props} prefix={prefix} height={height}>
      <Axes scale={scale} percent={percent} plotW={plotW} plotH={plotH} categories={categories} />
      {series.map((s, k) => {
        // A year without a value breaks the line rather than dropping it to zero.
        const runs: string[] = []
        let run = ''
        s.values.forEach((v, i) => {
          if (v === null) {
            if (run) runs.push(run)
            run = ''
          } else run += `${run ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`
        })
        if (run) runs.push(run)
        const marker = markers[k % markers.length]
        return (
          <g key={s.label}>
            {runs.map(d => (
              <path key={d} d={d} fill="none" stroke={s.color} strokeWidth="2.5" strokeDasharray={k === 0 ? undefined : '6 4'} />
            ))}
            {s.values.map((v, i) =>
              v === null ? null : (
                <g key={i}>
                  {marker === 'square' ? (
                    <rect x={x(i) - 4.5} y={y(v) - 4.5} width="9" height="9" fill={s.color} />
                  ) : marker === 'diamond' ? (
                    <path d={`M${x(i)} ${y(v) - 6}l6 6-6 6-6-6z`} fill={s.color} />
                  ) : (
                    <circle cx={x(i)} cy={y(v)} r="5" fill={s.color} stroke="#fff" strokeWidth="1.5" />
                  )}
                  <circle cx={x(i)} cy={y(v)} r="12" fill="transparent">
                    <title>{`${categories[i]} ${s.label}：${formatValue(v, percent)}`}</title>
                  </circle>
                  <text x={x(i)} y={y(v) - 10} textAnchor="middle" className="chart-value" aria-hidden="true">
                    {formatValue(v, percent)}
                  </text>
                </g>
              ),
            )}
          </g>
        )
      })}
    </Frame>
  )
}
