// Recording notices: the one write path for every in-app notification and its email. Each notice
// carries a business key (dedupe_key, unique); a notice whose key exists already is skipped, and
// only a notice actually inserted queues its email, so a retry, a crash before commit or two
// writers at once leave exactly one notification and one email per key. Callers pass their
// transaction, so notices commit (or roll back) with the change they report.
import { randomUUID } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/db'
import type { Database } from '../../db/schema'
import { emailRecipient } from './channels'
import { appUrl } from './links'
import { emailFor } from './message'

type Trx = Transaction<Database> | DB

/** One notice for one person: in the app, and by email when they have an address. */
export interface Notice {
  userId: string
  taskId: string | null
  kind: string
  title: string
  body: string
  /** App path the notice leads to; the email carries it as an absolute link. */
  link: string
  /** The business key: the same notice always gets the same key. */
  dedupeKey: string
}

export interface RecordResult {
  /** Notifications actually inserted (not already there). */
  recorded: number
  /** Outbox emails queued with them. */
  emails: number
}

/** Recipients as recordNotices needs them: active users only, with the address their email goes to (null: in the app only). */
export type Recipients = Map<string, { email: string | null }>

// 8 columns per notification row: 400 rows stay far below every engine's parameter limit.
export const ROWS_PER_STATEMENT = 400

/**
 * Time-ordered UUIDs (version 7 layout) for the rows written here: at sweep volumes, appending to
 * the primary-key index is much cheaper than inserting at random places in it.
 */
export function newSortableId(): string {
  // randomUUID draws from a cached entropy pool (randomBytes per id was a visible cost at 10⁵ ids).
  const r = randomUUID()
  const t = Date.now().toString(16).padStart(12, '0')
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(15)}`
}

/** The active users among these ids, with their email address, or null for those who turned email off in 设置. */
export async function loadRecipients(db: Trx, userIds: Iterable<string>): Promise<Recipients> {
  const ids = [...new Set(userIds)]
  const out: Recipients = new Map()
  for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'email', 'email_notifications'])
      .where('id', 'in', ids.slice(i, i + ROWS_PER_STATEMENT))
      .where('active', '=', 1)
      .execute()
    for (const u of rows) out.set(u.id, { email: emailRecipient({ email: u.email, emailNotifications: u.email_notifications }) })
  }
  return out
}

/**
 * Inserts the notices of known recipients (others are dropped: an inactive user hears nothing) and
 * the emails of those inserted. `now` stamps the rows; `baseUrl` makes the email links absolute.
 */
export async function insertNotices(
  trx: Trx,
  notices: readonly Notice[],
  recipients: Recipients,
  opts: { now: string; baseUrl?: string },
): Promise<RecordResult> {
  const baseUrl = opts.baseUrl ?? appUrl()
  const rows = notices.filter(n => recipients.has(n.userId)).map(n => ({ n, id: newSortableId() }))
  const won = new Set<string>()
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const inserted = await trx
      .insertInto('notifications')
      .values(
        rows.slice(i, i + ROWS_PER_STATEMENT).map(({ n, id }) => ({
          id,
          user_id: n.userId,
          task_id: n.taskId,
          kind: n.kind,
          title: n.title,
          body: n.body,
          dedupe_key: n.dedupeKey,
          created_at: opts.now,
        })),
      )
      // Recorded before (a retry, or a concurrent writer): nothing to do, and no second email.
      .onConflict(oc => oc.column('dedupe_key').doNothing())
      .returning('id')
      .execute()
    for (const r of inserted) won.add(r.id)
  }
  const emails = rows.flatMap(({ n, id }) => {
    const to = recipients.get(n.userId)?.email?.trim()
    if (!won.has(id) || !to) return []
    const mail = emailFor(n, baseUrl)
    return [
      {
        id: newSortableId(),
        notification_id: id,
        user_id: n.userId,
        to_address: to,
        subject: mail.subject,
        body_text: mail.emailText,
        status: 'pending' as const,
        next_attempt_at: opts.now,
        created_at: opts.now,
      },
    ]
  })
  for (let i = 0; i < emails.length; i += ROWS_PER_STATEMENT)
    await trx
      .insertInto('email_outbox')
      .values(emails.slice(i, i + ROWS_PER_STATEMENT))
      .execute()
  return { recorded: won.size, emails: emails.length }
}

/** Records notices inside the caller's transaction (small numbers: a workflow event's recipients). */
export async function recordNotices(trx: Trx, notices: readonly Notice[], opts: { now: string; baseUrl?: string }): Promise<RecordResult> {
  const unique = [...new Map(notices.map(n => [n.dedupeKey, n] as const)).values()]
  if (!unique.length) return { recorded: 0, emails: 0 }
  return insertNotices(
    trx,
    unique,
    await loadRecipients(
      trx,
      unique.map(n => n.userId),
    ),
    opts,
  )
}
