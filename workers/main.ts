// The worker process: BullMQ workers plus a resync that re-queues whatever the database says is
// unfinished (the database is the truth; Redis can be lost and rebuilt from it).
import { createDb } from '../db/db'
import { listUnfinishedReports } from '../app/reports/reports.server'
import { listFollowUpsDue } from '../app/followup/link.server'
import { createRedis, queuePrefix } from '../app/jobs/connection.server'
import { claimQueuePrefix, installationIdentity } from './installation'
import {
  createFollowupQueue,
  createReportsQueue,
  enqueueFollowUp,
  enqueueReportsProcessing,
  retryFailedReports,
} from '../app/jobs/queues.server'
import { createExtractPool } from '../app/reports/extract-pool.server'
import { startReportsWorker } from './reports-worker'
import { startFollowupWorker } from './followup-worker'
import { startRemindersWorker } from './reminders-worker'
import { reminderConfigFromEnv, sweepEveryMs } from '../app/reminders/config'
import { startHealthServer, startHeartbeat } from './heartbeat'
import { startOutboxSender } from './outbox-worker'
import { appUrl } from '../app/notify/links'

/**
 * One line per distinct error and source every 10 s: during a Redis outage every client fails every
 * few milliseconds, and the log must stay readable (a 3 s outage printed 180 stack dumps).
 */
function quietErrors(source: string) {
  const last = new Map<string, number>()
  return (err: Error) => {
    const now = Date.now()
    if ((last.get(err.message) ?? 0) + 10_000 > now) return
    last.set(err.message, now)
    console.error(`[worker] ${source}: ${err.message}`)
  }
}

// Email links need the site's address: a malformed APP_URL stops the worker here, not mid-send.
console.log(`[worker] links in messages point to ${appUrl()}${process.env.APP_URL ? '' : ' (APP_URL unset)'}`)
const db = createDb()
const connection = createRedis('worker')
connection.on('error', quietErrors('redis'))
// Two installations on one Redis with one prefix would take each other's jobs: say so at start.
void claimQueuePrefix(connection, queuePrefix(), installationIdentity())
  .then(claim => {
    if (!claim.ok)
      console.error(
        `[worker] WARNING: queue prefix "${queuePrefix()}" on this Redis already serves another installation (${claim.heldBy}). Both would take each other's jobs: give each installation its own QUEUE_PREFIX.`,
      )
  })
  .catch(() => {}) // Redis down: the connection's own error handler reports it
const queue = createReportsQueue(connection)
const followupQueue = createFollowupQueue(connection)
// Decoding and extraction run in threads so a large PDF or text never blocks this event loop (lock
// renewals, the heartbeat); EXTRACT_THREADS=0 keeps them inline.
const extractPool = process.env.EXTRACT_THREADS === '0' ? undefined : createExtractPool()
const worker = startReportsWorker({
  db,
  connection,
  followupQueue,
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 2),
  delayBeforeCommitMs: Number(process.env.WORKER_PROCESS_DELAY_MS ?? 0),
  extractPool,
})
// Follow-up of extracted reports (prior-year reminders, linking between years); the engine's
// comparisons run in the extraction threads.
const followupWorker = startFollowupWorker({ db, connection, concurrency: Number(process.env.FOLLOWUP_CONCURRENCY ?? 2), extractPool })
// Every BullMQ object with a connection reports a lost Redis as an 'error' event (one without a
// listener prints the whole error with its stack).
worker.on('error', quietErrors('reports queue'))
followupWorker.on('error', quietErrors('followup queue'))
queue.on('error', quietErrors('reports queue'))
followupQueue.on('error', quietErrors('followup queue'))

// Email: a loop over the outbox table, independent of Redis (started before anything that waits on
// Redis).
const outbox = startOutboxSender({
  db,
  onResult: r => console.log(`[worker] email: ${r.sent} sent, ${r.retried} to retry, ${r.failed} failed`),
  onError: err => console.error(`[worker] email outbox: ${err.message}`),
})

