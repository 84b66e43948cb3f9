// Queue names, job payloads and how jobs are added. Shared by the web process and the workers.
import { Queue, type ConnectionOptions } from 'bullmq'
import { queuePrefix } from './connection'

export const REPORTS_QUEUE = 'reports'

export interface ProcessReportJob {
  reportId: string
}

/**
 * The options every business queue shares: a few retries with backoff; completed jobs are dropped
 * (processing is idempotent and keyed, so re-adding a finished id is harmless); failures are kept
 * for the ops page.
 */
function businessQueue<T>(name: string, connection: ConnectionOptions, prefix: string): Queue<T> {
  return new Queue<T>(name, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: true,
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

/** Many reports at once (a batch import): one round trip per chunk, same job ids as one by one. */
export async function enqueueReportsProcessing(queue: Queue<ProcessReportJob>, reportIds: string[]): Promise<void> {
  for (let i = 0; i < reportIds.length; i += 500) {
    await queue.addBulk(reportIds.slice(i, i + 500).map(reportId => ({ name: 'process-report', data: { reportId }, opts: { jobId: `report-${reportId}` } })))
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
  await queue.add('follow-up', { reportId: request.reportId, generation: request.generation }, { jobId: `followup-${request.reportId}-${request.generation}` })
}
