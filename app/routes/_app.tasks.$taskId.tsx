import {
  json,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  MaxPartSizeExceededError,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { z } from 'zod'
import { can } from '~/auth/permissions'
import { isUnder } from '~/auth/scope'
import { listPeople } from '~/auth/scope.server'
import { requireUser, type SessionUser } from '~/auth/session.server'
import { done, pageAction } from '~/forms/page-action.server'
import { enforceRateLimit } from '~/rate-limits.server'
import { ActionResult } from '~/components/ActionResult'
import { DateInput } from '~/components/DateInput'
import { FileInput } from '~/components/FileInput'
import { SubmitButton } from '~/components/SubmitButton'
import { Confidence, DecisionButtons, PassageInText, SuggestionStatusBadge } from '~/components/FollowUp'
import { TaskStatusBadge } from '~/components/StatusBadge'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { listUnits } from '~/org/org.server'
import { todayInShanghai } from '~/tasks/dates'
import { ACTION_LABELS, availableActions, TASK_ACTIONS, type TaskAction } from '~/tasks/status'
import { decideSuggestion, followupEventLinks, listSuggestionsForTask, type FollowupEventLinks } from '~/followup/suggestions.server'
import { getTaskDetail } from '~/tasks/queries.server'
import {
  addEvidenceFile,
  addEvidenceLink,
  addProgress,
  decideExtension,
  evidenceMaxBytes,
  loadTaskInScope,
  requestExtension,
  transitionTask,
  updateTask,
} from '~/tasks/workflow.server'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.task.title ?? ''} · ${zh.appName}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'task:read')
  const today = todayInShanghai()
  const found = await getTaskDetail(db, user, params.taskId!, today)
  if (!found) throw new Response('Not Found', { status: 404 })
  const { task } = found
  const canManage = can(user.role, 'task:manage')
  // Possible owners: active people in the manager's scope whose role may own tasks; the forms offer
  // those of the task's unit, or of the unit chosen with them (checked again on the server).
  const people = canManage
    ? (await listPeople(db, user, { owners: true })).map(p => ({
        id: p.id,
        display_name: p.display_name,
        unit_name: p.unit_name,
        unit_path: p.unit_path,
      }))
    : []
  const units = canManage ? await listUnits(db, user) : []
  const [followup, eventLinks] = await Promise.all([listSuggestionsForTask(db, user, task.id), followupEventLinks(db, user, found.events)])
  return json({
    ...found,
    followup,
    eventLinks,
    people,
    units,
    today,
    actions: availableActions({ status: task.status, ownerId: task.owner_id }, user),
    isOwner: task.owner_id === user.id,
    canManage,
    canWork: task.owner_id === user.id || canManage,
  })
}

const Intent = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('transition'),
    action: z.enum(TASK_ACTIONS as [TaskAction, ...TaskAction[]]),
    reason: z.string().max(2000).optional(),
    ownerId: z.string().optional(),
  }),
  z.object({
    intent: z.literal('progress'),
    progress: z.coerce.number().min(0, '进度应在 0–100 之间。').max(100, '进度应在 0–100 之间。'),
    note: z.string().max(5000).default(''),
  }),
  z.object({ intent: z.literal('link'), url: z.string().min(1, '请填写链接。').max(2000), title: z.string().max(200).optional() }),
  z.object({ intent: z.literal('file') }),
  z.object({
    intent: z.literal('extension'),
    newDueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '请选择新的整改时限。'),
    reason: z.string().min(1, '请填写延期原因。').max(2000),
  }),
  z.object({
    intent: z.literal('decide'),
    extensionId: z.string().min(1),
    decision: z.enum(['approve', 'refuse']),
    note: z.string().max(2000).optional(),
  }),
  z.object({
    intent: z.literal('update'),
    ownerId: z.string().optional(),
    unitId: z.string().optional(),
    dueDate: z.string().optional(),
    priority: z.enum(['high', 'normal', 'low']).optional(),
  }),
  z.object({ intent: z.literal('followup'), suggestionId: z.string().min(1), decision: z.enum(['confirm', 'reject']) }),
])

