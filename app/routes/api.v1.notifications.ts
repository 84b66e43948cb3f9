// GET /api/v1/notifications: the caller's own notifications, newest first (?unread=true, limit, offset).
import { z } from 'zod'
import { readQuery } from '~/api/parse.server'
import { apiJson, apiRoute } from '~/api/respond.server'
import { db } from '~/db.server'

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
    let q = db.selectFrom('notifications').selectAll().where('user_id', '=', user.id)
    if (f.unread) q = q.where('read_at', 'is', null)
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute()
    return apiJson({
      notifications: rows.map(n => ({
        id: n.id,
        taskId: n.task_id,
        kind: n.kind,
        title: n.title,
        body: n.body,
        readAt: n.read_at,
        createdAt: n.created_at,
      })),
    })
  },
})
