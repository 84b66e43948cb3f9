// POST /api/v1/reports/:reportId/confirm: one task per item, once; optional per-item unit, owner, deadline, priority.
import { z } from 'zod'
import { confirmReportWithSettings } from '~/api/confirm.server'
import { id, isoDate, priority, readJson } from '~/api/parse.server'
import { apiJson, apiRoute, requireApiPermission } from '~/api/respond.server'
import { db } from '~/db.server'

const ConfirmBody = z
  .object({
    items: z
      .array(
        z
          .object({
            id,
            unitId: id.optional(),
            ownerId: id.nullable().optional(),
            dueDate: isoDate.nullable().optional(),
            priority: priority.optional(),
          })
          .strict(),
      )
      .max(5000)
      .default([]),
  })
  .strict()

export const { loader, action } = apiRoute({
  async POST({ request, params, user }) {
    requireApiPermission(user, 'report:review')
    const body = await readJson(request, ConfirmBody)
    const result = await confirmReportWithSettings(db, user, params.reportId!, body.items)
    return apiJson(result)
  },
})
