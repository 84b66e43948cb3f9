// Queue names, job payloads and how jobs are added. Shared by the web process (client.server.ts, the
// operations page) and the worker processes (workers/).
import { Queue, type ConnectionOptions, type KeepJobs } from 'bullmq'
import { queuePrefix } from './connection.server'

export const REPORTS_QUEUE = 'reports'

export interface ProcessReportJob {
  reportId: string
}

/**
 * The options every business queue shares: a few retries with backoff; failures are kept for the
 * ops page. Completed jobs are kept for an hour: the worker's resync lists what the database says is
 * unfinished and queues it; a job that completes in between would otherwise be gone, and its id
 * queued and run a second time (harmless, as processing is keyed, but wasted). Kept, the id is still
 * taken and the add does nothing. Ids are only ever re-added for unfinished work (a new follow-up
 * request has a new generation, hence a new id).
 */
const KEEP_COMPLETED: KeepJobs = { age: 3600, count: 50_000 }

function businessQueue<T>(name: string, connection: ConnectionOptions, prefix: string): Queue<T> {
  return new Queue<T>(name, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: { count: 1000 },
    },
  })
}

export function createReportsQueue(connection: ConnectionOptions, prefix = queuePrefix()): Queue<ProcessReportJob> {
  return businessQueue<ProcessReportJob>(REPORTS_QUEUE, connection, prefix)
}

/** One job per report: the jobId is the business key, so adding twice queues it once. */
export async function enqueueReportProcessing(queue: Queue<ProcessReportJob>, reportId: string): Promise<void> {
  await queue.add('process-report', { reportId }, { jobId: `report-${reportId}` })
}

/**
 * The priority of background work (a batch import, the resync's re-queueing). BullMQ runs every job
 * without a priority (a user's single upload) before any prioritised one, so a 10,000-file import
 * never delays an upload: it waits at most for the jobs already running.
 */
export const BACKGROUND_PRIORITY = 10

/**
 * Many reports at once (a batch import): one round trip per chunk, same job ids as one by one, at the
 * background priority.
 */
export async function enqueueReportsProcessing(
  queue: Queue<ProcessReportJob>,
  reportIds: string[],
  priority = BACKGROUND_PRIORITY,
): Promise<void> {
  for (let i = 0; i < reportIds.length; i += 500) {
    await queue.addBulk(
      reportIds
        .slice(i, i + 500)
        .map(reportId => ({ name: 'process-report', data: { reportId }, opts: { jobId: `report-${reportId}`, priority } })),
    )
  }
}

export const FOLLOWUP_QUEUE = 'followup'

/** The follow-up step of one report (prior-year reminders, linking); see app/followup/link.server.ts. */
export interface FollowUpJob {
  reportId: string
  generation: number
}

export function createFollowupQueue(connection: ConnectionOptions, prefix = queuePrefix()): Queue<FollowUpJob> {
  return businessQueue<FollowUpJob>(FOLLOWUP_QUEUE, connection, prefix)
}

/**
 * One job per report and request: the generation is bumped by every request (extraction, agency
 * merge or split), so a new request is queued even while an older one runs, and a repeated one is
 * queued once. (BullMQ forbids ':' in custom job ids.)
 */
export async function enqueueFollowUp(queue: Queue<FollowUpJob>, request: FollowUpJob): Promise<void> {
  await queue.add(
    'follow-up',
    { reportId: request.reportId, generation: request.generation },
    { jobId: `followup-${request.reportId}-${request.generation}` },
  )
}

/**
 * Jobs of these reports that BullMQ gave up on (their worker died twice: "stalled more than
 * allowable limit") keep their ids, so adding them again does nothing: retry them instead. The
 * database says the reports are unfinished; processReport stops a report that keeps dying
 * (MAX_PROCESS_ATTEMPTS). Reads the failed list once (kept: the last 1,000), not each job.
 */
export async function retryFailedReports(queue: Queue<ProcessReportJob>, reportIds: Iterable<string>): Promise<number> {
  const wanted = new Set(reportIds)
  if (!wanted.size) return 0
  let retried = 0
  for (const job of await queue.getFailed(0, 999)) {
    if (job && wanted.has(job.data.reportId)) {
      await job.retry('failed')
      retried++
    }
  }
  return retried
}

export const REMINDERS_QUEUE = 'reminders'

/** The reminder sweep's queue: no jobs of its own, only the scheduler's (workers/reminders-worker.ts). */
export function createRemindersQueue(connection: ConnectionOptions, prefix = queuePrefix()): Queue {
  return new Queue(REMINDERS_QUEUE, { connection, prefix })
}
