// Real processes for fault injection: the worker (workers/main.ts), the web server (app/cli/web.ts
// serving build/), a private redis-server. Each is killed with SIGKILL when asked, and every process
// started here is tracked so a test can kill whatever is left in afterAll.
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../../app/cli/ports'
import { redisServerEnv } from '../../support/redis'

export { freePort }

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const debug = !!process.env.TEST_DEBUG
const live = new Set<ChildProcess>()

export interface Proc {
  child: ChildProcess
  pid: number
  /** Collected stdout+stderr (last 64 KB), for failure messages. */
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function track(child: ChildProcess, name: string): Proc {
  live.add(child)
  let out = ''
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-65536)
    if (debug) process.stderr.write(`[${name} ${child.pid}] ${d}`)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve =>
    child.once('exit', (code, signal) => {
      live.delete(child)
      resolve({ code, signal })
    }),
  )
  return { child, pid: child.pid!, output: () => out, exited }
}

export function portAnswers(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const sock = net.connect(port, '127.0.0.1')
    sock.once('connect', () => {
      sock.destroy()
      resolve(true)
    })
    sock.once('error', () => resolve(false))
  })
}

/** node --import tsx <script>, from the repository root, with env added to this process's. */
export function startNode(name: string, script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return track(child, name)
}

/** node -e <code>, from the repository root (so it finds the project's packages). */
export function startInline(name: string, code: string, env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, ['-e', code], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  return track(child, name)
}

/** The worker process, as `npm run worker` runs it. */
export function startWorker(env: Record<string, string>): Proc {
  return startNode('worker', 'workers/main.ts', env)
}

/** The web process on `port`, serving the built app; resolves once /healthz answers. */
export async function startWeb(env: Record<string, string>, port: number): Promise<Proc> {
  const p = startNode('web', 'app/cli/web.ts', { NODE_ENV: 'production', ...env, PORT: String(port) })
  const end = Date.now() + 30_000
  for (;;) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) throw new Error(`web process exited early:\n${p.output()}`)
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (res.ok) return p
    } catch {
      /* not listening yet */
    }
    if (Date.now() > end) throw new Error(`web process did not answer /healthz:\n${p.output()}`)
    await sleep(100)
  }
}

/** A private redis-server without persistence (it comes back empty after a kill). */
export async function startRedis(port: number): Promise<Proc> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: redisServerEnv() },
  )
  const p = track(child, 'redis')
  const end = Date.now() + 10_000
  while (!(await portAnswers(port))) {
    if (Date.now() > end) throw new Error(`redis-server did not start on ${port}:\n${p.output()}`)
    await sleep(50)
  }
  return p
}

/** kill -9, and wait until the process is gone. */
export async function kill9(p: Proc): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
  await p.exited
}

/** SIGTERM (the graceful path); SIGKILL after `graceMs`. */
export async function stop(p: Proc, graceMs = 10_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return
  p.child.kill('SIGTERM')
  const t = setTimeout(() => p.child.kill('SIGKILL'), graceMs)
  await p.exited
  clearTimeout(t)
}

/** Kills (SIGKILL) every process started through this module that is still running. */
export async function killAll(): Promise<void> {
  const waits: Promise<unknown>[] = []
  for (const child of [...live]) {
    waits.push(new Promise(r => child.once('exit', r)))
    child.kill('SIGKILL')
  }
  await Promise.all(waits)
}

export const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms))

/** A small seeded generator (mulberry32): the same seed gives the same kill timings. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The seed for this run: HARDENING_SEED to replay a failure, otherwise a fresh one (printed). */
export function runSeed(label: string): number {
  const seed = process.env.HARDENING_SEED ? Number(process.env.HARDENING_SEED) : Math.floor(Math.random() * 2 ** 31)
  console.log(`[hardening] ${label}: seed ${seed} (replay with HARDENING_SEED=${seed})`)
  return seed
}

/** Rounds per fault kind: a few by default (npm test), at least 20 with HARDENING_FULL. */
export function rounds(defaultRounds: number, full = 20): number {
  if (process.env.HARDENING_ROUNDS) return Number(process.env.HARDENING_ROUNDS)
  return process.env.HARDENING_FULL ? full : defaultRounds
}