async function readForm(request: Request, user: SessionUser): Promise<FormData> {
  if (!request.headers.get('Content-Type')?.startsWith('multipart/form-data')) return request.formData()
  // A multipart body is an evidence file: counted as an upload before it is read.
  enforceRateLimit(user, 'upload')
  try {
    return await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: evidenceMaxBytes() + 1 }))
  } catch (err) {
    if (err instanceof MaxPartSizeExceededError)
      throw new AppError(413, `佐证材料超过大小上限（${Math.round(evidenceMaxBytes() / 1048576)} MB）。`)
    throw new AppError(400, '无法读取提交的内容，请重试。')
  }
}

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    permission: 'task:update',
    schema: Intent,
    // Scope before anything else: a task outside the user's scope is simply not found.
    load: ({ user, params }) => loadTaskInScope(db, user, params.taskId!),
    readForm,
    handlers: {
      transition: async ({ user, params, data: d }) => {
        const r = await transitionTask(db, user, params.taskId!, { action: d.action, reason: d.reason, ownerId: d.ownerId || undefined })
        return done(`已${ACTION_LABELS[d.action]}，当前状态：${zh.taskStatus[r.status]}。`)
      },
      progress: async ({ user, params, data: d }) => {
        await addProgress(db, user, params.taskId!, { progress: d.progress, note: d.note })
        return done('进展已填报。')
      },
      link: async ({ user, params, data: d }) => {
        await addEvidenceLink(db, user, params.taskId!, { url: d.url, title: d.title })
        return done('已添加链接。')
      },
      file: async ({ user, params, form }) => {
        const file = form.get('file')
        if (!(file instanceof File) || file.size === 0) throw new AppError(400, '请选择要上传的佐证材料。')
        await addEvidenceFile(db, user, params.taskId!, { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })
        return done(`已上传“${file.name}”。`)
      },
      extension: async ({ user, params, data: d }) => {
        const r = await requestExtension(db, user, params.taskId!, { newDueDate: d.newDueDate, reason: d.reason }, new Date())
        return done(r.late ? '逾期延期申请已提交，等待督办人审批。' : '延期申请已提交，等待督办人审批。')
      },
      decide: async ({ user, data: d }) => {
        await decideExtension(db, user, d.extensionId, { approve: d.decision === 'approve', note: d.note })
        return done(d.decision === 'approve' ? '已同意延期，整改时限已更新。' : '已驳回延期申请。')
      },
      update: async ({ user, params, data: d }) => {
        const r = await updateTask(
          db,
          user,
          params.taskId!,
          {
            ownerId: d.ownerId === undefined ? undefined : d.ownerId || null,
            unitId: d.unitId || undefined,
            dueDate: d.dueDate === undefined ? undefined : d.dueDate || null,
            priority: d.priority,
          },
          { today: todayInShanghai() },
        )
        return done(r.changed ? '已保存。' : '没有需要保存的修改。')
      },
      followup: async ({ user, data: d }) => {
        const r = await decideSuggestion(db, user, d.suggestionId, d.decision === 'confirm')
        return done(r.status === 'confirmed' ? zh.followup.confirmedOk : zh.followup.rejectedOk)
      },
    },
  })
}

const EVENT_LABELS: Record<string, string> = {
  created: '创建任务',
  updated: '修改任务',
  reassigned: '调整责任人',
  deadline_changed: '调整整改时限',
  progress: '填报进展',
  evidence: '上传佐证材料',
  extension_requested: '申请延期',
  extension_approved: '同意延期',
  extension_refused: '驳回延期',
  followup_evidence: zh.followup.events.followup_evidence,
  recurred: zh.followup.events.recurred,
  recurs: zh.followup.events.recurs,
  supervision_notice: zh.paperwork.notice.event,
  ...ACTION_LABELS,
}

function describe(e: { type: string; before: string | null; after: string | null }): string | null {
  const before = e.before ? JSON.parse(e.before) : {}
  const after = e.after ? JSON.parse(e.after) : {}
  const parts: string[] = []
  if (after.status && before.status && after.status !== before.status)
    parts.push(
      `${zh.taskStatus[before.status as keyof typeof zh.taskStatus]} → ${zh.taskStatus[after.status as keyof typeof zh.taskStatus]}`,
    )
  if ('progress' in after) parts.push(`进度 ${before.progress ?? 0}% → ${after.progress}%`)
  // A request changes nothing until it is approved: it names the date asked for, not a new deadline.
  if (e.type === 'extension_requested')
    parts.push(`申请延至 ${after.due_date ?? '—'}（原时限 ${before.due_date ?? '—'}${after.late ? '，逾期申请' : ''}）`)
  else if ('due_date' in after && before.due_date !== after.due_date)
    parts.push(`时限 ${before.due_date ?? '—'} → ${after.due_date ?? '—'}`)
  if (e.type === 'supervision_notice' && after.number) parts.push(`${after.number}，回复时限 ${after.reply_by}`)
  if (after.filename) parts.push(after.filename)
  if (after.url) parts.push(after.title ? `${after.title}（${after.url}）` : after.url)
  return parts.length ? parts.join('；') : null
}

