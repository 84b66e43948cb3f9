// The email outbox (also carrying group-robot messages, by channel): the table is the truth. A sender claims a due row (pending → sending, with a
// lease), sends it, and marks it sent, or schedules a retry with exponential backoff, or gives up
// (failed, shown to the admin). The claim is one conditional UPDATE, so two senders never both win.
import { hostname } from 'node:os'
import { sql, type Updateable } from 'kysely'
import type { DB } from '../../db/db'
import { nowIso } from '../../db/ids'
import type { EmailOutboxRow, EmailOutboxTable } from '../../db/schema'
import { zh } from '../ui/zh'
import { afterFailure, DEFAULT_RETRY_POLICY, isPermanentEmailError, type RetryPolicy } from './backoff'
import type { EmailSender } from './email.server'
import { createRobotSender, RobotError, type RobotSender } from './webhook.server'

export type OutboxStatus = EmailOutboxRow['status']
export const OUTBOX_STATUSES: OutboxStatus[] = ['pending', 'sending', 'sent', 'failed']

export interface DeliveryOptions {
  policy?: RetryPolicy
  /** How long a claim holds; a sender that died mid-send loses its rows after this. */
  leaseMs?: number
  /** Rows claimed per round trip. */
  batchSize?: number
  /** Emails in flight at once within one sender. */
  concurrency?: number
  /** Names the claimer in claimed_by (for the ops page and debugging). */
  claimer?: string
  /** Posts rows of the group-robot channels (default: createRobotSender(db)). */
  robots?: RobotSender
  now?: () => Date
}

export interface DeliveryResult {
  sent: number
  retried: number
  failed: number
}

/** OUTBOX_LEASE_MS (default 10 min): how soon the rows a dead sender had claimed are taken again. */
const defaultLeaseMs = () => Number(process.env.OUTBOX_LEASE_MS ?? 10 * 60_000)
export const defaultClaimer = () => `${hostname()}:${process.pid}`

/**
 * Takes up to `limit` due rows for this sender in one conditional UPDATE … RETURNING. The due
 * condition is checked again by the UPDATE itself, so when two senders pick the same candidates each
 * row goes to exactly one of them (SQLite serialises writers; PostgreSQL re-checks the WHERE on the
 * locked row).
 */
export async function claimDueEmails(
  db: DB,
  opts: { limit?: number; leaseMs?: number; claimer?: string; now?: Date } = {},
): Promise<EmailOutboxRow[]> {
  const now = (opts.now ?? new Date()).toISOString()
  // The lease runs from the real moment of the claim, even when "due" is judged at an earlier `now`.
  const claimedUntil = new Date(Math.max(Date.parse(now), Date.now()) + (opts.leaseMs ?? defaultLeaseMs())).toISOString()
  const claimer = opts.claimer ?? defaultClaimer()
  const limit = opts.limit ?? 50
  // Two indexed reads instead of one OR (which scanned and sorted the whole table once it held
  // hundreds of thousands of sent rows): claims whose sender died, then pending rows, oldest first.
  const expired = await db
    .selectFrom('email_outbox')
    .select('id')
    .where('status', '=', 'sending')
    .where('claimed_until', '<', now)
    .limit(limit)
    .execute()
  const pending =
    expired.length < limit
      ? await db
          .selectFrom('email_outbox')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .orderBy('next_attempt_at')
          .limit(limit - expired.length)
          .execute()
      : []
  const candidates = [...expired, ...pending]
  if (!candidates.length) return []
  const claimed = await db
    .updateTable('email_outbox')
    .set(eb => ({ status: 'sending' as const, claimed_until: claimedUntil, claimed_by: claimer, attempts: eb('attempts', '+', 1) }))
    .where(
      'id',
      'in',
      candidates.map(c => c.id),
    )
    // The same test as `due`, written as a CASE so that no engine is tempted to answer it from the
    // (status, next_attempt_at) index: SQLite did, scanning every pending row (≈1 ms per email with
    // 100,000 pending) instead of looking up the hundred ids.
    .where(
      sql<boolean>`case when status = 'pending' then next_attempt_at <= ${now} when status = 'sending' then claimed_until < ${now} else false end`,
    )
    .returningAll()
    .execute()
  // RETURNING has no order: deliver oldest first, as selected.
  return claimed.sort((a, b) =>
    a.next_attempt_at < b.next_attempt_at ? -1 : a.next_attempt_at > b.next_attempt_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  )
}

function describeError(err: unknown): string {
  const e = err as { message?: string; responseCode?: number; code?: string }
  const parts = [e?.code, e?.responseCode, e?.message ?? String(err)].filter(p => p !== undefined && p !== '')
  return parts.join(' ').slice(0, 1000)
}

type Outcome = 'sent' | 'retried' | 'failed'

/** Records an outcome for rows of one claimer. Only the claim's holder may: a row taken over after its lease ran out is not ours any more. */
async function settle(db: DB, rows: EmailOutboxRow[], set: Updateable<EmailOutboxTable>): Promise<void> {
  if (!rows.length) return
  await db
    .updateTable('email_outbox')
    .set(set)
    .where(
      'id',
      'in',
      rows.map(r => r.id),
    )
    .where('status', '=', 'sending')
    .where('claimed_by', '=', rows[0].claimed_by ?? '')
    .execute()
}

