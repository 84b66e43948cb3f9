import { DateInput } from '~/components/DateInput'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams, useSubmit } from '@remix-run/react'
import { useEffect, useMemo, useState } from 'react'
import type { TaskStatus } from '../../db/schema'
import { can } from '~/auth/permissions'
import { requireUser } from '~/auth/session.server'
import { z } from 'zod'
import { ActionResult } from '~/components/ActionResult'
import { SubmitButton } from '~/components/SubmitButton'
import { done, failure, pageAction } from '~/forms/page-action.server'
import { isActionFailure } from '~/forms/toast'
import { TaskStatusBadge } from '~/components/StatusBadge'
import { db } from '~/db.server'
import { listUnits } from '~/org/org.server'
import { bulkUpdateTasks } from '~/tasks/bulk.server'
import { isUnder } from '~/auth/scope'
import { listPeople } from '~/auth/scope.server'
import { todayInShanghai } from '~/tasks/dates'
import { listTasks, scopedTasks, type TaskFilters } from '~/tasks/queries.server'
import { reportYears } from '~/reports/queries.server'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.tasks.title} · ${zh.appName}` }]

const STATUSES = Object.keys(zh.taskStatus) as TaskStatus[]
const SORTS = ['due', 'updated', 'created', 'status'] as const

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'task:read')
  const p = new URL(request.url).searchParams
  const status = p.get('status')
  const filters: TaskFilters = {
    // Staff see their own work; supervisors and oversight see their whole scope.
    mine: user.role === 'staff' ? true : p.get('mine') === '1',
    status: status && STATUSES.includes(status as TaskStatus) ? [status as TaskStatus] : undefined,
    overdue: p.get('overdue') === '1' ? true : undefined,
    returned: p.get('returned') === '1' ? true : undefined,
    year: Number(p.get('year')) || undefined,
    reportId: p.get('report') || undefined,
    dueBefore: /^\d{4}-\d{2}-\d{2}$/.test(p.get('due') ?? '') ? p.get('due')! : undefined,
    q: p.get('q')?.trim() || undefined,
    sort: (SORTS as readonly string[]).includes(p.get('sort') ?? '') ? (p.get('sort') as TaskFilters['sort']) : 'due',
    limit: 500,
  }
  const tasks = await listTasks(db, user, filters)
  const years = await reportYears(db)
  // Source reports the user has tasks from, for the report filter.
  const reports = await (
    await scopedTasks(db, user, { mine: filters.mine })
  )
    .select(['reports.id', 'reports.agency_name', 'reports.filename', 'reports.year'])
    .distinct()
    .orderBy('reports.year', 'desc')
    .limit(200)
    .execute()
  const canManage = can(user.role, 'task:manage')
  // Bulk changes (supervisors): the owners and units they may choose; each task is checked again on the server.
  const [owners, units] = canManage
    ? await Promise.all([listPeople(db, user, { owners: true, orderBy: 'unit' }), listUnits(db, user)])
    : [[], []]
  return json({
    tasks,
    years,
    reports,
    isStaff: user.role === 'staff',
    canIssueNotices: canManage,
    canManage,
    owners,
    units,
    today: todayInShanghai(),
  })
}

/** 批量修改: the selected tasks get the chosen owner / unit / deadline, all or none (app/tasks/bulk.server.ts). */
const Bulk = z.object({
  intent: z.literal('bulk'),
  taskIds: z.array(z.string()),
  ownerId: z.string().optional(),
  unitId: z.string().optional(),
  dueDate: z.string().optional(),
})

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    permission: 'task:manage',
    schema: Bulk,
    arrays: ['taskIds'],
    handlers: {
      // The same list again (its filters kept), with the toast; a refusal changes nothing and stays here.
      bulk: async ({ user, data }) => {
        const r = await bulkUpdateTasks(db, user, {
          taskIds: data.taskIds,
          ownerId: data.ownerId,
          unitId: data.unitId,
          dueDate: data.dueDate,
        })
        return r.ok ? done(r.message) : failure(r.status, { error: r.message, intent: data.intent })
      },
    },
  })
}

function BulkPanel({
  taskIds,
  owners,
  units,
  today,
}: {
  taskIds: string[]
  owners: { id: string; display_name: string; unit_name: string; unit_path: string }[]
  units: { id: string; name: string; path: string }[]
  today: string
}) {
  const result = useActionData<typeof action>()
  const [unitId, setUnitId] = useState('')
  const unitPath = units.find(u => u.id === unitId)?.path
  // Owners of the chosen unit (or below it); without a unit, everyone in scope.
  const choices = unitPath ? owners.filter(o => isUnder(o.unit_path, unitPath)) : owners
  const [selected, setSelected] = useState(0)
  useEffect(() => {
    const count = () => setSelected(document.querySelectorAll('input[name="taskIds"][form="bulk"]:checked').length)
    count()
    document.addEventListener('change', count)
    return () => document.removeEventListener('change', count)
  }, [taskIds])
  // After a change SubmitButton empties the form, ticks included (they belong to it by form="bulk"):
  // the list reloads with the new values.
  const cleared = () => {
    document.querySelectorAll<HTMLInputElement>('input[form="bulk-all"]').forEach(b => (b.checked = false))
    setSelected(0)
    setUnitId('')
  }
  return (
    <details className="panel bulk" open={selected > 0 || isActionFailure(result) || undefined}>
      <summary>{selected ? `批量修改（已选 ${selected} 项）` : '批量修改：勾选任务后在此修改责任人、责任单位或整改时限'}</summary>
      <ActionResult result={result} />
      <Form method="post" id="bulk" className="filters" onReset={cleared}>
        <label className="check">
          <input
            type="checkbox"
            form="bulk-all"
            onChange={e => {
              const on = e.currentTarget.checked
              document.querySelectorAll<HTMLInputElement>('input[name="taskIds"][form="bulk"]').forEach(b => (b.checked = on))
              setSelected(on ? taskIds.length : 0)
            }}
          />{' '}
          全选本页 {taskIds.length} 项
        </label>
        <select name="unitId" value={unitId} onChange={e => setUnitId(e.currentTarget.value)} aria-label="责任单位">
          <option value="">责任单位不变</option>
          {units.map(u => (
            <option key={u.id} value={u.id}>
              {'　'.repeat(Math.max(0, u.path.split('/').length - 3))}
              {u.name}
            </option>
          ))}
        </select>
        <select name="ownerId" defaultValue="" aria-label="责任人">
          <option value="">责任人不变</option>
          {choices.map(o => (
            <option key={o.id} value={o.id}>
              {o.display_name}（{o.unit_name}）
            </option>
          ))}
        </select>
        <label className="check">
          整改时限 <DateInput name="dueDate" min={today} aria-label="整改时限" />
        </label>
        <SubmitButton name="intent" value="bulk" disabled={selected === 0} pendingLabel="正在修改…">
          {`应用到所选 ${selected} 项`}
        </SubmitButton>
      </Form>
      <p className="small muted">每项任务单独检查权限并记入任务动态，新责任人会收到通知；有一项不能修改时，全部不改。</p>
    </details>
  )
}

export default function MyTasks() {
  const { tasks, years, reports, isStaff, canIssueNotices, canManage, owners, units, today } = useLoaderData<typeof loader>()
  const taskIds = useMemo(() => tasks.map(t => t.id), [tasks])
  const [params] = useSearchParams()
  const submit = useSubmit()
  const c = zh.tasks.columns
  const filtered = [...params.keys()].some(k => k !== 'sort' && k !== 'index')
  return (
    <>
      <div className="toolbar">
        <h1>{isStaff ? zh.tasks.title : '整改任务'}</h1>
        {canIssueNotices ? <Link to="/tasks/notices">{zh.paperwork.notice.batch.link}</Link> : null}
      </div>
      <details className="filter-toggle" open={filtered || undefined}>
        <summary>{filtered ? '筛选（已筛选）' : '筛选'}</summary>
      </details>
      <Form method="get" className="filters" onChange={e => submit(e.currentTarget)} aria-label="筛选">
        <select name="status" defaultValue={params.get('status') ?? ''} aria-label="状态">
          <option value="">全部状态</option>
          {STATUSES.map(s => (
            <option key={s} value={s}>
              {zh.taskStatus[s]}
            </option>
          ))}
        </select>
        <select name="year" defaultValue={params.get('year') ?? ''} aria-label="年度">
          <option value="">全部年度</option>
          {years.map(y => (
            <option key={y} value={y}>
              {y} 年度
            </option>
          ))}
        </select>
        <select name="report" defaultValue={params.get('report') ?? ''} aria-label="来源报告">
          <option value="">全部来源报告</option>
          {reports.map(r => (
            <option key={r.id} value={r.id}>
              {r.agency_name ?? r.filename}
              {r.year ? `（${r.year}）` : ''}
            </option>
          ))}
        </select>
        <label className="check">
          时限不晚于 <DateInput name="due" defaultValue={params.get('due') ?? ''} />
        </label>
        <label className="check">
          <input type="checkbox" name="overdue" value="1" defaultChecked={params.get('overdue') === '1'} /> 只看逾期
        </label>
        {!isStaff ? (
          <label className="check">
            <input type="checkbox" name="mine" value="1" defaultChecked={params.get('mine') === '1'} /> 只看我负责的
          </label>
        ) : null}
        <input type="search" name="q" defaultValue={params.get('q') ?? ''} placeholder="搜索任务内容" aria-label="搜索" />
        <select name="sort" defaultValue={params.get('sort') ?? 'due'} aria-label="排序">
          <option value="due">按整改时限</option>
          <option value="updated">按最近更新</option>
          <option value="created">按创建时间</option>
          <option value="status">按状态</option>
        </select>
        {filtered ? (
          <Link to="/tasks" className="small">
            清除筛选
          </Link>
        ) : null}
      </Form>
      {canManage && tasks.length > 0 ? <BulkPanel taskIds={taskIds} owners={owners} units={units} today={today} /> : null}
      {tasks.length === 0 ? (
        <div className="panel empty">{filtered ? '没有符合条件的任务。' : zh.tasks.empty}</div>
      ) : (
        <table className="data cards">
          <thead>
            <tr>
              <th>{c.title}</th>
              <th>{c.unit}</th>
              <th>{c.owner}</th>
              <th>{c.due}</th>
              <th>{c.progress}</th>
              <th>{c.status}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map(t => (
              <tr key={t.id}>
                <td className="card-title">
                  {canManage ? (
                    <input
                      type="checkbox"
                      name="taskIds"
                      value={t.id}
                      form="bulk"
                      aria-label={`选择任务：${t.title}`}
                      className="bulk-pick"
                    />
                  ) : null}{' '}
                  <span className={`badge ${t.kind}`}>{zh.itemKind[t.kind]}</span> <Link to={`/tasks/${t.id}`}>{t.title}</Link>
                  <div className="small muted">
                    {t.agency_name ?? t.report_filename}
                    {t.report_year ? ` · ${t.report_year} 年度` : ''}
                  </div>
                </td>
                <td data-label={c.unit}>{t.unit_name}</td>
                <td data-label={c.owner}>{t.owner_name ?? <span className="muted">{zh.tasks.noOwner}</span>}</td>
                <td data-label={c.due}>
                  {t.due_date ?? zh.common.none}
                  {t.overdueDays ? (
                    <div>
                      <span className="badge overdue">{zh.tasks.overdue(t.overdueDays)}</span>
                    </div>
                  ) : null}
                </td>
                <td data-label={c.progress}>{t.progress}%</td>
                <td data-label={c.status}>
                  <TaskStatusBadge status={t.status} returnedReason={t.returnedReason} />
                  {t.returnedReason ? <div className="small muted">{zh.tasks.returnedBecause(t.returnedReason)}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
