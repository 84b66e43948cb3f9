// Runs the follow-up step of a report (prior-year reminders, linking): the thin shell around runFollowUp.
import { Worker, type ConnectionOptions, type Job } from 'bullmq'
import type { DB } from '../db/db'
import { runFollowUp, type FollowUpResult } from '../app/followup/link.server'
import { queuePrefix } from '../app/jobs/connection.server'
import type { ExtractPool } from '../app/reports/extract-pool.server'
import { FOLLOWUP_QUEUE, type FollowUpJob } from '../app/jobs/queues.server'

export interface FollowupWorkerOptions {
  db: DB
  connection: ConnectionOptions
  prefix?: string
  concurrency?: number
  /** Where the engine's comparisons run (off this event loop); without, inline. */
  extractPool?: ExtractPool
}

export function startFollowupWorker({ db, connection, prefix = queuePrefix(), concurrency = 1, extractPool }: FollowupWorkerOptions) {
  const worker = new Worker<FollowUpJob, FollowUpResult | null>(
    FOLLOWUP_QUEUE,
    async (job: Job<FollowUpJob>) => runFollowUp(db, job.data.reportId, { compare: extractPool?.compare }),
    {
      connection,
      prefix,
      concurrency,
      lockDuration: Number(process.env.WORKER_LOCK_MS ?? 30_000),
      stalledInterval: Number(process.env.WORKER_STALLED_INTERVAL_MS ?? 30_000),
    },
  )
  // A failed step leaves followup_done_at null: the job's retries, then the ops page's retry, run it again.
  worker.on('failed', (job, err) => {
    if (job) console.error(`report ${job.data.reportId}: follow-up attempt ${job.attemptsMade} failed: ${err.message}`)
  })
  return worker
}