export default function TaskPage() {
  const {
    task,
    events,
    returnedReason,
    evidence,
    extensions,
    people,
    units,
    overdue,
    actions,
    isOwner,
    canManage,
    canWork,
    today,
    followup,
    eventLinks,
  } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const [pending, setPending] = useState<TaskAction | null>(null)
  const open = task.status !== 'closed' && task.status !== 'cancelled'
  const c = zh.tasks.columns
  const pendingExtension = extensions.find(x => x.status === 'pending')
  // The unit chosen in 调整任务: its people are offered as owners (back to the task's own on another task or after a save).
  const [unitChoice, setUnitChoice] = useState(task.unit_id)
  useEffect(() => setUnitChoice(task.unit_id), [task.id, task.unit_id])
  // The confirmation box closes once its step is done (every step writes an event); a refusal leaves it open beside its message.
  useEffect(() => setPending(null), [task.id, events.length])
  return (
    <>
      <div className="toolbar">
        <h1>
          <span className={`badge ${task.kind}`}>{zh.itemKind[task.kind]}</span> {task.title}
        </h1>
        <div className="row">
          {overdue ? <span className="badge overdue">{zh.tasks.overdue(overdue)}</span> : null}
          {overdue || events.some(e => e.type === 'supervision_notice') ? (
            <Link to={`/tasks/${task.id}/notice`}>{zh.paperwork.notice.link}</Link>
          ) : null}
          <TaskStatusBadge status={task.status} returnedReason={returnedReason} />
        </div>
      </div>
      <ActionResult result={result} />
      {returnedReason != null ? (
        <div className="alert warn returned-notice">
          <strong>{zh.tasks.returned}</strong> {returnedReason ? <span>{zh.tasks.returnedBecause(returnedReason)}</span> : null}{' '}
          <span>{zh.tasks.returnedNotice}</span>
        </div>
      ) : null}
      <div className="task-grid">
        <div>
          <div className="panel">
            <dl className="meta-grid">
              <div>
                <dt>{c.unit}</dt>
                <dd>{task.unit_name}</dd>
              </div>
              <div>
                <dt>{c.owner}</dt>
                <dd>{task.owner_name ?? zh.tasks.noOwner}</dd>
              </div>
              <div>
                <dt>{c.due}</dt>
                <dd>{task.due_date ?? zh.common.none}</dd>
              </div>
              <div>
                <dt>{c.progress}</dt>
                <dd>
                  <progress max={100} value={task.progress} aria-label="整改进度" /> {task.progress}%
                </dd>
              </div>
              <div>
                <dt>优先级</dt>
                <dd>{zh.priority[task.priority] ?? task.priority}</dd>
              </div>
              <div>
                <dt>{zh.tasks.source}</dt>
                <dd>
                  <Link to={`/reports/${task.report_id}`}>
                    {task.agency_name ?? task.report_filename}
                    {task.report_year ? `（${task.report_year} 年度）` : ''}
                  </Link>
                </dd>
              </div>
              {task.closed_at ? (
                <div>
                  <dt>销号日期</dt>
                  <dd>{formatDateTime(task.closed_at)}</dd>
                </div>
              ) : null}
            </dl>
          </div>
          <div className="panel">
            <h2>原文</h2>
            <p className="quote">{task.text}</p>
          </div>

          {followup.evidence.length ? <NextYearEvidence items={followup.evidence} busy={busy} /> : null}
          {followup.recurring.length ? (
            <Recurrences items={followup.recurring} task={{ text: task.text, year: task.report_year }} busy={busy} />
          ) : null}

          {actions.length ? (
            <section className="panel" aria-label="办理">
              <h2>办理</h2>
              <div className="row">
                {actions.map(a => (
                  <button
                    key={a}
                    type="button"
                    className={`btn${a === 'cancel' || a === 'return' ? ' secondary' : ''}`}
                    onClick={() => setPending(a)}
                    disabled={busy}
                  >
                    {ACTION_LABELS[a]}
                  </button>
                ))}
              </div>
              {pending ? (
                <Form method="post" className="stack confirm-box">
                  <input type="hidden" name="intent" value="transition" />
                  <input type="hidden" name="action" value={pending} />
                  <p>
                    确定要<strong>{ACTION_LABELS[pending]}</strong>吗？
                  </p>
                  {pending === 'assign' ? (
                    <label>
                      责任人
                      <select name="ownerId" defaultValue={task.owner_id ?? ''} required>
                        <option value="">请选择</option>
                        {people
                          .filter(p => isUnder(p.unit_path, task.unit_path))
                          .map(p => (
                            <option key={p.id} value={p.id}>
                              {p.display_name}（{p.unit_name}）
                            </option>
                          ))}
                      </select>
                    </label>
                  ) : null}
                  {pending === 'return' || pending === 'cancel' ? (
                    <label>
                      {pending === 'return' ? '退回原因' : '取消原因'}
                      <textarea name="reason" required rows={3} />
                    </label>
                  ) : pending !== 'assign' ? (
                    <label>
                      {pending === 'submit' ? '完成情况说明（已上传佐证材料或填报过进展说明的，可不填）' : '说明（可选）'}
                      <input type="text" name="reason" />
                    </label>
                  ) : null}
                  <div className="row">
                    <SubmitButton disabled={busy} pendingLabel={`正在${ACTION_LABELS[pending]}…`}>
                      确定{ACTION_LABELS[pending]}
                    </SubmitButton>
                    <button type="button" className="btn secondary" onClick={() => setPending(null)}>
                      {zh.common.cancel}
                    </button>
                  </div>
                </Form>
              ) : null}
            </section>
          ) : null}

          {canWork && open && task.status !== 'unassigned' ? (
            <section className="panel" aria-label="填报进展">
              <h2>填报进展</h2>
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="progress" />
                <label>
                  完成进度（%）
                  <input type="number" name="progress" min={0} max={100} defaultValue={task.progress} required />
                </label>
                <label>
                  进展说明
                  <textarea name="note" rows={3} required />
                </label>
                <div>
                  <SubmitButton disabled={busy} pendingLabel="正在提交…">
                    提交进展
                  </SubmitButton>
                </div>
              </Form>
            </section>
          ) : null}

          <section className="panel" aria-label="佐证材料">
            <h2>佐证材料</h2>
            {evidence.length === 0 ? <p className="muted">暂无佐证材料。</p> : null}
            <ul className="evidence">
              {evidence.map(ev => (
                <li key={ev.id}>
                  {ev.kind === 'file' ? (
                    <a href={`/evidence/${ev.id}`}>{ev.filename}</a>
                  ) : (
                    <a href={ev.url ?? '#'} target="_blank" rel="noopener noreferrer nofollow">
                      {ev.title ?? ev.url}
                    </a>
                  )}
                  <span className="small muted">
                    {' '}
                    {ev.size_bytes ? `${Math.max(1, Math.round(ev.size_bytes / 1024))} KB · ` : ''}
                    {ev.uploader} · {formatDateTime(ev.created_at)}
                  </span>
                </li>
              ))}
            </ul>
            {canWork && open ? (
              <div className="row evidence-forms">
                <Form method="post" encType="multipart/form-data" className="inline">
                  <input type="hidden" name="intent" value="file" />
                  <FileInput label="上传文件" name="file" accept=".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.txt,.zip,.ofd" required />
                  <SubmitButton className="btn small" disabled={busy} pendingLabel={zh.feedback.uploading}>
                    上传
                  </SubmitButton>
                </Form>
                <Form method="post" className="inline">
                  <input type="hidden" name="intent" value="link" />
                  <input type="text" name="url" placeholder="https://…" aria-label="链接地址" required />
                  <input type="text" name="title" placeholder="说明（可选）" aria-label="链接说明" />
                  <SubmitButton className="btn small secondary" disabled={busy}>
                    添加链接
                  </SubmitButton>
                </Form>
              </div>
            ) : null}
          </section>

          {(isOwner && open && !pendingExtension) || extensions.length ? (
            <section className="panel" aria-label="延期">
              <h2>延期申请</h2>
              {extensions.map(x => (
                <div key={x.id} className="extension">
                  <div>
                    {x.requester} 申请将时限由 {x.old_due_date ?? '—'} 延至 <strong>{x.new_due_date}</strong>：{x.reason}
                    <span className={`badge ${x.status === 'approved' ? 'closed' : x.status === 'refused' ? 'failed' : 'queued'}`}>
                      {x.status === 'approved' ? '已同意' : x.status === 'refused' ? '已驳回' : '待审批'}
                    </span>
                    {x.late ? <span className="badge overdue">逾期申请</span> : null}
                  </div>
                  {x.status === 'pending' && canManage ? (
                    <Form method="post" className="row">
                      <input type="hidden" name="intent" value="decide" />
                      <input type="hidden" name="extensionId" value={x.id} />
                      <input type="text" name="note" placeholder="审批意见（可选）" aria-label="审批意见" />
                      <SubmitButton className="btn small" name="decision" value="approve" disabled={busy}>
                        同意
                      </SubmitButton>
                      <SubmitButton className="btn small secondary" name="decision" value="refuse" disabled={busy}>
                        驳回
                      </SubmitButton>
                    </Form>
                  ) : null}
                </div>
              ))}
              {isOwner && open && !pendingExtension ? (
                <Form method="post" className="row">
                  <input type="hidden" name="intent" value="extension" />
                  {task.due_date && task.due_date < today ? (
                    <p className="small muted">已超过整改时限，仍可申请延期，申请将标为“逾期申请”。</p>
                  ) : null}
                  <DateInput
                    name="newDueDate"
                    aria-label="新的整改时限"
                    min={task.due_date && task.due_date > today ? task.due_date : today}
                    required
                  />
                  <input type="text" name="reason" placeholder="延期原因" aria-label="延期原因" required />
                  <SubmitButton className="btn small secondary" disabled={busy} pendingLabel="正在提交…">
                    申请延期
                  </SubmitButton>
                </Form>
              ) : null}
            </section>
          ) : null}

          {canManage && open ? (
            <section className="panel" aria-label="调整任务">
              <h2>调整任务</h2>
              <Form method="post" className="row">
                <input type="hidden" name="intent" value="update" />
                <select name="unitId" value={unitChoice} onChange={e => setUnitChoice(e.target.value)} aria-label="责任单位">
                  {units.map(u => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </select>
                <select name="ownerId" defaultValue={task.owner_id ?? ''} aria-label="责任人">
                  <option value="">（未分派）</option>
                  {people
                    .filter(p => isUnder(p.unit_path, units.find(u => u.id === unitChoice)?.path ?? task.unit_path))
                    .map(p => (
                      <option key={p.id} value={p.id}>
                        {p.display_name}
                      </option>
                    ))}
                </select>
                <DateInput name="dueDate" defaultValue={task.due_date ?? ''} aria-label="整改时限" />
                <select name="priority" defaultValue={task.priority} aria-label="优先级">
                  <option value="high">高</option>
                  <option value="normal">中</option>
                  <option value="low">低</option>
                </select>
                <SubmitButton className="btn small" disabled={busy}>
                  {zh.common.save}
                </SubmitButton>
              </Form>
            </section>
          ) : null}
        </div>
        <section className="panel" aria-label={zh.tasks.timeline}>
          <h2>{zh.tasks.timeline}</h2>
          <ul className="timeline">
            {events.map(e => (
              <li key={e.id}>
                <div>{EVENT_LABELS[e.type] ?? e.type}</div>
                {describe(e) ? <div className="small">{describe(e)}</div> : null}
                <FollowupEventLinksLine event={e} links={eventLinks} />
                {e.note ? <div className="small note">“{e.note}”</div> : null}
                <div className="small muted">
                  {e.actor_name ?? '系统'} · {formatDateTime(e.created_at)}
                </div>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  )
}

type TaskData = ReturnType<typeof useLoaderData<typeof loader>>
const f = zh.followup

/** Passages of the next year's report that may show this commitment done, each in its surrounding text. */
function NextYearEvidence({ items, busy }: { items: TaskData['followup']['evidence']; busy: boolean }) {
  const years = [...new Set(items.map(e => f.year(e.later.year)))].join('、')
  return (
    <section className="panel followup-section" aria-label={f.task.evidenceTitle}>
      <h2>{f.task.evidenceTitle}</h2>
      <p className="muted small">{f.task.evidenceHelp(years)}</p>
      {items.map(e => (
        <article
          key={e.id}
          id={`suggestion-${e.id}`}
          className={`suggestion ${e.status}`}
          aria-label={`${f.year(e.later.year)}报告中的段落`}
        >
          <div className="suggestion-head">
            <strong>
              {f.year(e.later.year)}报告{e.later.agency ? <span className="muted">（{e.later.agency}）</span> : null}
            </strong>
            <Confidence score={e.score} />
            <SuggestionStatusBadge status={e.status} />
          </div>
          <PassageInText context={e.context} />
          <div className="row suggestion-actions">
            {e.later.reportId ? <Link to={`/reports/${e.later.reportId}#mark-${e.id}`}>{f.openReport}</Link> : null}
            {e.canDecide ? (
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="followup" />
                <input type="hidden" name="suggestionId" value={e.id} />
                <DecisionButtons busy={busy} />
              </Form>
            ) : null}
          </div>
        </article>
      ))}
    </section>
  )
}

/** The same problem in the other year's report, side by side with this one, earlier year first. */
function Recurrences({
  items,
  task,
  busy,
}: {
  items: TaskData['followup']['recurring']
  task: { text: string; year: number | null }
  busy: boolean
}) {
  return (
    <section className="panel followup-section" aria-label={f.task.recurringTitle}>
      <h2>{f.task.recurringTitle}</h2>
      <p className="muted small">{f.task.recurringHelp}</p>
      {items.map(r => {
        const mine = { year: task.year, text: task.text, mine: true, taskId: null as string | null }
        const other = { year: r.other.year, text: r.other.text, mine: false, taskId: r.other.taskId }
        const [earlier, later] = r.thisIs === 'earlier' ? [mine, other] : [other, mine]
        return (
          <article
            key={r.id}
            id={`suggestion-${r.id}`}
            className={`suggestion ${r.status}`}
            aria-label={r.thisIs === 'earlier' ? f.task.recurredIn(f.year(r.other.year)) : f.task.seenIn(f.year(r.other.year))}
          >
            <div className="suggestion-head">
              <strong>{r.thisIs === 'earlier' ? f.task.recurredIn(f.year(r.other.year)) : f.task.seenIn(f.year(r.other.year))}</strong>
              <Confidence score={r.score} />
              <SuggestionStatusBadge status={r.status} />
            </div>
            <div className="side-by-side">
              {[earlier, later].map(side => (
                <div key={side.mine ? 'mine' : 'other'} className={side.mine ? 'side mine' : 'side'}>
                  <div className="cell-label muted small">
                    {f.earlierProblem(f.year(side.year))}
                    {side.mine ? `（${f.task.thisTask}）` : null}
                  </div>
                  <p className="quote">{side.text}</p>
                  {side.taskId ? (
                    <Link to={`/tasks/${side.taskId}`} className="small">
                      {f.openTask}
                    </Link>
                  ) : null}
                </div>
              ))}
            </div>
            {r.canDecide ? (
              <Form method="post" className="row suggestion-actions">
                <input type="hidden" name="intent" value="followup" />
                <input type="hidden" name="suggestionId" value={r.id} />
                <DecisionButtons busy={busy} />
              </Form>
            ) : null}
          </article>
        )
      })}
    </section>
  )
}

/** For confirmed follow-up events: which year's report says so, and the other year's task. */
function FollowupEventLinksLine({ event, links }: { event: { type: string; after: string | null }; links: FollowupEventLinks }) {
  if (!['followup_evidence', 'recurred', 'recurs'].includes(event.type) || !event.after) return null
  const after = JSON.parse(event.after) as {
    later_report_id?: string
    earlier_report_id?: string
    later_task_id?: string | null
    earlier_task_id?: string | null
    suggestion_id?: string
  }
  const reportId = after.later_report_id ?? after.earlier_report_id
  const report = reportId ? links.reports[reportId] : undefined
  const taskId = after.later_task_id ?? after.earlier_task_id ?? null
  const anchor = event.type === 'followup_evidence' && after.suggestion_id ? `#mark-${after.suggestion_id}` : ''
  if (!report && !(taskId && links.tasks[taskId])) return null
  return (
    <div className="small row">
      {report ? (
        report.open ? (
          <Link to={`/reports/${reportId}${anchor}`}>{f.events.inReport(f.year(report.year))}</Link>
        ) : (
          <span>{f.events.inReport(f.year(report.year))}</span>
        )
      ) : null}
      {taskId && links.tasks[taskId] ? <Link to={`/tasks/${taskId}`}>{f.events.otherTask}</Link> : null}
    </div>
  )
}
