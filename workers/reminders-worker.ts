// The reminder sweep on a BullMQ job scheduler. Every REMINDER_SWEEP_EVERY (default 5m) one job
// runs runSweep; the database keys make a duplicated, retried or concurrent sweep harmless.
import os from 'node:os'
import { Worker, type ConnectionOptions } from 'bullmq'
import type { DB } from '../db/db'
import { nowIso } from '../db/ids'
import type { ReminderConfig } from '../app/reminders/config'
import { runSweep, type SweepResult } from '../app/reminders/sweep.server'
import { queuePrefix } from '../app/jobs/connection.server'
import { createRemindersQueue, REMINDERS_QUEUE } from '../app/jobs/queues.server'

export const SWEEP_SCHEDULER_ID = 'reminder-sweep'

export interface RemindersWorkerOptions {
  db: DB
  connection: ConnectionOptions
  prefix?: string
  everyMs: number
  config?: ReminderConfig
  batchSize?: number
  /** Fault injection for tests (REMINDER_RECORD_DELAY_MS): hold each recording transaction open this long. */
  delayBeforeCommitMs?: number
  /** Called after each completed sweep (e.g. to wake the email sender when emails were queued). */
  onSwept?: (result: SweepResult) => void
}

/**
 * Starts the processor and registers the scheduler (idempotent: every worker upserts the same id).
 * Returns at once; `ready` settles when the scheduler is registered (it waits while Redis is down,
 * so nothing else in the worker process is held up by it).
 */
export function startRemindersWorker(opts: RemindersWorkerOptions) {
  const { db, connection, prefix = queuePrefix(), everyMs, delayBeforeCommitMs = 0 } = opts
  const queue = createRemindersQueue(connection, prefix)
  const workerId = `reminders:${os.hostname()}:${process.pid}`
  const startedAt = nowIso()
  const register = () =>
    queue.upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: everyMs },
      {
        name: 'sweep',
        // A sweep is cheap to redo and the next tick covers a failed one: keep only a little history.
        opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } },
      },
    )
  const ready = Promise.all([register(), heartbeat(db, workerId, startedAt, null)]).then(
    () => true,
    err => {
      console.error(`[reminders] scheduler not registered: ${(err as Error).message}`)
      return false
    },
  )
  // Redis may be lost and come back empty (the database is the truth): upserting the same scheduler
  // again now and then restores the sweep without a worker restart. Idempotent.
  const refresh = setInterval(() => void register().catch(() => {}), Number(process.env.REMINDER_SCHEDULER_REFRESH_MS ?? 60_000))
  refresh.unref()
  const beforeCommit = delayBeforeCommitMs > 0 ? () => new Promise<void>(r => setTimeout(r, delayBeforeCommitMs)) : undefined
  const worker = new Worker<unknown, SweepResult>(
    REMINDERS_QUEUE,
    async () => {
      const result = await runSweep(db, new Date(), { config: opts.config, batchSize: opts.batchSize, beforeCommit })
      await heartbeat(db, workerId, startedAt, result)
      opts.onSwept?.(result)
      return result
    },
    {
      connection,
      prefix,
      // One sweep at a time per process; a second process may run another, which the keys make harmless.
      concurrency: 1,
      lockDuration: Number(process.env.WORKER_LOCK_MS ?? 30_000),
      stalledInterval: Number(process.env.WORKER_STALLED_INTERVAL_MS ?? 30_000),
    },
  )
  worker.on('failed', (_job, err) => console.error(`[reminders] sweep failed: ${err.message}`))
  return {
    queue,
    worker,
    ready,
    async close() {
      clearInterval(refresh)
      await worker.close()
      await queue.close()
    },
  }
}

/** The last sweep, for the operations page: worker_heartbeats row of kind 'reminders'. */
async function heartbeat(db: DB, workerId: string, startedAt: string, last: SweepResult | null): Promise<void> {
  const now = nowIso()
  const info = last ? JSON.stringify({ lastSweepAt: last.now, lastSweep: last }) : null
  await db
    .insertInto('worker_heartbeats')
    .values({
      worker_id: workerId,
      kind: 'reminders',
      pid: process.pid,
      host: os.hostname(),
      started_at: startedAt,
      last_seen_at: now,
      info,
    })
    .onConflict(oc => oc.column('worker_id').doUpdateSet(last ? { last_seen_at: now, info } : { last_seen_at: now }))
    .execute()
    .catch(err => console.error(`[reminders] heartbeat failed: ${(err as Error).message}`))
}
