// GET /api/v1/stats: task counts by status, overdue and completion rate in scope (filters year, unitId, agency).
import { z } from 'zod'
import { readQuery } from '~/api/parse.server'
import { apiJson, apiRoute, requireApiPermission } from '~/api/respond.server'
import { db } from '~/db.server'
import { taskStats } from '~/tasks/stats.server'

const StatsQuery = z.object({
  year: z.coerce.number().int().min(1990).max(2100).optional(),
  unitId: z.string().min(1).optional(),
  agency: z.string().min(1).optional(),
})

export const { loader, action } = apiRoute({
  async GET({ request, user }) {
    requireApiPermission(user, 'task:read')
    return apiJson(await taskStats(db, user, readQuery(request, StatsQuery)))
  },
})
