// A province's reports in one import, end to end: generated reports (the corpus texts under 1,000
// agencies and 10 years, each unique) imported with the CLI into a fresh database, processed by
// worker processes, while a signed-in user loads a page every 200 ms from the built web server.
//   npm run bench:import [-- --reports 10000 --engines sqlite,postgres --workers 2 --profile DIR --keep]
// Prints reports/s end to end (until every report is extracted, and until every follow-up step has
// run), peak memory (VmHWM) of each process, and the page's p50/p95 during the import.
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL; a schema of its own, dropped after (unless --keep).
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { sql } from 'kysely'
import { createDb, migrateToLatest, type DB } from '../../db/db'
import { seedDemo } from '../../app/org/demo.server'
import { deletePrefix } from '../support/redis'
import { generateReports, writeReports } from './generate-reports'
import { freePort } from '../../app/cli/ports'

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '10000' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string' },
    page: { type: 'string', default: '/tasks' },
    profile: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
})
const N = Number(values.reports)
const WORKERS = Number(values.workers)
const PAGE = values.page!
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..')

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))
const load = () =>
  os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ')

/** Peak resident memory of a live process, in MB (VmHWM, kernel-kept). */
function peakMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Math.round(Number(m[1]) / 1024) : null
  } catch {
    return null
  }
}

/** CPU time a live process (all its threads) has used so far: user and system seconds. */
function cpuSeconds(pid: number): { user: number; sys: number } | null {
  try {
    // Fields after the command name (which may hold spaces) start at the third: utime is the 14th, stime the 15th.
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return { user: Number(f[11]) / 100, sys: Number(f[12]) / 100 }
  } catch {
    return null
  }
}

/** The machine's CPU seconds so far, busy and in all (every core), from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  const idle = f[3] + (f[4] ?? 0) // idle + iowait
  const total = f.reduce((a, b) => a + b, 0)
  return { busy: (total - idle) / 100, total: total / 100 }
}

/**
 * CPU seconds of the PostgreSQL server's processes by kind (connections, autovacuum, WAL writer…),
 * sampled: every pid's latest figure is kept, so processes that come and go are counted (to their
 * last sample). Empty when the server is not on this machine.
 */
function postgresCpuSampler() {
  const seen = new Map<number, { kind: string; cpu: number; start: number }>()
  const sample = () => {
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue
      try {
        const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()
        if (!cmd.startsWith('postgres')) continue
        const cpu = cpuSeconds(Number(d))
        if (!cpu) continue
        const kind = cmd.startsWith('postgres: ')
          ? (/^postgres: (?:\d+\/main: )?(autovacuum|walwriter|checkpointer|background writer|logical replication|stats|archiver)/.exec(
              cmd,
            )?.[1] ?? 'connections')
          : 'postmaster'
        const prev = seen.get(Number(d))
        seen.set(Number(d), { kind, cpu: cpu.user + cpu.sys, start: prev?.start ?? cpu.user + cpu.sys })
      } catch {
        // gone meanwhile
      }
    }
  }
  sample()
  const timer = setInterval(sample, 500)
  return {
    stop(): Record<string, number> {
      clearInterval(timer)
      sample()
      const by: Record<string, number> = {}
      for (const p of seen.values()) by[p.kind] = (by[p.kind] ?? 0) + p.cpu - p.start
      return by
    },
  }
}

/** Redis's own CPU seconds (user + system), from INFO. */
async function redisCpu(): Promise<number> {
  const redis = new Redis(REDIS_URL)
  try {
    const info = await redis.info('cpu')
    const v = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0)
    return v('used_cpu_user') + v('used_cpu_sys')
  } finally {
    redis.disconnect()
  }
}

const percentile = (xs: number[], p: number) => {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}

interface Target {
  db: DB
  env: Record<string, string>
  cleanup: () => Promise<void>
}

