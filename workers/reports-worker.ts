// Processes stored reports: the thin shell around processReport.
import { Worker, type ConnectionOptions, type Job } from 'bullmq'
import type { DB } from '../db/db'
import { markFailed, processReport } from '../app/reports/reports.server'
import { queuePrefix } from './connection'
import { REPORTS_QUEUE, type ProcessReportJob } from './queues'

export interface ReportsWorkerOptions {
  db: DB
  connection: ConnectionOptions
  prefix?: string
  concurrency?: number
  /** Fault injection for tests (WORKER_PROCESS_DELAY_MS): hold the transaction open this long before commit. */
  delayBeforeCommitMs?: number
}

export function startReportsWorker({ db, connection, prefix = queuePrefix(), concurrency = 2, delayBeforeCommitMs = 0 }: ReportsWorkerOptions) {
  const beforeCommit = delayBeforeCommitMs > 0 ? () => new Promise<void>(r => setTimeout(r, delayBeforeCommitMs)) : undefined
  const worker = new Worker<ProcessReportJob>(
    REPORTS_QUEUE,
    async (job: Job<ProcessReportJob>) => processReport(db, job.data.reportId, { beforeCommit }),
    {
      connection,
      prefix,
      concurrency,
      // A dead worker's job is taken over once its lock expires.
      lockDuration: Number(process.env.WORKER_LOCK_MS ?? 30_000),
      stalledInterval: Number(process.env.WORKER_STALLED_INTERVAL_MS ?? 30_000),
    },
  )
  worker.on('failed', async (job, err) => {
    if (!job) return
    const final = job.attemptsMade >= (job.opts.attempts ?? 1)
    console.error(`report ${job.data.reportId}: attempt ${job.attemptsMade} failed: ${err.message}`)
    if (final) await markFailed(db, job.data.reportId, `处理失败：${err.message}`).catch(() => {})
  })
  return worker
}
