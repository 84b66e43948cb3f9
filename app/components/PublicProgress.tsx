// The public progress table, shared by the public page and its print view. Renders only the view
// model (app/publish/public.ts), through React, so every string is escaped.
import type { PublicProgress } from '~/publish/public'
import { zh } from '~/ui/zh'

export function PublicProgressTable({ view }: { view: PublicProgress }) {
  const c = zh.paperwork.public.columns
  const none = zh.paperwork.public.none
  if (!view.items.length) return <p>{zh.paperwork.public.empty}</p>
  return (
    <div className="table-scroll">
      <table className="public-progress">
        <thead>
          <tr>
            <th scope="col">{c.n}</th>
            <th scope="col">{c.kind}</th>
            <th scope="col">{c.title}</th>
            <th scope="col">{c.status}</th>
            <th scope="col">{c.progress}</th>
            <th scope="col">{c.due}</th>
            <th scope="col">{c.closed}</th>
            <th scope="col">{c.evidence}</th>
          </tr>
        </thead>
        <tbody>
          {view.items.map(i => (
            <tr key={i.key} id={`item-${i.n}`}>
              <td>{i.n}</td>
              <td>{i.kind}</td>
              <td>{i.title}</td>
              <td>{i.statusLabel}</td>
              <td>
                <progress max={100} value={i.progress} aria-label={`${c.progress} ${i.progress}%`} /> {i.progress}%
              </td>
              <td>{i.dueDate ?? none}</td>
              <td>{i.closedOn ?? none}</td>
              <td>
                {i.evidence.length ? (
                  <ul>
                    {i.evidence.map((e, k) => (
                      <li key={k}>{e}</li>
                    ))}
                  </ul>
                ) : (
                  none
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
