// 承诺兑现情况 on the oversight agency page: a chart year over year and the figures as a table.
import { BarChart, PALETTE } from '~/components/charts/Chart'
import { ExportLinks, Rate } from '~/components/Oversight'
import type { PromiseYear } from '~/oversight/promises'
import { zh } from '~/ui/zh'

export function PromiseKeeping({ years, search, agencyId }: { years: readonly PromiseYear[]; search: string; agencyId: string }) {
  const p = zh.paperwork.promises
  const c = p.columns
  return (
    <section className="panel" aria-labelledby="promises-title">
      <div className="section-head">
        <h2 id="promises-title">{p.title}</h2>
        {years.length ? <ExportLinks table="agency-promises" search={search} agencyId={agencyId} label={p.title} /> : null}
      </div>
      <p className="small muted">{p.help}</p>
      {years.length === 0 ? (
        <p className="muted">{p.none}</p>
      ) : (
        <>
          <BarChart
            title={p.chart}
            categories={years.map(y => zh.oversight.agency.year(y.year))}
            series={[
              { label: p.series.kept, values: years.map(y => y.kept), color: PALETTE.green },
              { label: p.series.notShown, values: years.map(y => y.commitments - y.kept), color: '#BBBBBB', texture: 'dots' },
              { label: p.series.recurred, values: years.map(y => y.recurred), color: PALETTE.vermillion, texture: 'hatch' },
            ]}
          />
          <div className="table-scroll">
            <table className="data compact">
              <thead>
                <tr>
                  {Object.values(c).map(h => (
                    <th key={h} scope="col" className={h === c.year ? undefined : 'num'}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {years.map(y => (
                  <tr key={y.year}>
                    <th scope="row">{zh.oversight.agency.year(y.year)}</th>
                    <td className="num">{zh.oversight.agency.year(y.priorYear)}</td>
                    <td className="num">{y.commitments}</td>
                    <td className="num">{y.kept}</td>
                    <td className="num">
                      <Rate value={y.keptRate} />
                    </td>
                    <td className="num">{y.problems}</td>
                    <td className="num">{y.recurred}</td>
                    <td className="num">
                      <Rate value={y.recurredRate} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  )
}
