// The worker process: BullMQ workers plus a resync that re-queues whatever the database says is
// unfinished (the database is the truth; Redis can be lost and rebuilt from it).
import { createDb } from '../db/db'
import { listUnfinishedReports } from '../app/reports/reports.server'
import { createRedis } from './connection'
import { createReportsQueue, enqueueReportProcessing } from './queues'
import { startReportsWorker } from './reports-worker'

const db = createDb()
const connection = createRedis('worker')
connection.on('error', err => console.error(`[worker] redis: ${err.message}`))
const queue = createReportsQueue(connection)
const worker = startReportsWorker({
  db,
  connection,
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 2),
  delayBeforeCommitMs: Number(process.env.WORKER_PROCESS_DELAY_MS ?? 0),
})

const RESYNC_MS = Number(process.env.RESYNC_EVERY_MS ?? 30_000)
async function resync(olderThanMs: number) {
  try {
    const ids = await listUnfinishedReports(db, olderThanMs)
    for (const id of ids) await enqueueReportProcessing(queue, id)
    if (ids.length) console.log(`[worker] re-queued ${ids.length} unfinished report(s)`)
  } catch (err) {
    console.error(`[worker] resync failed: ${(err as Error).message}`)
  }
}
await resync(0)
const timer = setInterval(() => void resync(RESYNC_MS), RESYNC_MS)
console.log(`[worker] ready (pid ${process.pid})`)

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  console.log(`[worker] ${signal}: finishing current jobs…`)
  clearInterval(timer)
  await worker.close()
  await queue.close()
  await connection.quit().catch(() => {})
  await db.destroy()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