async function createTarget(engine: string, dir: string): Promise<Target> {
  if (engine === 'postgres') {
    const schema = `bench_import_${randomBytes(5).toString('hex')}`
    const db = createDb({ url: PG_URL, schema })
    await migrateToLatest(db, { schema })
    return {
      db,
      env: { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema, DATA_DIR: dir },
      cleanup: async () => {
        if (values.keep) console.log(`kept: PostgreSQL schema ${schema}`)
        else await sql.raw(`drop schema if exists ${schema} cascade`).execute(db)
        await db.destroy()
      },
    }
  }
  const file = path.join(dir, 'bench.sqlite')
  const db = createDb({ url: file })
  await migrateToLatest(db)
  return { db, env: { DATABASE_URL: file, DATA_DIR: dir }, cleanup: async () => db.destroy() }
}

async function runEngine(engine: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-bench-import-'))
  const filesDir = path.join(dir, 'reports')
  const prefix = `ftbench-${randomBytes(5).toString('hex')}`
  const children: { name: string; child: ChildProcess; peak: number | null; cpu: { user: number; sys: number } | null; out: string }[] = []
  const target = await createTarget(engine, dir)
  const { db } = target
  try {
    await seedDemo(db, { password: 'demo', fixturesDir: path.join(ROOT, 'tests/fixtures') })
    const reports = generateReports(N, { years: 10 })
    writeReports(filesDir, reports)
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...target.env,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      NODE_ENV: 'production',
      SEED_DEMO: '0',
    }
    if (values.concurrency) env.WORKER_CONCURRENCY = values.concurrency
    const start = (name: string, script: string, args: string[] = []) => {
      // --profile DIR: a V8 CPU profile of every process (and extraction thread), written at exit.
      const prof = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile, name.replace(/\W+/g, '-'))}`] : []
      const child = spawn(process.execPath, [...prof, '--import', 'tsx', script, ...args], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const entry = { name, child, peak: null as number | null, cpu: null as { user: number; sys: number } | null, out: '' }
      child.stdout!.on('data', d => (entry.out = (entry.out + d).slice(-4000)))
      child.stderr!.on('data', d => (entry.out = (entry.out + d).slice(-4000)))
      // VmHWM is gone once the process has exited: sample it while it runs.
      const timer = setInterval(() => {
        entry.peak = peakMb(child.pid!) ?? entry.peak
        entry.cpu = cpuSeconds(child.pid!) ?? entry.cpu
      }, 500)
      child.on('exit', () => clearInterval(timer))
      children.push(entry)
      return entry
    }

    // The web server, and a signed-in supervisor.
    const port = await freePort()
    env.PORT = String(port)
    const web = start('web', 'app/cli/web.ts')
    const base = `http://127.0.0.1:${port}`
    for (let i = 0; ; i++) {
      if (
        await fetch(`${base}/healthz`).then(
          r => r.ok,
          () => false,
        )
      )
        break
      if (i > 300) throw new Error(`web server did not start:\n${(web as { out: string }).out}`)
      await sleep(100)
    }
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
      body: new URLSearchParams({ username: 'supervisor', password: 'demo', redirectTo: PAGE }),
    })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]
    if (!cookie) throw new Error(`login failed: ${login.status}`)
    const probe = await fetch(`${base}${PAGE}`, { headers: { Cookie: cookie }, redirect: 'manual' })
    if (probe.status !== 200) throw new Error(`${PAGE} answered ${probe.status}`)

    for (let w = 0; w < WORKERS; w++) start(`worker ${w + 1}`, 'workers/main.ts')
    // The demo's five reports are processed first, so the import starts on warm workers.
    for (;;) {
      const left = await db
        .selectFrom('reports')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['queued', 'processing'])
        .executeTakeFirstOrThrow()
      if (Number(left.n) === 0) break
      await sleep(200)
    }

    // The page, every 200 ms, while the import runs.
    const latencies: number[] = []
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        const t0 = performance.now()
        const res = await fetch(`${base}${PAGE}`, { headers: { Cookie: cookie } })
        await res.arrayBuffer()
        if (res.status === 200) latencies.push(performance.now() - t0)
        await sleep(Math.max(0, 200 - (performance.now() - t0)))
      }
    })()

    const t0 = performance.now()
    const redisCpu0 = await redisCpu()
    const machine0 = machineCpu()
    const pgCpu = engine === 'postgres' ? postgresCpuSampler() : null
    const importer = start('import CLI', 'app/cli/import.ts', [filesDir, '--user', 'supervisor', '--poll-ms', '1000'])
    const code = await new Promise<number | null>(resolve => importer.child.on('exit', c => resolve(c)))
    const extractedS = (performance.now() - t0) / 1000
    if (code !== 0) throw new Error(`import exited ${code}:\n${(importer as { out: string }).out}`)
    for (;;) {
      const left = await db
        .selectFrom('reports')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('followup_done_at', 'is', null)
        .where('status', '=', 'extracted')
        .executeTakeFirstOrThrow()
      if (Number(left.n) === 0) break
      await sleep(200)
    }
    const followedS = (performance.now() - t0) / 1000
    sampling = false
    await sampler
    const redisCpuS = (await redisCpu()) - redisCpu0
    const machine1 = machineCpu()
    const pgCpuS = pgCpu?.stop()

    const batch = await db.selectFrom('import_batches').select(['created_at', 'stored_at']).executeTakeFirstOrThrow()
    const storedS = (Date.parse(batch.stored_at!) - Date.parse(batch.created_at)) / 1000
    const counts = await db
      .selectFrom('reports')
      .select(['status', eb => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute()
    const attempts = await db
      .selectFrom('reports')
      .select(eb => eb.fn.max('attempts').as('max'))
      .executeTakeFirstOrThrow()
    const items = await db
      .selectFrom('report_items')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const links = await db
      .selectFrom('report_links')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    for (const c of children) {
      c.peak = peakMb(c.child.pid!) ?? c.peak
      c.cpu = cpuSeconds(c.child.pid!) ?? c.cpu
    }

    console.log(`\n== ${engine}: ${N} reports, ${WORKERS} worker processes (load average now ${load()})`)
    console.log(
      `reports: ${counts.map(c => `${c.status} ${c.n}`).join(', ')}; items ${items.n}; year links ${links.n}; most attempts ${attempts.max}`,
    )
    console.log(
      `the CLI stored every file (bytes in the database, jobs queued) in ${storedS.toFixed(1)} s = ${(N / storedS).toFixed(0)} files/s`,
    )
    console.log(`end to end, every report extracted: ${extractedS.toFixed(1)} s = ${(N / extractedS).toFixed(0)} reports/s`)
    console.log(`end to end, every follow-up step done: ${followedS.toFixed(1)} s = ${(N / followedS).toFixed(0)} reports/s`)
    console.log(
      `${PAGE} during the import: ${latencies.length} requests, p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
    )
    console.log(`peak memory (VmHWM): ${children.map(c => `${c.name} ${c.peak ?? '?'} MB`).join(', ')}`)
    console.log(
      `CPU used, user + system s: ${children.map(c => `${c.name} ${c.cpu ? `${c.cpu.user.toFixed(0)} + ${c.cpu.sys.toFixed(0)}` : '?'}`).join(', ')}, Redis ${redisCpuS.toFixed(0)}; the machine busy ${(machine1.busy - machine0.busy).toFixed(0)} of ${(machine1.total - machine0.total).toFixed(0)} core-s (the database server's share included)`,
    )
    if (pgCpuS)
      console.log(
        `PostgreSQL server CPU s: ${Object.entries(pgCpuS)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(', ')}`,
      )
  } finally {
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise<void>(resolve => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve()
            child.once('exit', () => resolve())
            child.kill('SIGTERM')
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref()
          }),
      ),
    )
    await target.cleanup()
    await deletePrefix(prefix, REDIS_URL)
    // --keep: the SQLite database (and PostgreSQL's schema) stay for inspection.
    if (values.keep) console.log(`kept: ${dir}`)
    else fs.rmSync(dir, { recursive: true, force: true })
  }
}

console.log(`bench:import — ${N} reports, engines ${values.engines}, ${WORKERS} workers; ${os.cpus().length} cores, load average ${load()}`)
for (const engine of values
  .engines!.split(',')
  .map(s => s.trim())
  .filter(Boolean))
  await runEngine(engine)
