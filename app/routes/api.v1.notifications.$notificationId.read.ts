// POST /api/v1/notifications/:notificationId/read: marks one of the caller's own notifications read.
// Someone else's (or a missing) notification is a 404: ids of other people's notifications are not confirmed.
import { apiJson, apiRoute } from '~/api/respond.server'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { markNotificationRead } from '~/notify/notifications.server'
import { zh } from '~/ui/zh'

export const { loader, action } = apiRoute({
  async POST({ params, user }) {
    const notification = await markNotificationRead(db, user.id, params.notificationId ?? '')
    if (!notification) throw new AppError(404, zh.notifications.notFound)
    return apiJson({ notification })
  },
})
