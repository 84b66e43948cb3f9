// POST /api/v1/tasks/:taskId/updates: a progress update (percentage and note) by the owner or a supervisor.
import { z } from 'zod'
import { readJson } from '~/api/parse.server'
import { apiJson, apiRoute, requireApiPermission } from '~/api/respond.server'
import { db } from '~/db.server'
import { addProgress } from '~/tasks/workflow.server'

const ProgressUpdate = z.object({ progress: z.number().int().min(0).max(100), note: z.string().max(5000).default('') }).strict()

export const { loader, action } = apiRoute({
  async POST({ request, params, user }) {
    requireApiPermission(user, 'task:update')
    const body = await readJson(request, ProgressUpdate)
    const { progress } = await addProgress(db, user, params.taskId!, body)
    return apiJson({ taskId: params.taskId, progress }, { status: 201 })
  },
})
