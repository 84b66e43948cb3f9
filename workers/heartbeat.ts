// The worker's own health: a row in worker_heartbeats every 10 s (the ops page reads it), and, when
// WORKER_HEALTH_PORT is set, a tiny HTTP /healthz answering from the same data.
import http from 'node:http'
import { hostname } from 'node:os'
import type { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import type { DB } from '../db/db'

export type QueueCounts = Record<'waiting' | 'active' | 'delayed' | 'failed' | 'completed', number>

export interface HeartbeatOptions {
  db: DB
  kind?: string
  workerId?: string
  queues?: Queue[]
  /** The connection the queues use: counts are only asked for while it is ready, so a dead Redis never stalls a beat. */
  redis?: Redis
  intervalMs?: number
  /** Anything else worth showing on the ops page (e.g. the email sender's totals). */
  extraInfo?: () => Record<string, unknown>
  onError?: (err: Error) => void
}

export interface Heartbeat {
  readonly workerId: string
  readonly lastBeatAt: string | null
  readonly queues: Record<string, QueueCounts> | null
  readonly redis: 'ready' | 'down'
  beat(): Promise<void>
  stop(): Promise<void>
}

const COUNT_TIMEOUT_MS = 2000
/** Rows of processes not seen for this long are removed, so the ops page does not list old restarts forever. */
const PRUNE_AFTER_MS = 7 * 86400_000

export async function queueCounts(queue: Queue): Promise<QueueCounts> {
  const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed')
  return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, completed: c.completed ?? 0 }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms)
    p.then(
      v => (clearTimeout(t), resolve(v)),
      e => (clearTimeout(t), reject(e)),
    )
  })
}

export function startHeartbeat(opts: HeartbeatOptions): Heartbeat {
  const kind = opts.kind ?? 'worker'
  const host = hostname()
  const startedAt = new Date().toISOString()
  const workerId = opts.workerId ?? `${kind}:${host}:${process.pid}:${Date.now().toString(36)}`
  let lastBeatAt: string | null = null
  let queues: Record<string, QueueCounts> | null = null
  let redis: 'ready' | 'down' = 'down'
  let running: Promise<void> | null = null

  async function readQueues() {
    if (!opts.queues?.length) return null
    if (opts.redis && opts.redis.status !== 'ready') return null
    try {
      const out: Record<string, QueueCounts> = {}
      for (const q of opts.queues) out[q.name] = await withTimeout(queueCounts(q), COUNT_TIMEOUT_MS)
      return out
    } catch {
      return null
    }
  }

  async function write(extra: Record<string, unknown> = {}) {
    queues = await readQueues()
    redis = queues || !opts.queues?.length ? 'ready' : 'down'
    const now = new Date().toISOString()
    const info = JSON.stringify({ queues, redis, ...(opts.extraInfo?.() ?? {}), ...extra })
    await opts.db
      .insertInto('worker_heartbeats')
      .values({ worker_id: workerId, kind, pid: process.pid, host, started_at: startedAt, last_seen_at: now, info })
      .onConflict(oc => oc.column('worker_id').doUpdateSet({ last_seen_at: now, info, pid: process.pid, host }))
      .execute()
    lastBeatAt = now
    await opts.db
      .deleteFrom('worker_heartbeats')
      .where('last_seen_at', '<', new Date(Date.now() - PRUNE_AFTER_MS).toISOString())
      .execute()
  }

  function beat(extra?: Record<string, unknown>): Promise<void> {
    // One beat at a time: a slow database must not pile them up.
    running ??= write(extra)
      .catch(err => opts.onError?.(err as Error))
      .finally(() => (running = null))
    return running
  }

  void beat()
  const timer = setInterval(() => void beat(), opts.intervalMs ?? Number(process.env.HEARTBEAT_EVERY_MS ?? 10_000))
  timer.unref()

  return {
    workerId,
    get lastBeatAt() {
      return lastBeatAt
    },
    get queues() {
      return queues
    },
    get redis() {
      return redis
    },
    beat: () => beat(),
    async stop() {
      clearInterval(timer)
      await running
      // The last word: stopped on purpose, so the ops page does not show it as a crash.
      await beat({ stoppedAt: new Date().toISOString() })
    },
  }
}

/** A process whose heartbeat is older than this is shown (and answered) as not alive. */
export const ALIVE_WITHIN_MS = 30_000

export function startHealthServer(heartbeat: Heartbeat, port: number, host = '127.0.0.1'): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/healthz') {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'not found' }))
      return
    }
    const last = heartbeat.lastBeatAt
    const ok = !!last && Date.now() - Date.parse(last) < ALIVE_WITHIN_MS
    res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
    res.end(
      JSON.stringify({
        ok,
        process: 'worker',
        pid: process.pid,
        workerId: heartbeat.workerId,
        lastHeartbeat: last,
        redis: heartbeat.redis,
        queues: heartbeat.queues,
      }),
    )
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(server))
  })
}
