import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '~/auth/session.server'
import { SubmitButton } from '~/components/SubmitButton'
import { AppError } from '~/errors'
import { done, pageAction } from '~/forms/page-action.server'
import { isActionFailure } from '~/forms/toast'
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
  z.object({ intent: z.literal('read'), notificationId: z.string().min(1, zh.ops.invalid) }),
  z.object({ intent: z.literal('read-all') }),
])

// Only ever the caller's own notifications: every query below is scoped to user.id.
export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    schema: NotificationAction,
    handlers: {
      read: async ({ user, data }) => {
        const n = await markNotificationRead(db, user.id, data.notificationId)
        if (!n) throw new AppError(404, zh.notifications.notFound)
        return done(zh.notifications.markedRead)
      },
      'read-all': async ({ user }) => done(zh.notifications.markedAll(await markAllNotificationsRead(db, user.id))),
    },
  })
}

export default function NotificationsPage() {
  const { notifications, unread } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <>
      <div className="toolbar">
        <h1>
          {zh.notifications.title} <span className="muted small">{zh.notifications.unreadSummary(unread)}</span>
        </h1>
        {unread > 0 ? (
          <Form method="post">
            <SubmitButton name="intent" value="read-all" className="btn secondary">
              {zh.notifications.markAllRead}
            </SubmitButton>
          </Form>
        ) : null}
      </div>
      {isActionFailure(result) ? (
        <div className="alert error" role="alert">
          {result.error}
        </div>
      ) : null}
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
                      <SubmitButton name="intent" value="read" className="btn secondary small">
                        {zh.notifications.markRead}
                      </SubmitButton>
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
