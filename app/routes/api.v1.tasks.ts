// GET /api/v1/tasks: tasks in scope, filtered through listTasks (the one task query).
import { z } from 'zod'
import { presentTask } from '~/api/present.server'
import { readQuery } from '~/api/parse.server'
import { apiJson, apiRoute, requireApiPermission } from '~/api/respond.server'
import { db } from '~/db.server'
import { TASK_STATUSES } from '~/tasks/stats.server'
import { listTasks } from '~/tasks/queries.server'

const statusList = z
  .string()
  .transform(s =>
    s
      .split(',')
      .map(x => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(TASK_STATUSES as [string, ...string[]])))
const TaskQuery = z.object({
  status: statusList.optional(),
  ownerId: z.string().min(1).optional(),
  unitId: z.string().min(1).optional(),
  reportId: z.string().min(1).optional(),
  year: z.coerce.number().int().min(1990).max(2100).optional(),
  agency: z.string().min(1).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform(v => v === 'true')
    .optional(),
  q: z.string().min(1).optional(),
  sort: z.enum(['due', 'updated', 'created', 'status']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
})

export const { loader, action } = apiRoute({
  async GET({ request, user }) {
    requireApiPermission(user, 'task:read')
    const f = readQuery(request, TaskQuery)
    const tasks = await listTasks(db, user, { ...f, status: f.status as never })
    return apiJson({ tasks: tasks.map(presentTask), limit: f.limit, offset: f.offset })
  },
})
