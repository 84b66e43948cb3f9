// A report: its text and what was extracted from it; for a supervisor in scope, the review (edit,
// merge, split, add, assign, correct agency and year) and the confirmation step that makes tasks.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useSearchParams,
  type ShouldRevalidateFunction,
} from '@remix-run/react'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { z } from 'zod'
import { can } from '~/auth/permissions'
import { isUnder } from '~/auth/scope'
import { listPeople, taskVisible } from '~/auth/scope.server'
import { requireUser } from '~/auth/session.server'
import { done, pageAction } from '~/forms/page-action.server'
import { AgencyInput } from '~/components/AgencyInput'
import { HighlightedText, selectionOffsets } from '~/components/HighlightedText'
import { ActionResult } from '~/components/ActionResult'
import { ConfirmButton } from '~/components/ConfirmButton'
import { DateInput } from '~/components/DateInput'
import { SubmitButton } from '~/components/SubmitButton'
import { PaperworkLinks } from '~/components/PaperworkLinks'
import { Confidence, DecisionButtons, SuggestionStatusBadge, textBeyondTitle } from '~/components/FollowUp'
import { ReportStatusBadge } from '~/components/StatusBadge'
import { db } from '~/db.server'
import { listUnits } from '~/org/org.server'
import { getReportForUser } from '~/reports/queries.server'
import { requestFollowUps } from '~/jobs/client.server'
import {
  addItemFromSelection,
  assignItems,
  correctReportMetadata,
  deleteItem,
  editItem,
  mergeItems,
  splitItem,
  unownedItems,
} from '~/reports/review.server'
import { isDoubtful, parseSections, uncoveredStretches } from '~/reports/review'
import { confirmReport } from '~/tasks/tasks.server'
import { decideSuggestion, listSuggestionsForReport, type SuggestionRow } from '~/followup/suggestions.server'
import { formatDateTime } from '~/ui/format'
import { usePollWhile } from '~/ui/hooks'
import { zh } from '~/ui/zh'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.report.agency_name ?? data?.report.filename ?? zh.reports.detail} · ${zh.appName}` },
]

// After every post, refused ones too: a save refused because the item changed (409) must show the item as it now is.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod?.toUpperCase() === 'POST' ? true : defaultShouldRevalidate

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:read')
  const found = await getReportForUser(db, { id: params.reportId!, user })
  if (!found) throw new Response('Not Found', { status: 404 })
  // Staff (and anyone) may read the report a task of theirs comes from; reviewing it needs the report filed in their subtree.
  const canReview = can(user.role, 'report:review') && found.filedInScope
  const reviewing = canReview && found.report.status === 'extracted'
  const units = reviewing ? await listUnits(db, user) : []
  // Possible owners: active people of a role that may own tasks; the form narrows them to the chosen unit's subtree.
  const people = reviewing
    ? (await listPeople(db, user, { owners: true })).map(p => ({
        id: p.id,
        display_name: p.display_name,
        unit_id: p.unit_id,
        unit_path: p.unit_path,
      }))
    : []
  // Links to the report's tasks the user may open (the same rule as the task page), and no others.
  const tasks =
    found.report.status === 'confirmed'
      ? await db
          .selectFrom('tasks')
          .innerJoin('units', 'units.id', 'tasks.unit_id')
          .select(['tasks.id', 'tasks.item_id'])
          .where('tasks.report_id', '=', found.report.id)
          .where(taskVisible(user))
          .execute()
      : []
  const followups = await listSuggestionsForReport(db, user, found.report.id)
  const paperwork = {
    canExport: can(user.role, 'ledger:export'),
    canDraft: canReview,
    agencyId: (await db.selectFrom('reports').select('agency_id').where('id', '=', found.report.id).executeTakeFirst())?.agency_id ?? null,
  }
  return json({ ...found, canReview, reviewing, units, people, tasks, followups, paperwork })
}

const id = z.string().min(1)
const Intent = z.discriminatedUnion('intent', [
  // The first post asks (answers with what confirming will do, unowned items listed); `confirmed` with the count of unowned items seen does it.
  z.object({
    intent: z.literal('confirm'),
    confirmed: z.literal('yes').optional(),
    unownedSeen: z.coerce.number().int().min(0).optional(),
  }),
  z.object({
    intent: z.literal('edit'),
    itemId: id,
    title: z.string(),
    text: z.string(),
    kind: z.enum(['problem', 'plan']),
    version: z.coerce.number().int().optional(),
  }),
  z.object({
    intent: z.literal('metadata'),
    agencyName: z.string().trim().min(1, '请填写报告机关。').max(100, '报告机关名称不能超过 100 字。'),
    year: z
      .string()
      .trim()
      .regex(/^\d{4}$/, '年度应为四位数字，例如 2023。'),
  }),
  z.object({ intent: z.literal('delete'), itemId: id }),
  z.object({ intent: z.literal('followup'), suggestionId: id, decision: z.enum(['confirm', 'reject']) }),
  z.object({ intent: z.literal('merge'), itemId: id, otherId: id }),
  z.object({ intent: z.literal('split'), itemId: id, at: z.coerce.number().int() }),
  z.object({
    intent: z.literal('add'),
    start: z.coerce.number().int(),
    end: z.coerce.number().int(),
    kind: z.enum(['problem', 'plan']),
    dueDate: z.string().optional(),
  }),
  z.object({
    intent: z.literal('assign'),
    itemIds: z.array(id).min(1, '请至少选择一条。'),
    unitId: z.string().optional(),
    ownerId: z.string().optional(),
    dueDate: z.string().optional(),
    priority: z.enum(['', 'high', 'normal', 'low']).optional(),
  }),
])

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    permission: 'report:review',
    schema: Intent,
    arrays: ['itemIds'],
    // Scope before anything else: a report outside the user's subtree is simply not found.
    load: async ({ user, params }) => {
      const found = await getReportForUser(db, { id: params.reportId!, user })
      if (!found || !found.filedInScope) throw new Response('Not Found', { status: 404 })
      return found
    },
    handlers: {
      confirm: async ({ user, params, data: d, loaded: found }) => {
        const reportId = params.reportId!
        if (found.report.status === 'extracted') {
          // Unowned items become 待分派 tasks: the supervisor sees them listed before the tasks are made,
          // and again if more became unowned since.
          const unowned = await unownedItems(db, reportId)
          if (d.confirmed !== 'yes' || unowned.length > (d.unownedSeen ?? 0))
            return json({ confirmStep: { total: found.items.length, unowned } })
        }
        const result = await confirmReport(db, user, reportId, new Date())
        if (!result) throw new Response('Not Found', { status: 404 })
        return done(`已确认，生成 ${result.created} 个整改任务。`)
      },
      edit: async ({ user, params, data: d }) => {
        await editItem(db, user, params.reportId!, d.itemId, { title: d.title, text: d.text, kind: d.kind, version: d.version })
        return done('已保存。')
      },
      metadata: async ({ user, params, data: d }) => {
        const r = await correctReportMetadata(db, user, params.reportId!, { agencyName: d.agencyName, year: Number(d.year) }, new Date())
        const queued = await requestFollowUps(r.followUps)
        return done(queued ? '报告机关和年度已更正，跨年对照将重新运行。' : '报告机关和年度已更正；跨年对照稍后由后台重新运行。')
      },
      delete: async ({ user, params, data: d }) => {
        await deleteItem(db, user, params.reportId!, d.itemId)
        return done('已删除。')
      },
      followup: async ({ user, data: d }) => {
        const r = await decideSuggestion(db, user, d.suggestionId, d.decision === 'confirm')
        return done(r.status === 'confirmed' ? zh.followup.confirmedOk : zh.followup.rejectedOk)
      },
      merge: async ({ user, params, data: d }) => {
        await mergeItems(db, user, params.reportId!, d.itemId, d.otherId)
        return done('已合并。')
      },
      split: async ({ user, params, data: d }) => {
        await splitItem(db, user, params.reportId!, d.itemId, d.at)
        return done('已拆分为两条。')
      },
      add: async ({ user, params, data: d }) => {
        await addItemFromSelection(
          db,
          user,
          params.reportId!,
          { start: d.start, end: d.end, kind: d.kind, dueDate: d.dueDate || null },
          new Date(),
        )
        return done('已添加。')
      },
      assign: async ({ user, params, data: d }) => {
        const r = await assignItems(
          db,
          user,
          params.reportId!,
          d.itemIds,
          {
            unitId: d.unitId || undefined,
            ownerId: d.ownerId || undefined,
            dueDate: d.dueDate || undefined,
            priority: d.priority || undefined,
          },
          new Date(),
        )
        return done(`已设置 ${r.updated} 条。`)
      },
    },
  })
}

export default function ReportDetail() {
  const { report, items, canReview, reviewing, units, people, tasks, followups, paperwork } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const [focus, setFocus] = useState<string | null>(null)
  const [checked, setChecked] = useState<string[]>([])
  // The unit chosen in the batch bar: owners are offered from its subtree only (the server checks it too).
  const [assignUnit, setAssignUnit] = useState('')
  const [selection, setSelection] = useState<{ start: number; end: number } | null>(null)
  const docRef = useRef<HTMLElement>(null)
  const busy = useNavigation().state !== 'idle'
  usePollWhile(report.status === 'queued' || report.status === 'processing')

  const select = (itemId: string, target: 'mark' | 'item') => {
    setFocus(itemId)
    document.getElementById(`${target}-${itemId}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' })
  }
  // Passages of this report that earlier commitments' evidence points at (not the rejected ones).
  const passages = followups.filter(
    f =>
      f.kind === 'evidence' &&
      f.later_report_id === report.id &&
      f.status !== 'rejected' &&
      f.start_offset !== null &&
      f.end_offset !== null,
  )
  // Opened at a passage (#mark-<suggestion>, e.g. from a task page): mark it as the focus.
  const { hash } = useLocation()
  useEffect(() => {
    const m = /^#mark-(.+)$/.exec(hash)
    if (m) setFocus(decodeURIComponent(m[1]))
  }, [hash])
  const onMark = (id: string) =>
    passages.some(p => p.id === id)
      ? document.getElementById(`followup-${id}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' })
      : select(id, 'item')
  const sorted = [...items].sort((a, b) => a.start_offset - b.start_offset)
  const problems = items.filter(i => i.kind === 'problem').length
  const unitName = (uid: string | null) => units.find(u => u.id === uid)?.name
  const personName = (pid: string | null) => people.find(p => p.id === pid)?.display_name
  const taskOf = (itemId: string) => tasks.find(t => t.item_id === itemId)?.id
  const focused = sorted.find(i => i.id === focus)
  // What the reviewer should look at first: items the extractor doubted, and section text no item covers.
  const doubtful = reviewing ? sorted.filter(i => isDoubtful(i.confidence)) : []
  const uncovered = reviewing
    ? uncoveredStretches(
        report.text ?? '',
        parseSections(report.sections),
        items.map(i => ({ start: i.start_offset, end: i.end_offset })),
      )
    : []
  const jumpTo = (id: string) => {
    setFocus(id)
    document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'center' })
  }

  return (
    <>
      <div className="toolbar">
        <h1>{report.title ?? report.agency_name ?? report.filename}</h1>
        {canReview && report.status === 'extracted' && items.length > 0 ? (
          <Form method="post">
            <SubmitButton name="intent" value="confirm" disabled={busy} pendingLabel="正在核对…">
              {zh.reports.confirm}
            </SubmitButton>
          </Form>
        ) : null}
      </div>
      <PaperworkLinks reportId={report.id} confirmed={report.status === 'confirmed'} year={report.year} {...paperwork} />
      {params.get('duplicate') ? <div className="alert info">{zh.upload.duplicate}</div> : null}
      <ActionResult result={result} />
      {result && 'confirmStep' in result && reviewing ? (
        <ConfirmStep step={result.confirmStep} busy={busy} onShow={id => select(id, 'item')} />
      ) : null}
      {report.status === 'confirmed' && !(result && 'ok' in result) ? <div className="alert ok">{zh.reports.confirmed}</div> : null}
      <div className="panel">
        <dl className="meta-grid">
          <Meta label={zh.reports.columns.agency} value={report.agency_name} doubt={reviewing && isDoubtful(report.agency_confidence)} />
          <Meta label={zh.reports.columns.year} value={report.year} doubt={reviewing && isDoubtful(report.year_confidence)} />
          <Meta label={zh.reports.published} value={report.published_at} />
          <div>
            <dt>{zh.reports.columns.status}</dt>
            <dd>
              <ReportStatusBadge status={report.status} />
            </dd>
          </div>
          <Meta label={zh.reports.columns.items} value={`${problems} / ${items.length - problems}`} />
          <Meta label={zh.reports.encoding} value={report.encoding} />
          <Meta label="文件" value={report.filename} />
          <Meta label={zh.reports.columns.uploaded} value={formatDateTime(report.created_at)} />
        </dl>
        {canReview && (report.status === 'extracted' || report.status === 'confirmed') ? (
          <MetadataForm agencyName={report.agency_name} year={report.year} busy={busy} />
        ) : null}
      </div>
      {report.status === 'failed' ? (
        <div className="alert error" role="alert">
          {zh.reports.failed}：{report.error}
        </div>
      ) : null}
      {report.status === 'queued' || report.status === 'processing' ? <div className="alert info">{zh.reports.processing}</div> : null}
      {report.text ? (
        <div className="review">
          <section
            className="panel"
            aria-label={zh.reports.text}
            ref={docRef}
            onMouseUp={() => reviewing && setSelection(selectionOffsets(docRef.current?.querySelector('[data-doc]') as HTMLElement))}
          >
            <h2>{zh.reports.text}</h2>
            {reviewing ? (
              <div className="selection-bar small">
                {selection && selection.end > selection.start ? (
                  <AddAsItem span={selection} busy={busy}>
                    <span>已选中 {selection.end - selection.start} 字：</span>
                  </AddAsItem>
                ) : (
                  <span className="muted">
                    在原文中选中一段文字，可把它添加为问题或整改措施；选中某条后，在其文字中点击一处可在该处拆分。
                  </span>
                )}
                {focused &&
                selection &&
                selection.start === selection.end &&
                selection.start > focused.start_offset &&
                selection.start < focused.end_offset ? (
                  <Form method="post" className="inline">
                    <input type="hidden" name="intent" value="split" />
                    <input type="hidden" name="itemId" value={focused.id} />
                    <input type="hidden" name="at" value={selection.start} />
                    <SubmitButton className="btn small secondary" disabled={busy}>
                      在光标处拆分“{focused.title.slice(0, 12)}”
                    </SubmitButton>
                  </Form>
                ) : null}
              </div>
            ) : null}
            <HighlightedText
              text={report.text}
              highlights={[
                ...items.map(i => ({ id: i.id, kind: i.kind, start: i.start_offset, end: i.end_offset })),
                ...passages.map(p => ({ id: p.id, kind: 'evidence' as const, start: p.start_offset!, end: p.end_offset! })),
                ...uncovered.map(u => ({ id: `uncovered-${u.start}`, kind: 'uncovered' as const, start: u.start, end: u.end })),
              ]}
              focusId={focus}
              onSelect={id => (id.startsWith('uncovered-') ? jumpTo(`gap-${id.slice('uncovered-'.length)}`) : onMark(id))}
            />
          </section>
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
                    <button
                      type="button"
                      className="linklike"
                      onClick={() => jumpTo(`mark-uncovered-${u.start}`)}
                      title={zh.reports.jumpToText}
                    >
                      {(report.text ?? '').slice(u.start, Math.min(u.end, u.start + 80))}
                      {u.end - u.start > 80 ? '…' : ''}
                    </button>
                    <AddAsItem span={u} busy={busy} />
                  </div>
                ))}
              </section>
            ) : null}
          </section>
        </div>
      ) : null}
      {followups.length ? <FollowUps followups={followups} reportId={report.id} canReview={canReview} busy={busy} /> : null}
    </>
  )
}

/** Cross-year findings: last year's commitments with evidence in the next report, and problems that recur, side by side. */
function FollowUps({
  followups,
  reportId,
  canReview,
  busy,
}: {
  followups: SuggestionRow[]
  reportId: string
  canReview: boolean
  busy: boolean
}) {
  const f = zh.followup
  const evidence = followups.filter(s => s.kind === 'evidence')
  const recurring = followups.filter(s => s.kind === 'recurring')
  const decide = (s: SuggestionRow) => (
    <>
      <SuggestionStatusBadge status={s.status} />
      {canReview && s.status === 'pending' ? (
        <Form method="post" className="row decision">
          <input type="hidden" name="intent" value="followup" />
          <input type="hidden" name="suggestionId" value={s.id} />
          <DecisionButtons busy={busy} label={s.earlier_title} />
        </Form>
      ) : null}
      {s.decided_at ? <div className="small muted">{f.decidedBy(s.decided_by_name, formatDateTime(s.decided_at))}</div> : null}
    </>
  )
  const reportLink = (id: string, year: number | null) =>
    id !== reportId ? <Link to={`/reports/${id}`}>{f.year(year)}</Link> : <span>{f.report.thisReport(f.year(year))}</span>
  const title = (text: string, taskId: string | null) => (taskId ? <Link to={`/tasks/${taskId}`}>{text}</Link> : text)
  return (
    <section className="panel" aria-label={f.report.title}>
      <h2>
        {f.report.title}（{followups.length}）
      </h2>
      <p className="muted small">{f.help}</p>
      {evidence.length ? (
        <>
          <h3>
            {f.report.evidenceTitle}（{evidence.length}）
          </h3>
          <table className="data followup cards">
            <thead>
              <tr>
                <th>{f.earlierPlan}</th>
                <th>{f.laterPassage}</th>
                <th className="c-score">{f.columns.score}</th>
                <th className="c-decision">{f.columns.decision}</th>
              </tr>
            </thead>
            <tbody>
              {evidence.map(s => (
                <tr key={s.id} id={`followup-${s.id}`}>
                  <td data-label={f.earlierPlan}>
                    <div className="item-title">{title(s.earlier_title, s.earlier_task_id)}</div>
                    <div className="small muted">{reportLink(s.earlier_report_id, s.earlier_year)}</div>
                  </td>
                  <td data-label={f.laterPassage}>
                    <div className="quote passage">{s.passage}</div>
                    <div className="small muted">
                      {reportLink(s.later_report_id, s.later_year)}
                      {' · '}
                      <a href={s.later_report_id === reportId ? `#mark-${s.id}` : `/reports/${s.later_report_id}#mark-${s.id}`}>
                        {f.openReport}
                      </a>
                    </div>
                  </td>
                  <td>
                    <Confidence score={s.score} />
                  </td>
                  <td>{decide(s)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {recurring.length ? (
        <>
          <h3>
            {f.report.recurringTitle}（{recurring.length}）
          </h3>
          <table className="data followup cards">
            <thead>
              <tr>
                <th>{f.report.earlierProblem}</th>
                <th>{f.report.laterProblem}</th>
                <th className="c-score">{f.columns.score}</th>
                <th className="c-decision">{f.columns.decision}</th>
              </tr>
            </thead>
            <tbody>
              {recurring.map(s => (
                <tr key={s.id} id={`followup-${s.id}`}>
                  <td data-label={f.report.earlierProblem}>
                    <div className="item-title">{title(s.earlier_title, s.earlier_task_id)}</div>
                    {textBeyondTitle(s.earlier_title, s.earlier_text) ? (
                      <div className="small clamp muted-text">{s.earlier_text}</div>
                    ) : null}
                    <div className="small muted">{reportLink(s.earlier_report_id, s.earlier_year)}</div>
                  </td>
                  <td data-label={f.report.laterProblem}>
                    <div className="item-title">{title(s.later_title ?? '', s.later_task_id)}</div>
                    {textBeyondTitle(s.later_title ?? '', s.later_text) ? (
                      <div className="small clamp muted-text">{s.later_text}</div>
                    ) : null}
                    <div className="small muted">{reportLink(s.later_report_id, s.later_year)}</div>
                  </td>
                  <td>
                    <Confidence score={s.score} />
                  </td>
                  <td>{decide(s)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  )
}

/** Buttons that add a stretch of the document (a selection, or text no item covers) as a problem or a measure. */
function AddAsItem({ span, busy, children }: { span: { start: number; end: number }; busy: boolean; children?: ReactNode }) {
  return (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value="add" />
      <input type="hidden" name="start" value={span.start} />
      <input type="hidden" name="end" value={span.end} />
      {children}
      <SubmitButton className="btn small" name="kind" value="problem" disabled={busy}>
        添加为问题
      </SubmitButton>
      <SubmitButton className="btn small secondary" name="kind" value="plan" disabled={busy}>
        添加为整改措施
      </SubmitButton>
    </Form>
  )
}

/** What confirming will do, asked before doing it: the count of tasks, and the items no one owns yet (they become 待分派). */
function ConfirmStep({
  step,
  busy,
  onShow,
}: {
  step: { total: number; unowned: Array<{ id: string; title: string }> }
  busy: boolean
  onShow: (id: string) => void
}) {
  const { pathname, search } = useLocation()
  return (
    <section
      role="alertdialog"
      aria-labelledby="confirm-step-title"
      aria-describedby="confirm-step-help"
      className={`alert ${step.unowned.length ? 'warn' : 'info'}`}
      tabIndex={-1}
      autoFocus
    >
      <h2 id="confirm-step-title">确认并生成 {step.total} 个整改任务？</h2>
      <p id="confirm-step-help">确认后，提取结果将不能再修改。</p>
      {step.unowned.length ? (
        <>
          <p>
            <strong>以下 {step.unowned.length} 条尚未指定责任人</strong>，确认后将成为“待分派”任务，需要再逐一分派：
          </p>
          <ul>
            {step.unowned.map(u => (
              <li key={u.id}>
                <button type="button" className="linklike" onClick={() => onShow(u.id)}>
                  {u.title}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <Form method="post" className="row">
        <input type="hidden" name="intent" value="confirm" />
        <input type="hidden" name="confirmed" value="yes" />
        <input type="hidden" name="unownedSeen" value={step.unowned.length} />
        <SubmitButton disabled={busy} pendingLabel="正在生成任务…">
          {step.unowned.length ? `仍然确认，生成 ${step.total} 个任务` : `确定生成 ${step.total} 个任务`}
        </SubmitButton>
        <Link to={pathname + search} className="btn secondary">
          {step.unowned.length ? '先去分派' : '取消'}
        </Link>
      </Form>
    </section>
  )
}

/** Corrects the agency and year the extraction found (or missed); checked again on the server. */
function MetadataForm({ agencyName, year, busy }: { agencyName: string | null; year: number | null; busy: boolean }) {
  return (
    <details className="metadata-fix">
      <summary>更正报告机关和年度</summary>
      <Form method="post" className="row">
        <input type="hidden" name="intent" value="metadata" />
        <label>
          报告机关
          <AgencyInput name="agencyName" defaultValue={agencyName ?? ''} />
        </label>
        <label>
          年度
          <input type="text" name="year" inputMode="numeric" defaultValue={year ?? ''} size={6} required />
        </label>
        <SubmitButton className="btn small" disabled={busy} reset={false}>
          保存更正
        </SubmitButton>
      </Form>
    </details>
  )
}

function Meta({ label, value, doubt }: { label: string; value: string | number | null | undefined; doubt?: boolean }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        {value ?? zh.common.none}
        {doubt ? (
          <span className="tag doubt" title="提取把握不大，请核对">
            待核对
          </span>
        ) : null}
      </dd>
    </div>
  )
}

/**
 * The editor of one item. Keyed by the item's version, so after a merge, a split or another save it
 * opens afresh on the current text; the version it was opened with goes with the save, which the
 * server refuses if the item changed since.
 */
function ItemEditor({
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
