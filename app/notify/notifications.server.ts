// The in-app channel: a notification row is the message. Every function here is scoped to one
// user: nobody can list or mark another person's notifications.
import type { DB } from '../../db/db'
import { nowIso } from '../../db/ids'

export interface NotificationView {
  id: string
  taskId: string | null
  kind: string
  title: string
  body: string
  readAt: string | null
  createdAt: string
}

export async function listNotifications(
  db: DB,
  userId: string,
  opts: { limit?: number; offset?: number; unreadOnly?: boolean } = {},
): Promise<NotificationView[]> {
  let q = db
    .selectFrom('notifications')
    .select(['id', 'task_id', 'kind', 'title', 'body', 'read_at', 'created_at'])
    .where('user_id', '=', userId)
  if (opts.unreadOnly) q = q.where('read_at', 'is', null)
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(opts.limit ?? 100)
    .offset(opts.offset ?? 0)
    .execute()
  return rows.map(n => ({
    id: n.id,
    taskId: n.task_id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    readAt: n.read_at,
    createdAt: n.created_at,
  }))
}

/** For the header on every page: one indexed count (notifications_user_idx is on user_id, read_at). */
export async function countUnread(db: DB, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Null when the notification does not exist or is someone else's (the caller answers 404 either way). */
export async function markNotificationRead(db: DB, userId: string, id: string): Promise<NotificationView | null> {
  const row = await db.selectFrom('notifications').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  if (!row) return null
  // Reading twice keeps the first time it was read.
  await db
    .updateTable('notifications')
    .set({ read_at: nowIso() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute()
  const n = await db
    .selectFrom('notifications')
    .select(['id', 'task_id', 'kind', 'title', 'body', 'read_at', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return { id: n.id, taskId: n.task_id, kind: n.kind, title: n.title, body: n.body, readAt: n.read_at, createdAt: n.created_at }
}

/** Returns how many were marked. */
export async function markAllNotificationsRead(db: DB, userId: string): Promise<number> {
  const r = await db
    .updateTable('notifications')
    .set({ read_at: nowIso() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}
