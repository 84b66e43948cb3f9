// A report: its text and what was extracted from it; for a supervisor in scope, the review (edit,
// merge, split, add, assign, correct agency and year) and the confirmation step that makes tasks.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import {
  Form,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useSearchParams,
  type ShouldRevalidateFunction,
} from '@remix-run/react'
import { useEffect, useState } from 'react'
import { z } from 'zod'
import { can } from '~/auth/permissions'
import { listPeople } from '~/auth/scope.server'
import { requireUser } from '~/auth/session.server'
import { done, pageAction } from '~/forms/page-action.server'
import { ActionResult } from '~/components/ActionResult'
import { SubmitButton } from '~/components/SubmitButton'
import { PaperworkLinks } from '~/components/PaperworkLinks'
import { ConfirmStep } from '~/components/report/ConfirmStep'
import { FollowUps } from '~/components/report/FollowUps'
import { ReportItems } from '~/components/report/ReportItems'
import { ReportSummary } from '~/components/report/ReportSummary'
import { ReportText } from '~/components/report/ReportText'
import { db } from '~/db.server'
import { listUnits } from '~/org/org.server'
import { agencyIdOfReport, getReportForUser, visibleTasksOfReport } from '~/reports/queries.server'
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
import { decideSuggestion, listSuggestionsForReport } from '~/followup/suggestions.server'
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
  const tasks = found.report.status === 'confirmed' ? await visibleTasksOfReport(db, user, found.report.id) : []
  const followups = await listSuggestionsForReport(db, user, found.report.id)
  const paperwork = {
    canExport: can(user.role, 'ledger:export'),
    canDraft: canReview,
    agencyId: await agencyIdOfReport(db, found.report.id),
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
      <ReportSummary report={report} items={items} canReview={canReview} reviewing={reviewing} busy={busy} />
      {report.status === 'failed' ? (
        <div className="alert error" role="alert">
          {zh.reports.failed}：{report.error}
        </div>
      ) : null}
      {report.status === 'queued' || report.status === 'processing' ? <div className="alert info">{zh.reports.processing}</div> : null}
      {report.text ? (
        <div className="review">
          <ReportText
            text={report.text}
            items={items}
            passages={passages}
            uncovered={uncovered}
            reviewing={reviewing}
            focus={focus}
            focused={focused}
            busy={busy}
            onSelect={id => (id.startsWith('uncovered-') ? jumpTo(`gap-${id.slice('uncovered-'.length)}`) : onMark(id))}
          />
          <ReportItems
            report={report}
            items={items}
            sorted={sorted}
            doubtful={doubtful}
            uncovered={uncovered}
            reviewing={reviewing}
            units={units}
            people={people}
            tasks={tasks}
            focus={focus}
            busy={busy}
            select={select}
            jumpTo={jumpTo}
          />
        </div>
      ) : null}
      {followups.length ? <FollowUps followups={followups} reportId={report.id} canReview={canReview} busy={busy} /> : null}
    </>
  )
}
