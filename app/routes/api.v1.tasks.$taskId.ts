// GET /api/v1/tasks/:taskId (with its events, evidence and extension requests); PATCH to edit it.
import { z } from 'zod'
import { presentEvent, presentTask, presentEvidence } from '~/api/present.server'
import { id, isoDate, priority, readJson } from '~/api/parse.server'
import { apiJson, apiRoute, requireApiPermission } from '~/api/respond.server'
import type { SessionUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { notFound } from '~/errors'
import { getTaskDetail } from '~/tasks/queries.server'
import { updateTask } from '~/tasks/workflow.server'

const TaskPatch = z
  .object({
    ownerId: id.nullable().optional(),
    unitId: id.optional(),
    dueDate: isoDate.nullable().optional(),
    priority: priority.optional(),
    title: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine(p => Object.keys(p).length > 0, { message: '请至少提供一个要修改的字段：ownerId、unitId、dueDate、priority、title。' })

async function taskDetail(user: SessionUser, taskId: string) {
  const found = await getTaskDetail(db, user, taskId)
  if (!found) throw notFound()
  const { task: t, events, evidence, extensions } = found
  return {
    ...presentTask({ ...t, overdueDays: found.overdue, returnedReason: found.returnedReason }),
    events: events.map(presentEvent),
    evidence: evidence.map(presentEvidence),
    extensions: extensions.map(x => ({
      id: x.id,
      oldDueDate: x.old_due_date,
      newDueDate: x.new_due_date,
      reason: x.reason,
      status: x.status,
      late: x.late,
      decisionNote: x.decision_note,
      createdAt: x.created_at,
      decidedAt: x.decided_at,
    })),
  }
}

export const { loader, action } = apiRoute({
  async GET({ params, user }) {
    requireApiPermission(user, 'task:read')
    return apiJson(await taskDetail(user, params.taskId!))
  },
  async PATCH({ request, params, user }) {
    requireApiPermission(user, 'task:manage')
    const patch = await readJson(request, TaskPatch)
    await updateTask(db, user, params.taskId!, patch)
    return apiJson(await taskDetail(user, params.taskId!))
  },
})
