// GET /api/v1/notifications: the caller's own notifications, newest first (?unread=true, limit, offset).
import { z } from 'zod'
import { readQuery } from '~/api/parse.server'
import { apiJson, apiRoute } from '~/api/respond.server'
import { db } from '~/db.server'
import { listNotifications } from '~/notify/notifications.server'

const NotificationQuery = z.object({
  unread: z
    .enum(['true', 'false'])
    .transform(v => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
})

export const { loader, action } = apiRoute({
  async GET({ request, user }) {
    const f = readQuery(request, NotificationQuery)
    return apiJson({ notifications: await listNotifications(db, user.id, { limit: f.limit, offset: f.offset, unreadOnly: !!f.unread }) })
  },
})
