// The report's items: what to check first, the batch bar that sets unit, owner, deadline and
// priority on the ticked items, each item (with its editor when focused), and the text no item covers.
import { Form, Link } from '@remix-run/react'
import { useState } from 'react'
import { isUnder } from '~/auth/scope'
import { ConfirmButton } from '~/components/ConfirmButton'
import { DateInput } from '~/components/DateInput'
import { SubmitButton } from '~/components/SubmitButton'
import { isDoubtful } from '~/reports/review'
import { zh } from '~/ui/zh'
import { AddAsItem } from './AddAsItem'
import type { ReportItem, ReportPageData } from './types'

export function ReportItems({
  report,
  items,
  sorted,
  doubtful,
  uncovered,
  reviewing,
  units,
  people,
  tasks,
  focus,
  busy,
  select,
  jumpTo,
}: Pick<ReportPageData, 'report' | 'items' | 'reviewing' | 'units' | 'people' | 'tasks'> & {
  sorted: ReportItem[]
  doubtful: ReportItem[]
  uncovered: { start: number; end: number }[]
  focus: string | null
  busy: boolean
  select: (itemId: string, target: 'mark' | 'item') => void
  jumpTo: (id: string) => void
}) {
  const [checked, setChecked] = useState<string[]>([])
  // The unit chosen in the batch bar: owners are offered from its subtree only (the server checks it too).
  const [assignUnit, setAssignUnit] = useState('')
  const unitName = (uid: string | null) => units.find(u => u.id === uid)?.name
  const personName = (pid: string | null) => people.find(p => p.id === pid)?.display_name
  const taskOf = (itemId: string) => tasks.find(t => t.item_id === itemId)?.id
  return (
    <section className="panel" aria-label={zh.reports.items}>
      <h2>
        {zh.reports.items}（{items.length}）
      </h2>
      {items.length === 0 && report.status !== 'queued' && report.status !== 'processing' ? (
        <p className="muted">{zh.reports.noItems}</p>
      ) : null}
      {doubtful.length || uncovered.length ? (
        <div className="alert warn review-hints">
          <strong>请先核对：</strong>
          {doubtful.length ? (
            <span>
              提取把握不大的 {doubtful.length} 条（标“待核对”）：
              {doubtful.map((d, n) => (
                <button key={d.id} type="button" className="linklike" onClick={() => select(d.id, 'item')}>
                  {n ? '、' : ''}
                  {d.title.slice(0, 12)}
                </button>
              ))}
            </span>
          ) : null}
          {uncovered.length ? (
            <span>
              {doubtful.length ? '；' : ''}问题和措施部分有 {uncovered.length} 段文字未被提取（原文中虚线标出）：
              <button type="button" className="linklike" onClick={() => jumpTo(`gap-${uncovered[0].start}`)}>
                查看
              </button>
            </span>
          ) : null}
        </div>
      ) : null}
      {reviewing && items.length > 0 ? (
        <Form method="post" className="assign-bar" aria-label="批量设置">
          <input type="hidden" name="intent" value="assign" />
          {checked.map(c => (
            <input key={c} type="hidden" name="itemIds" value={c} />
          ))}
          <label className="check">
            <input
              type="checkbox"
              checked={checked.length === items.length}
              onChange={e => setChecked(e.target.checked ? items.map(i => i.id) : [])}
            />{' '}
            全选
          </label>
          <select name="unitId" aria-label="责任单位" value={assignUnit} onChange={e => setAssignUnit(e.target.value)}>
            <option value="">责任单位…</option>
            {units.map(u => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
          <select name="ownerId" aria-label="责任人" defaultValue="">
            <option value="">责任人…</option>
            {people
              .filter(p => !assignUnit || isUnder(p.unit_path, units.find(u => u.id === assignUnit)?.path ?? '\u0000'))
              .map(p => (
                <option key={p.id} value={p.id}>
                  {p.display_name}
                  {assignUnit ? '' : `（${units.find(u => u.id === p.unit_id)?.name ?? ''}）`}
                </option>
              ))}
          </select>
          <DateInput name="dueDate" aria-label="整改时限" />
          <select name="priority" aria-label="优先级" defaultValue="">
            <option value="">优先级…</option>
            <option value="high">高</option>
            <option value="normal">中</option>
            <option value="low">低</option>
          </select>
          {/* Not emptied after a save: the chosen unit and the ticked items are the page's state. */}
          <SubmitButton className="btn small" disabled={busy || checked.length === 0} reset={false}>
            应用到选中的 {checked.length} 条
          </SubmitButton>
        </Form>
      ) : null}
      <div className="items">
        {sorted.map(item => (
          <div key={item.id} id={`item-${item.id}`} className={`item${focus === item.id ? ' focus' : ''}`}>
            <div className="item-head">
              {reviewing ? (
                <input
                  type="checkbox"
                  aria-label={`选择“${item.title}”`}
                  checked={checked.includes(item.id)}
                  onChange={e => setChecked(c => (e.target.checked ? [...c, item.id] : c.filter(x => x !== item.id)))}
                />
              ) : null}
              <span className={`badge ${item.kind}`}>{zh.itemKind[item.kind]}</span>
              {reviewing && isDoubtful(item.confidence) ? (
                <span className="badge doubt" title={`提取把握 ${Math.round((item.confidence ?? 0) * 100)}%：请核对类型和起止位置`}>
                  待核对 {Math.round((item.confidence ?? 0) * 100)}%
                </span>
              ) : null}
              <button type="button" className="linklike title" onClick={() => select(item.id, 'mark')} title={zh.reports.jumpToText}>
                {item.title}
              </button>
            </div>
            <div className="meta">
              {[
                unitName(item.unit_id) ?? null,
                personName(item.owner_id) ?? null,
                item.due_date ? `时限 ${item.due_date}` : null,
                item.priority !== 'normal' ? `优先级 ${zh.priority[item.priority]}` : null,
              ]
                .filter(Boolean)
                .join(' · ')}
              {taskOf(item.id) ? (
                <>
                  {' '}
                  <Link to={`/tasks/${taskOf(item.id)}`}>查看任务</Link>
                </>
              ) : null}
            </div>
            {reviewing && focus === item.id ? (
              <ItemEditor
                key={`${item.id}:${item.version}`}
                item={item}
                others={sorted.filter(o => o.id !== item.id && o.kind === item.kind)}
                busy={busy}
              />
            ) : null}
          </div>
        ))}
      </div>
      {uncovered.length ? (
        <section aria-label="未提取的文字" className="gaps">
          <h3>未提取的文字（{uncovered.length} 段）</h3>
          <p className="muted small">以下文字在问题或整改措施部分中，但没有成为任何一条。如是遗漏，可直接添加；如不是，无需处理。</p>
          {uncovered.map(u => (
            <div key={u.start} id={`gap-${u.start}`} className={`gap${focus === `gap-${u.start}` ? ' focus' : ''}`}>
              <button type="button" className="linklike" onClick={() => jumpTo(`mark-uncovered-${u.start}`)} title={zh.reports.jumpToText}>
                {(report.text ?? '').slice(u.start, Math.min(u.end, u.start + 80))}
                {u.end - u.start > 80 ? '…' : ''}
              </button>
              <AddAsItem span={u} busy={busy} />
            </div>
          ))}
        </section>
      ) : null}
    </section>
  )
}

/**
 * The editor of one item. Keyed by the item's version, so after a merge, a split or another save it
 * opens afresh on the current text; the version it was opened with goes with the save, which the
 * server refuses if the item changed since.
 */
export function ItemEditor({
  item,
  others,
  busy,
}: {
  item: { id: string; title: string; text: string; kind: 'problem' | 'plan'; version: number }
  others: { id: string; title: string }[]
  busy: boolean
}) {
  return (
    <div className="item-editor">
      <Form method="post" className="stack">
        <input type="hidden" name="itemId" value={item.id} />
        <input type="hidden" name="version" value={item.version} />
        <label>
          标题
          <input type="text" name="title" defaultValue={item.title} required />
        </label>
        <label>
          类型
          <select name="kind" defaultValue={item.kind}>
            <option value="problem">问题</option>
            <option value="plan">整改措施</option>
          </select>
        </label>
        <label>
          内容
          <textarea name="text" defaultValue={item.text} rows={4} required />
        </label>
        <div className="row">
          <SubmitButton className="btn small" name="intent" value="edit" disabled={busy} reset={false}>
            保存
          </SubmitButton>
          <ConfirmButton
            className="btn small secondary danger"
            name="intent"
            value="delete"
            disabled={busy}
            formNoValidate
            message={`删除“${item.title}”？`}
            detail="删除后不能恢复。"
            confirmLabel="删除"
            pendingLabel="正在删除…"
          >
            删除
          </ConfirmButton>
        </div>
      </Form>
      {others.length ? (
        <Form method="post" className="row">
          <input type="hidden" name="intent" value="merge" />
          <input type="hidden" name="itemId" value={item.id} />
          <select name="otherId" aria-label="合并到本条的另一条">
            {others.map(o => (
              <option key={o.id} value={o.id}>
                {o.title.slice(0, 24)}
              </option>
            ))}
          </select>
          <SubmitButton className="btn small secondary" disabled={busy}>
            合并到本条
          </SubmitButton>
        </Form>
      ) : null}
    </div>
  )
}
