import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { countUnread, listNotifications, markAllNotificationsRead, markNotificationRead } from '~/notify/notifications.server'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.notifications.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const [notifications, unread] = await Promise.all([listNotifications(db, user.id, { limit: 200 }), countUnread(db, user.id)])
  return json({ notifications, unread })
}

const NotificationAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read'), notificationId: z.string().min(1) }),
  z.object({ intent: z.literal('read-all') }),
])

// Only ever the caller's own notifications: every query below is scoped to user.id.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = NotificationAction.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return json({ ok: false as const, message: zh.ops.invalid }, { status: 400 })
  if (parsed.data.intent === 'read') {
    const n = await markNotificationRead(db, user.id, parsed.data.notificationId)
    if (!n) return json({ ok: false as const, message: zh.notifications.notFound }, { status: 404 })
    return json({ ok: true as const, message: null })
  }
  const marked = await markAllNotificationsRead(db, user.id)
  return json({ ok: true as const, message: zh.notifications.markedAll(marked) })
}

export default function NotificationsPage() {
  const { notifications, unread } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  return (
    <>
      <div className="toolbar">
        <h1>
          {zh.notifications.title} <span className="muted small">{zh.notifications.unreadSummary(unread)}</span>
        </h1>
        {unread > 0 ? (
          <Form method="post">
            <button type="submit" name="intent" value="read-all" className="btn secondary" disabled={busy}>
              {zh.notifications.markAllRead}
            </button>
          </Form>
        ) : null}
      </div>
      {result?.message ? <div className={`alert ${result.ok ? 'ok' : 'error'}`}>{result.message}</div> : null}
      {notifications.length === 0 ? (
        <div className="panel empty">{zh.notifications.empty}</div>
      ) : (
        <ul className="notification-list" aria-label={zh.notifications.title}>
          {notifications.map(n => (
            <li key={n.id} className={n.readAt ? 'notification' : 'notification unread'}>
              <div className="notification-head">
                {n.readAt ? null : <span className="badge unread-badge">{zh.notifications.unread}</span>}
                <span className="badge">{zh.notifications.kinds[n.kind] ?? n.kind}</span>
                {n.taskId ? (
                  <Link to={`/tasks/${n.taskId}`} className="notification-title">
                    {n.title}
                  </Link>
                ) : (
                  <span className="notification-title">{n.title}</span>
                )}
                <span className="muted small notification-time">{formatDateTime(n.createdAt)}</span>
              </div>
              <p className="notification-body">{n.body}</p>
              {n.taskId || !n.readAt ? (
                <div className="row small">
                  {n.taskId ? <Link to={`/tasks/${n.taskId}`}>{zh.notifications.openTask}</Link> : null}
                  {n.readAt ? null : (
                    <Form method="post" className="inline">
                      <input type="hidden" name="notificationId" value={n.id} />
                      <button type="submit" name="intent" value="read" className="btn secondary small" disabled={busy}>
                        {zh.notifications.markRead}
                      </button>
                    </Form>
                  )}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
