// The email outbox: the table is the truth. A sender claims a due row (pending → sending, with a
// lease), sends it, and marks it sent, or schedules a retry with exponential backoff, or gives up
// (failed, shown to the admin). The claim is one conditional UPDATE, so two senders never both win.
import { hostname } from 'node:os'
import type { DB } from '../../db/db'
import { nowIso } from '../../db/ids'
import type { EmailOutboxRow } from '../../db/schema'
import { afterFailure, DEFAULT_RETRY_POLICY, isPermanentEmailError, type RetryPolicy } from './backoff'
import type { EmailSender } from './email.server'

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
  now?: () => Date
}

export interface DeliveryResult {
  sent: number
  retried: number
  failed: number
}

const DEFAULT_LEASE_MS = 10 * 60_000
export const defaultClaimer = () => `${hostname()}:${process.pid}`

/** Takes up to `limit` due rows for this sender. Each row is claimed by a conditional UPDATE; a row another sender took first is skipped. */
export async function claimDueEmails(db: DB, opts: { limit?: number; leaseMs?: number; claimer?: string; now?: Date } = {}): Promise<EmailOutboxRow[]> {
  const now = (opts.now ?? new Date()).toISOString()
  // The lease runs from the real moment of the claim, even when "due" is judged at an earlier `now`.
  const claimedUntil = new Date(Math.max(Date.parse(now), Date.now()) + (opts.leaseMs ?? DEFAULT_LEASE_MS)).toISOString()
  const claimer = opts.claimer ?? defaultClaimer()
  const candidates = await db
    .selectFrom('email_outbox')
    .select('id')
    .where(eb => eb.or([eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)])]))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(opts.limit ?? 50)
    .execute()
  const claimed: EmailOutboxRow[] = []
  for (const { id } of candidates) {
    const row = await db
      .updateTable('email_outbox')
      .set(eb => ({ status: 'sending' as const, claimed_until: claimedUntil, claimed_by: claimer, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where(eb => eb.or([eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)])]))
      .returningAll()
      .executeTakeFirst()
    if (row) claimed.push(row)
  }
  return claimed
}

function describeError(err: unknown): string {
  const e = err as { message?: string; responseCode?: number; code?: string }
  const parts = [e?.code, e?.responseCode, e?.message ?? String(err)].filter(p => p !== undefined && p !== '')
  return parts.join(' ').slice(0, 1000)
}

/** Sends one claimed row and records the outcome. Only the claim's holder may record it. */
export async function deliverClaimedEmail(db: DB, sender: EmailSender, row: EmailOutboxRow, opts: DeliveryOptions = {}): Promise<'sent' | 'retried' | 'failed'> {
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY
  const mine = (q: ReturnType<typeof db.updateTable<'email_outbox'>>) => q.where('id', '=', row.id).where('status', '=', 'sending').where('claimed_by', '=', row.claimed_by)
  // A row taken over from dead senders again and again (it may crash the sender): stop trying.
  if (row.attempts > policy.maxAttempts) {
    await mine(db.updateTable('email_outbox')).set({ status: 'failed', claimed_until: null, last_error: row.last_error ?? '投递多次中断，已停止重试。' }).execute()
    return 'failed'
  }
  try {
    await sender.send({ id: row.id, to: row.to_address, subject: row.subject, text: row.body_text })
  } catch (err) {
    const outcome = afterFailure(row.attempts, isPermanentEmailError(err), (opts.now ?? (() => new Date()))(), policy)
    const lastError = describeError(err)
    if (outcome.status === 'failed') {
      await mine(db.updateTable('email_outbox')).set({ status: 'failed', claimed_until: null, last_error: lastError }).execute()
      return 'failed'
    }
    await mine(db.updateTable('email_outbox')).set({ status: 'pending', claimed_until: null, last_error: lastError, next_attempt_at: outcome.nextAttemptAt.toISOString() }).execute()
    return 'retried'
  }
  await mine(db.updateTable('email_outbox')).set({ status: 'sent', sent_at: nowIso(), claimed_until: null, last_error: null }).execute()
  return 'sent'
}

/** Delivers everything due now, batch by batch, until nothing is due. */
export async function deliverDueEmails(db: DB, sender: EmailSender, opts: DeliveryOptions & { shouldStop?: () => boolean } = {}): Promise<DeliveryResult> {
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
    await Promise.all(
      Array.from({ length: Math.min(concurrency, batch.length) }, async () => {
        while (next < batch.length) {
          const row = batch[next++]
          result[await deliverClaimedEmail(db, sender, row, opts)]++
        }
      }),
    )
  }
  return result
}

// ─── For the admin ─────────────────────────────────────────────────────────────────────────────

export async function outboxCounts(db: DB): Promise<Record<OutboxStatus, number>> {
  const rows = await db.selectFrom('email_outbox').select(eb => ['status', eb.fn.countAll<number>().as('n')]).groupBy('status').execute()
  const counts = Object.fromEntries(OUTBOX_STATUSES.map(s => [s, 0])) as Record<OutboxStatus, number>
  for (const r of rows) counts[r.status] = Number(r.n)
  return counts
}

export async function listFailedEmails(db: DB, limit = 50) {
  return db
    .selectFrom('email_outbox')
    .select(['id', 'to_address', 'subject', 'attempts', 'last_error', 'created_at', 'next_attempt_at', 'notification_id'])
    .where('status', '=', 'failed')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** Puts a failed email back in the queue, due now, with a fresh set of attempts. False when it is not failed (already resent). */
export async function resendFailedEmail(db: DB, id: string): Promise<boolean> {
  const r = await db.updateTable('email_outbox').set({ status: 'pending', attempts: 0, next_attempt_at: nowIso(), claimed_until: null, claimed_by: null }).where('id', '=', id).where('status', '=', 'failed').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
