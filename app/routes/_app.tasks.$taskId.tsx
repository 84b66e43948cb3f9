import {
  json,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  MaxPartSizeExceededError,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { can } from '~/auth/permissions'
import { listPeople } from '~/auth/scope.server'
import { requireUser, type SessionUser } from '~/auth/session.server'
import { done, pageAction } from '~/forms/page-action.server'
import { enforceRateLimit } from '~/rate-limits.server'
import { ActionResult } from '~/components/ActionResult'
import { ActionsPanel } from '~/components/task/ActionsPanel'
import { EvidencePanel } from '~/components/task/EvidencePanel'
import { ExtensionPanel } from '~/components/task/ExtensionPanel'
import { NextYearEvidence, Recurrences } from '~/components/task/FollowupPanels'
import { ManagePanel } from '~/components/task/ManagePanel'
import { ProgressPanel } from '~/components/task/ProgressPanel'
import { ReturnedNotice, TaskHeader } from '~/components/task/TaskHeader'
import { TaskSummary } from '~/components/task/TaskSummary'
import { Timeline } from '~/components/task/Timeline'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { listUnits } from '~/org/org.server'
import { todayInShanghai } from '~/tasks/dates'
import { ACTION_LABELS, availableActions, TASK_ACTIONS, type TaskAction } from '~/tasks/status'
import { decideSuggestion, followupEventLinks, listSuggestionsForTask } from '~/followup/suggestions.server'
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
  const open = task.status !== 'closed' && task.status !== 'cancelled'
  return (
    <>
      <TaskHeader task={task} events={events} overdue={overdue} returnedReason={returnedReason} />
      <ActionResult result={result} />
      <ReturnedNotice returnedReason={returnedReason} />
      <div className="task-grid">
        <div>
          <TaskSummary task={task} />

          {followup.evidence.length ? <NextYearEvidence items={followup.evidence} busy={busy} /> : null}
          {followup.recurring.length ? (
            <Recurrences items={followup.recurring} task={{ text: task.text, year: task.report_year }} busy={busy} />
          ) : null}

          <ActionsPanel task={task} events={events} actions={actions} people={people} busy={busy} />

          <ProgressPanel task={task} canWork={canWork} open={open} busy={busy} />

          <EvidencePanel evidence={evidence} canWork={canWork} open={open} busy={busy} />

          <ExtensionPanel
            task={task}
            extensions={extensions}
            isOwner={isOwner}
            canManage={canManage}
            today={today}
            open={open}
            busy={busy}
          />

          <ManagePanel task={task} people={people} units={units} canManage={canManage} open={open} busy={busy} />
        </div>
        <Timeline events={events} eventLinks={eventLinks} />
      </div>
    </>
  )
}
