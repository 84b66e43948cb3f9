// The web process's handle on the queues. It fails fast: a dead Redis must not hang a request;
// the database row is the truth and the worker re-queues anything left behind.
import type { Queue } from 'bullmq'
import { createRedis } from '../workers/connection'
import { createReportsQueue, enqueueReportProcessing, type ProcessReportJob } from '../workers/queues'

let queue: Queue<ProcessReportJob> | undefined

function reportsQueue(): Queue<ProcessReportJob> {
  if (!queue) {
    const connection = createRedis('web')
    connection.on('error', () => {}) // reported by the failing call, not as an unhandled event
    queue = createReportsQueue(connection)
  }
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