// Reminders: a job scheduler runs the sweep every REMINDER_SWEEP_EVERY (default 5m).
const reminders = startRemindersWorker({
  db,
  connection,
  everyMs: sweepEveryMs(),
  config: reminderConfigFromEnv(),
  batchSize: process.env.REMINDER_SWEEP_BATCH ? Number(process.env.REMINDER_SWEEP_BATCH) : undefined,
  delayBeforeCommitMs: Number(process.env.REMINDER_RECORD_DELAY_MS ?? 0),
  // The emails a sweep queued go out now, not at the sender's next poll.
  onSwept: r => {
    if (r.emails > 0) outbox.nudge()
  },
})

reminders.worker.on('error', quietErrors('reminders queue'))
reminders.queue.on('error', quietErrors('reminders queue'))

// The process's own health: a heartbeat row every 10 s and, with WORKER_HEALTH_PORT, GET /healthz.
const heartbeat = startHeartbeat({
  db,
  queues: [queue, followupQueue, reminders.queue],
  redis: connection,
  extraInfo: () => ({ email: { transport: outbox.kind, lastRunAt: outbox.lastRunAt, ...outbox.totals } }),
  onError: err => console.error(`[worker] heartbeat: ${err.message}`),
})
const healthPort = Number(process.env.WORKER_HEALTH_PORT ?? 0)
const health = healthPort ? await startHealthServer(heartbeat, healthPort, process.env.WORKER_HEALTH_HOST ?? '127.0.0.1') : undefined
if (health) console.log(`[worker] health: http://${process.env.WORKER_HEALTH_HOST ?? '127.0.0.1'}:${healthPort}/healthz`)

const RESYNC_MS = Number(process.env.RESYNC_EVERY_MS ?? 30_000)
async function resync(olderThanMs: number) {
  try {
    // In bulk at the background priority: during a large import thousands are still queued, and
    // their job ids are already there, so this adds nothing and must not crowd out uploads.
    const ids = await listUnfinishedReports(db, olderThanMs)
    await enqueueReportsProcessing(queue, ids)
    const retried = await retryFailedReports(queue, ids)
    if (ids.length)
      console.log(`[worker] re-queued ${ids.length} unfinished report(s)${retried ? `, ${retried} of them given up by the queue` : ''}`)
    // Extracted reports whose follow-up step never finished (a crash after the extraction commit,
    // a merge or split): same job ids, so what is already queued is not queued twice. Not those
    // extracted in the last RESYNC_MS, even at start: another worker's reports job may be running
    // their step right now.
    const followUps = await listFollowUpsDue(db, { olderThanMs: Math.max(olderThanMs, RESYNC_MS) })
    for (const request of followUps) await enqueueFollowUp(followupQueue, request)
    if (followUps.length && olderThanMs === 0) console.log(`[worker] queued the follow-up of ${followUps.length} report(s)`)
  } catch (err) {
    console.error(`[worker] resync failed: ${(err as Error).message}`)
  }
}
// Signals are handled from here on: resync may wait on a Redis that is down.
let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  console.log(`[worker] ${signal}: finishing current jobs…`)
  if (timer) clearInterval(timer)
  health?.close()
  await Promise.all([worker.close(), followupWorker.close(), outbox.stop()])
  await extractPool?.close()
  await heartbeat.stop()
  await reminders.close()
  await queue.close()
  await followupQueue.close()
  await connection.quit().catch(() => {})
  await db.destroy()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))

let timer: NodeJS.Timeout | undefined
await resync(0)
if (!stopping) timer = setInterval(() => void resync(RESYNC_MS), RESYNC_MS)

console.log(`[worker] ready (pid ${process.pid}; email ${outbox.kind === 'smtp' ? 'via SMTP' : 'as .eml files'})`)
