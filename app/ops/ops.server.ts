// What the operations page shows: BullMQ queue depths and failed jobs (read through the web
// process's fail-fast Redis connection), worker heartbeats, the last reminder sweep, and the outbox.
import { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import type { DB } from '../../db/db'
import { createRedis, queuePrefix } from '../jobs/connection.server'
import { FOLLOWUP_QUEUE, REMINDERS_QUEUE, REPORTS_QUEUE } from '../jobs/queues.server'

/** Every BullMQ queue the workers run. */
export const OPS_QUEUES = [REPORTS_QUEUE, FOLLOWUP_QUEUE, REMINDERS_QUEUE] as const

export type QueueCounts = Record<'waiting' | 'active' | 'delayed' | 'failed' | 'completed', number>
export interface FailedJobView {
  id: string
  name: string
  error: string
  attemptsMade: number
  failedAt: string | null
  data: string
}
export interface QueueView {
  name: string
  counts: QueueCounts
  failed: FailedJobView[]
}
export type QueuesOverview = { ok: true; queues: QueueView[] } | { ok: false; error: string }

let redis: Redis | undefined
const queues = new Map<string, Queue>()

function webRedis(): Redis {
  if (!redis) {
    redis = createRedis('web')
    redis.on('error', () => {}) // a dead Redis is reported on the page, not as an unhandled event
  }
  return redis
}

function queueNamed(name: string): Queue {
  let q = queues.get(name)
  if (!q) {
    q = new Queue(name, { connection: webRedis(), prefix: queuePrefix() })
    q.on('error', () => {})
    queues.set(name, q)
  }
  return q
}

/** The web connection refuses commands until it is connected (no offline queue): give a fresh one a moment. */
async function redisReady(ms = 2000): Promise<void> {
  const r = webRedis()
  if (r.status === 'ready') return
  if (r.status === 'end' || r.status === 'close') r.connect().catch(() => {})
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => (cleanup(), reject(new Error('Redis 连接超时'))), ms)
    const ok = () => (cleanup(), resolve())
    const cleanup = () => (clearTimeout(t), r.off('ready', ok))
    r.on('ready', ok)
  })
}

function summarise(data: unknown): string {
  const s = JSON.stringify(data ?? null)
  return s.length > 200 ? `${s.slice(0, 200)}…` : s
}

export async function queuesOverview(opts: { failedLimit?: number } = {}): Promise<QueuesOverview> {
  try {
    await redisReady()
    const out: QueueView[] = []
    for (const name of OPS_QUEUES) {
      const q = queueNamed(name)
      const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed')
      const failed = await q.getFailed(0, (opts.failedLimit ?? 20) - 1)
      out.push({
        name,
        counts: {
          waiting: c.waiting ?? 0,
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
          completed: c.completed ?? 0,
        },
        failed: failed.filter(Boolean).map(j => ({
          id: String(j.id),
          name: j.name,
          error: j.failedReason ?? '',
          attemptsMade: j.attemptsMade,
          failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
          data: summarise(j.data),
        })),
      })
    }
    return { ok: true, queues: out }
  } catch (err) {
    return { ok: false, error: (err as Error).message }
  }
}

export type RetryResult = 'retried' | 'not-found' | 'unavailable'

/** Moves one failed job back to waiting. Jobs are idempotent (keyed by business id), so a retry is safe. */
export async function retryFailedJob(queueName: string, jobId: string): Promise<RetryResult> {
  if (!(OPS_QUEUES as readonly string[]).includes(queueName)) return 'not-found'
  try {
    await redisReady()
    const job = await queueNamed(queueName).getJob(jobId)
    if (!job || !(await job.isFailed())) return 'not-found'
    await job.retry('failed')
    return 'retried'
  } catch {
    return 'unavailable'
  }
}

// ─── Workers ───────────────────────────────────────────────────────────────────────────────────

export const ALIVE_WITHIN_MS = 30_000

export interface WorkerView {
  workerId: string
  kind: string
  pid: number | null
  host: string | null
  startedAt: string
  lastSeenAt: string
  alive: boolean
  stopped: boolean
  info: Record<string, unknown>
}

/** Sweep records (kind 'reminders') are written per sweep, not every few seconds: they are not liveness. */
const SWEEP_KIND = 'reminders'

/** The worker processes' heartbeats, newest first. */
export async function listWorkers(db: DB, now = new Date()): Promise<WorkerView[]> {
  const rows = await db
    .selectFrom('worker_heartbeats')
    .selectAll()
    .where('kind', '<>', SWEEP_KIND)
    .orderBy('last_seen_at', 'desc')
    .limit(50)
    .execute()
  return rows.map(r => {
    let info: Record<string, unknown> = {}
    try {
      info = r.info ? JSON.parse(r.info) : {}
    } catch {
      /* an unreadable info is shown as empty */
    }
    const stopped = typeof info.stoppedAt === 'string'
    return {
      workerId: r.worker_id,
      kind: r.kind,
      pid: r.pid,
      host: r.host,
      startedAt: r.started_at,
      lastSeenAt: r.last_seen_at,
      alive: !stopped && now.getTime() - Date.parse(r.last_seen_at) < ALIVE_WITHIN_MS,
      stopped,
      info,
    }
  })
}

export interface LastSweep {
  at: string
  /** What that sweep did, when the sweeping worker recorded it. */
  recorded: number | null
  emails: number | null
  durationMs: number | null
}

/** The most recent reminder sweep: from the sweeping workers' records, else the sweep's own marker. */
export async function lastSweep(db: DB, sweptUntil: Date | null): Promise<LastSweep | null> {
  const rows = await db
    .selectFrom('worker_heartbeats')
    .select(['info'])
    .where('kind', '=', SWEEP_KIND)
    .where('info', 'is not', null)
    .execute()
  let best: LastSweep | null = null
  for (const r of rows) {
    try {
      const info = JSON.parse(r.info!) as { lastSweepAt?: string; lastSweep?: { recorded?: number; emails?: number; durationMs?: number } }
      if (typeof info.lastSweepAt !== 'string' || (best && best.at >= info.lastSweepAt)) continue
      best = {
        at: info.lastSweepAt,
        recorded: info.lastSweep?.recorded ?? null,
        emails: info.lastSweep?.emails ?? null,
        durationMs: info.lastSweep?.durationMs ?? null,
      }
    } catch {
      /* unreadable: skip */
    }
  }
  if (sweptUntil && (!best || best.at < sweptUntil.toISOString()))
    return { at: sweptUntil.toISOString(), recorded: null, emails: null, durationMs: null }
  return best
}
