// The email sender: a loop over the outbox table, not a BullMQ job, so email keeps flowing while
// Redis is down (see docs/decisions/006-email-outbox.md). It polls every OUTBOX_POLL_MS, and
// nudge() wakes it at once (e.g. right after a sweep recorded reminders in the same process).
import type { DB } from '../db/db'
import { retryPolicyFromEnv } from '../app/notify/backoff'
import { createEmailSender, type EmailSender } from '../app/notify/email.server'
import { deliverDueEmails, type DeliveryOptions, type DeliveryResult } from '../app/notify/outbox.server'

/** Rows claimed per round trip and emails in flight at once (OUTBOX_BATCH, OUTBOX_CONCURRENCY); see docs/benchmarks.md. */
export const DEFAULT_OUTBOX_BATCH = 200
export const DEFAULT_OUTBOX_CONCURRENCY = 32

export interface OutboxSenderOptions extends DeliveryOptions {
  db: DB
  sender?: EmailSender
  pollMs?: number
  onResult?: (r: DeliveryResult) => void
  onError?: (err: Error) => void
}

export interface OutboxSender {
  /** Look for due emails now instead of at the next poll. */
  nudge(): void
  /** Finishes the emails in hand, then stops; never cuts a send in half. */
  stop(): Promise<void>
  readonly kind: EmailSender['kind']
  readonly lastRunAt: string | null
  readonly totals: DeliveryResult
}

export function startOutboxSender(opts: OutboxSenderOptions): OutboxSender {
  const sender = opts.sender ?? createEmailSender()
  const pollMs = opts.pollMs ?? Number(process.env.OUTBOX_POLL_MS ?? 5000)
  const delivery: DeliveryOptions = {
    policy: opts.policy ?? retryPolicyFromEnv(),
    leaseMs: opts.leaseMs,
    batchSize: opts.batchSize ?? Number(process.env.OUTBOX_BATCH ?? DEFAULT_OUTBOX_BATCH),
    concurrency: opts.concurrency ?? Number(process.env.OUTBOX_CONCURRENCY ?? DEFAULT_OUTBOX_CONCURRENCY),
    claimer: opts.claimer,
    now: opts.now,
  }
  const totals: DeliveryResult = { sent: 0, retried: 0, failed: 0 }
  let stopping = false
  let lastRunAt: string | null = null
  let wake: (() => void) | null = null
  let nudged = false

  const sleep = () =>
    new Promise<void>(resolve => {
      if (nudged || stopping) return resolve()
      const t = setTimeout(done, pollMs)
      function done() {
        clearTimeout(t)
        wake = null
        resolve()
      }
      wake = done
    })

  const loop = (async () => {
    while (!stopping) {
      nudged = false
      try {
        const r = await deliverDueEmails(opts.db, sender, { ...delivery, shouldStop: () => stopping })
        lastRunAt = new Date().toISOString()
        totals.sent += r.sent
        totals.retried += r.retried
        totals.failed += r.failed
        if (r.sent + r.retried + r.failed > 0) opts.onResult?.(r)
      } catch (err) {
        // The database may be briefly locked or unreachable: the rows stay, the next round takes them.
        opts.onError?.(err as Error)
      }
      await sleep()
    }
  })()

  return {
    nudge() {
      nudged = true
      wake?.()
    },
    async stop() {
      stopping = true
      wake?.()
      await loop
      sender.close()
    },
    get kind() {
      return sender.kind
    },
    get lastRunAt() {
      return lastRunAt
    },
    totals,
  }
}
