// The web process's handle on the queues. It fails fast: a dead Redis must not hang a request;
// the database row is the truth and the worker re-queues anything left behind.
import type { Queue } from 'bullmq'
import { createRedis } from './connection.server'
import {
  createFollowupQueue,
  createReportsQueue,
  enqueueFollowUp,
  enqueueReportProcessing,
  enqueueReportsProcessing,
  type FollowUpJob,
  type ProcessReportJob,
} from './queues.server'

let queue: Queue<ProcessReportJob> | undefined
let followupQueue: Queue<FollowUpJob> | undefined
let connection: ReturnType<typeof createRedis> | undefined

function webConnection() {
  if (!connection) {
    connection = createRedis('web')
    connection.on('error', () => {}) // reported by the failing call, not as an unhandled event
  }
  return connection
}

function reportsQueue(): Queue<ProcessReportJob> {
  queue ??= createReportsQueue(webConnection())
  return queue
}

/** Returns false when Redis is unreachable; the worker's resync picks the report up later. */
export async function requestReportProcessing(reportId: string): Promise<boolean> {
  try {
    await enqueueReportProcessing(reportsQueue(), reportId)
    return true
  } catch (err) {
    console.warn(`could not queue report ${reportId} now: ${(err as Error).message}`)
    return false
  }
}

/** Many reports (a batch import); false when Redis is unreachable (the worker's resync queues them). */
export async function requestReportsProcessing(reportIds: string[]): Promise<boolean> {
  try {
    await enqueueReportsProcessing(reportsQueue(), reportIds)
    return true
  } catch (err) {
    console.warn(`could not queue ${reportIds.length} report(s) now: ${(err as Error).message}`)
    return false
  }
}

/**
 * Queues the follow-up step of reports an agency merge or split changed. Returns false when Redis is
 * unreachable: the requests are in the database and the worker's resync queues them.
 */
export async function requestFollowUps(requests: FollowUpJob[]): Promise<boolean> {
  try {
    followupQueue ??= createFollowupQueue(webConnection())
    for (const r of requests) await enqueueFollowUp(followupQueue, r)
    return true
  } catch (err) {
    console.warn(`could not queue ${requests.length} follow-up job(s) now: ${(err as Error).message}`)
    return false
  }
}
