// Processes stored reports: the thin shell around processReport, then the extracted report's
// follow-up step (runFollowUp). A step that fails here is queued as a job of its own (the follow-up
// worker, which also runs the steps merges and splits ask for); the worker's resync queues any
// step still due from the database.
import { Worker, type ConnectionOptions, type Job, type Queue } from 'bullmq'
import type { DB } from '../db/db'
import { pendingFollowUps, runFollowUp } from '../app/followup/link.server'
import { markFailed, processReport } from '../app/reports/reports.server'
import { queuePrefix } from '../app/jobs/connection.server'
import type { ExtractPool } from '../app/reports/extract-pool.server'
import { createFollowupQueue, enqueueFollowUp, REPORTS_QUEUE, type FollowUpJob, type ProcessReportJob } from '../app/jobs/queues.server'

export interface ReportsWorkerOptions {
  db: DB
  connection: ConnectionOptions
  prefix?: string
  concurrency?: number
  /** Where follow-up jobs go; by default a queue of the worker's own, closed with it. */
  followupQueue?: Queue<FollowUpJob>
  /** Fault injection for tests (WORKER_PROCESS_DELAY_MS): hold the transaction open this long before commit. */
  delayBeforeCommitMs?: number
  /** Extraction threads: decoding and extraction run there, off this event loop. Without: inline. */
  extractPool?: ExtractPool
}

export function startReportsWorker({
  db,
  connection,
  prefix = queuePrefix(),
  concurrency = 2,
  followupQueue,
  delayBeforeCommitMs = 0,
  extractPool,
}: ReportsWorkerOptions) {
  const beforeCommit = delayBeforeCommitMs > 0 ? () => new Promise<void>(r => setTimeout(r, delayBeforeCommitMs)) : undefined
  const followups = followupQueue ?? createFollowupQueue(connection, prefix)
  const worker = new Worker<ProcessReportJob>(
    REPORTS_QUEUE,
    async (job: Job<ProcessReportJob>) => {
      const outcome = await processReport(db, job.data.reportId, { beforeCommit, analyse: extractPool?.analyse })
      if (outcome !== 'extracted') return outcome
      // The follow-up step runs here, right after the extraction: a job of its own per report cost
      // a queue round of Redis commands and reads for every report of a batch import. If it fails
      // it is queued as its own job (retried there); if even that fails, the resync queues it.
      try {
        await runFollowUp(db, job.data.reportId, { compare: extractPool?.compare })
      } catch (err) {
        console.error(`report ${job.data.reportId}: follow-up failed here, queued as its own job: ${(err as Error).message}`)
        try {
          for (const request of await pendingFollowUps(db, [job.data.reportId])) await enqueueFollowUp(followups, request)
        } catch (err) {
          console.error(`report ${job.data.reportId}: follow-up not queued now (the resync will): ${(err as Error).message}`)
        }
      }
      return outcome
    },
    {
      connection,
      prefix,
      concurrency,
      // A dead worker's job is taken over once its lock expires.
      lockDuration: Number(process.env.WORKER_LOCK_MS ?? 30_000),
      stalledInterval: Number(process.env.WORKER_STALLED_INTERVAL_MS ?? 30_000),
    },
  )
  if (!followupQueue) worker.on('closed', () => void followups.close())
  worker.on('failed', async (job, err) => {
    if (!job) return
    const final = job.attemptsMade >= (job.opts.attempts ?? 1)
    console.error(`report ${job.data.reportId}: attempt ${job.attemptsMade} failed: ${err.message}`)
    if (final) await markFailed(db, job.data.reportId, `处理失败：${err.message}`).catch(() => {})
  })
  return worker
}
