// POST /api/v1/tasks/:taskId/transitions: a status move; the status machine decides who may make it (403) and from where (409).
import { z } from 'zod'
import { id, readJson } from '~/api/parse.server'
import { apiJson, apiRoute, requireApiPermission } from '~/api/respond.server'
import { db } from '~/db.server'
import { TASK_ACTIONS, type TaskAction } from '~/tasks/status'
import { transitionTask } from '~/tasks/workflow.server'

const Transition = z
  .object({
    action: z.enum(TASK_ACTIONS as [TaskAction, ...TaskAction[]]),
    reason: z.string().max(2000).optional(),
    ownerId: id.optional(),
  })
  .strict()

export const { loader, action } = apiRoute({
  async POST({ request, params, user }) {
    requireApiPermission(user, 'task:update')
    const body = await readJson(request, Transition)
    const { status } = await transitionTask(db, user, params.taskId!, body)
    return apiJson({ id: params.taskId, status })
  },
})