/** Sends one claimed row; records a failure at once, and leaves a success to be recorded by the caller (in groups). */
async function sendClaimed(db: DB, sender: EmailSender, row: EmailOutboxRow, opts: DeliveryOptions): Promise<Outcome> {
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY
  // A row taken over from dead senders again and again (it may crash the sender): stop trying.
  if (row.attempts > policy.maxAttempts) {
    await settle(db, [row], { status: 'failed', claimed_until: null, last_error: row.last_error ?? '投递多次中断，已停止重试。' })
    return 'failed'
  }
  try {
    // One outbox, several channels: an email, or a message to a unit's group robot.
    if (row.channel === 'email') await sender.send({ id: row.id, to: row.to_address, subject: row.subject, text: row.body_text })
    else await (opts.robots ?? createRobotSender(db)).send(row)
    return 'sent'
  } catch (err) {
    const permanent = err instanceof RobotError ? err.permanent : isPermanentEmailError(err)
    const outcome = afterFailure(row.attempts, permanent, (opts.now ?? (() => new Date()))(), policy)
    const lastError = describeError(err)
    if (outcome.status === 'failed') {
      await settle(db, [row], { status: 'failed', claimed_until: null, last_error: lastError })
      return 'failed'
    }
    await settle(db, [row], {
      status: 'pending',
      claimed_until: null,
      last_error: lastError,
      next_attempt_at: outcome.nextAttemptAt.toISOString(),
    })
    return 'retried'
  }
}

const markSent = (db: DB, rows: EmailOutboxRow[]) =>
  settle(db, rows, { status: 'sent', sent_at: nowIso(), claimed_until: null, last_error: null })

/** Sends one claimed row and records the outcome. */
export async function deliverClaimedEmail(db: DB, sender: EmailSender, row: EmailOutboxRow, opts: DeliveryOptions = {}): Promise<Outcome> {
  const outcome = await sendClaimed(db, sender, row, opts)
  if (outcome === 'sent') await markSent(db, [row])
  return outcome
}

/**
 * Delivers everything due now, batch by batch, until nothing is due. Within a batch, `concurrency`
 * emails are in flight at once, and sent ones are recorded in groups of `concurrency` rows per
 * UPDATE, so a sender killed mid-batch re-sends at most about two groups after the lease (an .eml
 * is rewritten under the same name; SMTP carries the same Message-ID).
 */
export async function deliverDueEmails(
  db: DB,
  sender: EmailSender,
  opts: DeliveryOptions & { shouldStop?: () => boolean } = {},
): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 }
  const concurrency = Math.max(1, opts.concurrency ?? 4)
  const claimer = opts.claimer ?? defaultClaimer()
  // "Due" is judged at the start of the call: an email that failed during it waits for a later
  // call, however short its backoff, instead of being retried in a tight loop.
  const dueAt = opts.now?.() ?? new Date()
  for (;;) {
    if (opts.shouldStop?.()) break
    const batch = await claimDueEmails(db, { limit: opts.batchSize ?? 50, leaseMs: opts.leaseMs, claimer, now: dueAt })
    if (!batch.length) break
    let next = 0
    let unrecorded: EmailOutboxRow[] = []
    const flush = async () => {
      const rows = unrecorded
      unrecorded = []
      await markSent(db, rows)
      result.sent += rows.length
    }
    await Promise.all(
      Array.from({ length: Math.min(concurrency, batch.length) }, async () => {
        while (next < batch.length) {
          const row = batch[next++]
          const outcome = await sendClaimed(db, sender, row, opts)
          if (outcome !== 'sent') result[outcome]++
          else if (unrecorded.push(row) >= concurrency) await flush()
        }
      }),
    )
    await flush()
  }
  return result
}

// ─── For the admin ─────────────────────────────────────────────────────────────────────────────

export async function outboxCounts(db: DB): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .selectFrom('email_outbox')
    .select(eb => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const counts = Object.fromEntries(OUTBOX_STATUSES.map(s => [s, 0])) as Record<OutboxStatus, number>
  for (const r of rows) counts[r.status] = Number(r.n)
  return counts
}

export async function listFailedEmails(db: DB, limit = 50) {
  const rows = await db
    .selectFrom('email_outbox')
    .leftJoin('unit_webhooks', 'unit_webhooks.id', 'email_outbox.to_address')
    .leftJoin('units', 'units.id', 'unit_webhooks.unit_id')
    .select([
      'email_outbox.id',
      'email_outbox.to_address',
      'email_outbox.channel',
      'email_outbox.subject',
      'email_outbox.attempts',
      'email_outbox.last_error',
      'email_outbox.created_at',
      'email_outbox.next_attempt_at',
      'email_outbox.notification_id',
      'units.name as unit_name',
    ])
    .where('email_outbox.status', '=', 'failed')
    .orderBy('email_outbox.created_at', 'desc')
    .orderBy('email_outbox.id')
    .limit(limit)
    .execute()
  // A group robot's message names the robot and its unit where an email names its address.
  return rows.map(({ channel, unit_name, ...r }) => ({
    ...r,
    to_address: channel === 'email' ? r.to_address : `${zh.robots[channel]}（${unit_name ?? zh.robots.removed}）`,
  }))
}

/** Puts a failed email back in the queue, due now, with a fresh set of attempts. False when it is not failed (already resent). */
export async function resendFailedEmail(db: DB, id: string): Promise<boolean> {
  const r = await db
    .updateTable('email_outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: nowIso(), claimed_until: null, claimed_by: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
