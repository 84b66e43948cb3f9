// Reminder sweep over a large generated database, and delivery throughput next to raw BullMQ.
//   npm run bench:reminders [-- --tasks 1000000 --emails 5000 --jobs 20000]
// Generates --tasks tasks (bulk insert into a temporary SQLite file, in batches inside
// transactions), then times sweeps at fixed moments and samples memory while they run; records
// reminders; sends outbox emails through the app's sender (.eml files); and pushes empty jobs
// through BullMQ on the same Redis (REDIS_URL) for comparison.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import SQLite from 'better-sqlite3'
import { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { sql } from 'kysely'
import { createDb, migrateToLatest, type DB } from '../../db/db'
import { dateOfDay, dayNumber } from '../../app/reminders/calendar'
import { DEFAULT_REMINDER_CONFIG } from '../../app/reminders/config'
import type { Reminder } from '../../app/reminders/plan'
import { recordReminders } from '../../app/reminders/record.server'
import { runSweep, SWEPT_UNTIL_KEY, type SweepResult } from '../../app/reminders/sweep.server'

const args = process.argv.slice(2)
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name)
  return i >= 0 ? Number(args[i + 1]) : dflt
}
const N = opt('--tasks', 1_000_000)
const EMAILS = opt('--emails', 5000)
const JOBS = opt('--jobs', 20_000)
const RECORD = opt('--record', 20_000)
const ROUNDS = opt('--rounds', 3)
// SQLite page cache of the sweep's connection in MB; 0 = the app's setting (SQLite's default, 2 MB).
const CACHE_MB = opt('--cache-mb', 0)
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-bench-reminders-'))
const file = path.join(dir, 'bench.sqlite')
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)

// A fixed Monday so the figures do not depend on the day the bench runs: 2026-11-30 in Shanghai.
const TODAY = '2026-11-30'
const today = dayNumber(TODAY)

// Deterministic pseudo-random numbers (mulberry32) so every run generates the same data.
let seed = 20261123
const rand = () => {
  seed |= 0
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]

// --mix realistic (default): past deadlines are mostly closed (10 % still open, i.e. overdue),
// future ones mostly open. --mix uniform: status independent of the deadline, so two thirds of all
// open tasks are overdue (a pessimistic case: many more reminders per day).
const MIX = args.includes('--mix') ? args[args.indexOf('--mix') + 1] : 'realistic'
const UNIFORM: [string, number][] = [
  ['closed', 0.55],
  ['cancelled', 0.05],
  ['ongoing', 0.05],
  ['unassigned', 0.05],
  ['in_progress', 0.25],
  ['pending_review', 0.05],
]
const PAST: [string, number][] = [
  ['closed', 0.8],
  ['cancelled', 0.05],
  ['ongoing', 0.05],
  ['unassigned', 0.01],
  ['in_progress', 0.07],
  ['pending_review', 0.02],
]
const FUTURE: [string, number][] = [
  ['closed', 0.15],
  ['cancelled', 0.03],
  ['ongoing', 0.05],
  ['unassigned', 0.07],
  ['in_progress', 0.6],
  ['pending_review', 0.1],
]
function status(due: string | null): string {
  const mix = MIX === 'uniform' || !due ? UNIFORM : dayNumber(due) < today ? PAST : FUTURE
  let r = rand()
  for (const [s, p] of mix) if ((r -= p) < 0) return s
  return 'in_progress'
}

function generate() {
  const t0 = performance.now()
  const raw = new SQLite(file)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = NORMAL')
  // Generation only: a large page cache so a million random-id index inserts stay in memory.
  raw.pragma('cache_size = -1048576')
  const now = new Date().toISOString()
  // Org: 1 province, 20 cities, 10 counties each (221 units); per county 10 staff and 1 supervisor,
  // per city 1 supervisor and 1 oversight, 2 oversight at the province. 70 % have an email.
  const insUnit = raw.prepare('insert into units (id, name, parent_id, path, created_at) values (?, ?, ?, ?, ?)')
  const insUser = raw.prepare(
    "insert into users (id, username, display_name, email, password_hash, role, unit_id, active, created_at) values (?, ?, ?, ?, 'x', ?, ?, 1, ?)",
  )
  const staff: { id: string; unit: string }[] = []
  const counties: string[] = []
  let u = 0
  const user = (role: string, unit: string) => {
    const id = randomUUID()
    u++
    insUser.run(id, `u${u}`, `用户${u}`, rand() < 0.7 ? `u${u}@example.gov.cn` : null, role, unit, now)
    return id
  }
  raw.transaction(() => {
    const prov = randomUUID()
    insUnit.run(prov, '省', null, `/${prov}/`, now)
    user('oversight', prov)
    user('oversight', prov)
    for (let c = 0; c < 20; c++) {
      const city = randomUUID()
      insUnit.run(city, `市${c}`, prov, `/${prov}/${city}/`, now)
      user('supervisor', city)
      user('oversight', city)
      for (let k = 0; k < 10; k++) {
        const county = randomUUID()
        insUnit.run(county, `县${c}-${k}`, city, `/${prov}/${city}/${county}/`, now)
        counties.push(county)
        user('supervisor', county)
        for (let s = 0; s < 10; s++) staff.push({ id: user('staff', county), unit: county })
      }
    }
  })()
  const reportIds: string[] = []
  const insReport = raw.prepare(
    "insert into reports (id, filename, size_bytes, sha256, status, unit_id, agency_name, year, created_at, updated_at) values (?, ?, 0, ?, 'confirmed', ?, ?, ?, ?, ?)",
  )
  raw.transaction(() => {
    for (let i = 0; i < 200; i++) {
      const id = randomUUID()
      reportIds.push(id)
      insReport.run(id, `r${i}.txt`, `sha${i}`, counties[i % counties.length], `机关${i % 50}`, 2023 + (i % 4), now, now)
    }
  })()
  const insTask = raw.prepare(
    "insert into tasks (id, report_id, item_id, kind, title, text, unit_id, owner_id, due_date, priority, status, deadline_version, created_at, updated_at) values (?, ?, ?, 'plan', ?, '', ?, ?, ?, 'normal', ?, 1, ?, ?)",
  )
  const BATCH = 50_000
  for (let done = 0; done < N;) {
    const n = Math.min(BATCH, N - done)
    raw.transaction(() => {
      for (let i = 0; i < n; i++) {
        // Deadlines over three years: two behind, one ahead; 5 % have none.
        const due = rand() < 0.05 ? null : dateOfDay(today - 730 + Math.floor(rand() * 1096))
        const st = status(due)
        const owner = st === 'unassigned' ? null : pick(staff)
        const unit = owner ? owner.unit : pick(counties)
        insTask.run(
          randomUUID(),
          pick(reportIds),
          randomUUID(),
          `整改任务 ${done + i}：进一步规范依申请公开答复`,
          unit,
          owner?.id ?? null,
          due,
          st,
          now,
          now,
        )
      }
    })()
    done += n
  }
  raw.pragma('wal_checkpoint(TRUNCATE)')
  raw.close()
  return { ms: performance.now() - t0, users: u, units: 221 }
}

async function timedSweep(
  db: DB,
  label: string,
  now: Date,
  since: Date | null,
): Promise<SweepResult & { peakRss: number; peakHeap: number }> {
  if (!since) await db.deleteFrom('settings').where('key', '=', SWEPT_UNTIL_KEY).execute()
  else
    await db
      .insertInto('settings')
      .values({ key: SWEPT_UNTIL_KEY, value: since.toISOString() })
      .onConflict(oc => oc.column('key').doUpdateSet({ value: since.toISOString() }))
      .execute()
  global.gc?.()
  let peakRss = 0
  let peakHeap = 0
  const sample = () => {
    const m = process.memoryUsage()
    peakRss = Math.max(peakRss, m.rss)
    peakHeap = Math.max(peakHeap, m.heapUsed)
  }
  sample()
  const timer = setInterval(sample, 20)
  const r = await runSweep(db, now, { config: DEFAULT_REMINDER_CONFIG })
  clearInterval(timer)
  sample()
  console.log(
    `${label.padEnd(46)} ${fmt(r.durationMs).padStart(6)} ms   candidates ${fmt(r.tasks).padStart(7)}   planned ${fmt(r.planned).padStart(7)}   recorded ${fmt(r.recorded).padStart(7)} (${fmt(r.emails)} emails, ${fmt(r.digests)} digests)   peak RSS ${mb(peakRss)}, heap ${mb(peakHeap)}`,
  )
  return { ...r, peakRss, peakHeap }
}

async function rawBullmq(concurrency: number): Promise<number> {
  const prefix = `ftbench-${randomUUID().slice(0, 8)}`
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null })
  const queue = new Queue('bench', { connection, prefix })
  for (let i = 0; i < JOBS; i += 1000)
    await queue.addBulk(
      Array.from({ length: Math.min(1000, JOBS - i) }, () => ({ name: 'empty', data: {}, opts: { removeOnComplete: true } })),
    )
  let done = 0
  const t0 = performance.now()
  const finished = new Promise<void>(resolve => {
    const worker = new Worker('bench', async () => {}, { connection, prefix, concurrency })
    worker.on('completed', () => {
      if (++done === JOBS) void worker.close().then(() => resolve())
    })
  })
  await finished
  const rate = JOBS / ((performance.now() - t0) / 1000)
  await queue.obliterate({ force: true })
  await queue.close()
  await connection.quit()
  return rate
}

async function main() {
  console.log(`Reminders bench: ${fmt(N)} tasks (--mix ${MIX}), SQLite at ${file}`)
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}`,
  )
  {
    const db = createDb({ url: file })
    await migrateToLatest(db)
    await db.destroy()
  }
  const g = generate()
  console.log(
    `generated ${fmt(N)} tasks, ${g.units} units, ${g.users} users in ${(g.ms / 1000).toFixed(1)} s (${mb(fs.statSync(file).size)})`,
  )

  const db = createDb({ url: file })
  if (CACHE_MB) await sql.raw(`pragma cache_size = -${CACHE_MB * 1024}`).execute(db)
  console.log(`sweep connection page cache: ${CACHE_MB ? `${CACHE_MB} MB (--cache-mb)` : "the app's (64 MB, db/db.ts)"}`)
  await sql`analyze`.execute(db)
  const byStatus = await db
    .selectFrom('tasks')
    .select(['status', eb => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  console.log(`status mix: ${byStatus.map(s => `${s.status} ${fmt(Number(s.n))}`).join(', ')}`)

  console.log('\nsweeps (time zone Asia/Shanghai; offsets 30/7/1, overdue weekly, escalation after 30 days, digest Monday 09:00):')
  const midnight = await timedSweep(db, 'Mon 00:01, last Sun 23:56: a new day', sh('2026-11-30 00:01'), sh('2026-11-29 23:56'))
  await timedSweep(db, 'Mon 00:06, last 00:01: nothing changed', sh('2026-11-30 00:06'), sh('2026-11-30 00:01'))
  const monday = await timedSweep(db, 'Mon 09:02, last 08:57: the weekly digest', sh('2026-11-30 09:02'), sh('2026-11-30 08:57'))
  // 1,000 open tasks get a deadline tomorrow at 09:04 (as the app does it: new version, updated_at).
  const moved = await db.selectFrom('tasks').select('id').where('status', '=', 'in_progress').orderBy('id').limit(1000).execute()
  await db
    .updateTable('tasks')
    .set(eb => ({
      due_date: '2026-12-01',
      deadline_version: eb('deadline_version', '+', 1),
      updated_at: sh('2026-11-30 09:04').toISOString(),
    }))
    .where(
      'id',
      'in',
      moved.map(m => m.id),
    )
    .execute()
  await timedSweep(db, 'Mon 09:07, last 09:02: 1,000 deadlines moved', sh('2026-11-30 09:07'), sh('2026-11-30 09:02'))
  const tuesday = await timedSweep(db, 'Tue 00:01, last Mon 23:56: a new day', sh('2026-12-01 00:01'), sh('2026-11-30 23:56'))
  const catchUp = await timedSweep(db, 'Fri 10:00, worker down since Tue 00:01', sh('2026-12-04 10:00'), sh('2026-12-01 00:01'))
  await timedSweep(db, 'Sat 10:00, no previous sweep (1-day lookback)', sh('2026-12-05 10:00'), null)

  console.log('\nrecording and delivery:')
  for (const [label, r] of [
    ['Mon 00:01', midnight],
    ['Tue 00:01', tuesday],
    ['Fri catch-up', catchUp],
    ['Mon 09:02 digests', monday],
  ] as const) {
    console.log(
      `recording inside the ${label} sweep: ${fmt(r.recorded)} notifications (+ ${fmt(r.emails)} outbox rows) at ${fmt((r.recorded / r.durationMs) * 1000)} reminders/s including loading and planning`,
    )
  }
  const users = await db.selectFrom('users').select('id').where('role', '=', 'staff').limit(1000).execute()
  const synthetic: Reminder[] = Array.from({ length: RECORD }, (_, i) => ({
    kind: 'due_soon',
    userId: users[i % users.length].id,
    taskId: null,
    dedupeKey: `bench:${i}:${randomUUID()}`,
    taskTitle: `基准任务 ${i}`,
    dueDate: '2026-12-07',
    daysLeft: 7,
  }))
  let t0 = performance.now()
  const rec = await recordReminders(db, synthetic)
  const recordRate = rec.recorded / ((performance.now() - t0) / 1000)
  console.log(
    `recordReminders alone: ${fmt(rec.recorded)} notifications (+ ${fmt(rec.emails)} outbox rows) at ${fmt(recordRate)} reminders/s`,
  )

  // Delivery and raw BullMQ take turns (--rounds), so both see the same load on a shared machine;
  // the figures are the medians.
  const { createEmailSender } = await import('../../app/notify/email.server')
  const { deliverDueEmails } = await import('../../app/notify/outbox.server')
  const { DEFAULT_OUTBOX_BATCH, DEFAULT_OUTBOX_CONCURRENCY } = await import('../../workers/outbox-worker')
  const eml = createEmailSender({ smtpUrl: '', dir: path.join(dir, 'outbox') })
  let sent = 0
  const sender = { ...eml, send: async (e: Parameters<typeof eml.send>[0]) => (await eml.send(e), void sent++) }
  // The worker's default settings. The sender is a long-lived loop, so it is warmed up first (JIT).
  const settings = { batchSize: DEFAULT_OUTBOX_BATCH, concurrency: DEFAULT_OUTBOX_CONCURRENCY }
  await deliverDueEmails(db, sender, { ...settings, shouldStop: () => sent >= 1000 })
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const deliverRates: number[] = []
  const raw1s: number[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    sent = 0
    t0 = performance.now()
    // deliverDueEmails checks shouldStop between claimed batches: it stops just past EMAILS.
    const r = await deliverDueEmails(db, sender, { ...settings, shouldStop: () => sent >= EMAILS })
    deliverRates.push(r.sent / ((performance.now() - t0) / 1000))
    raw1s.push(await rawBullmq(1))
    console.log(
      `round ${round}: delivery ${fmt(deliverRates.at(-1)!)} emails/s (${fmt(r.sent)} .eml files), raw BullMQ ${fmt(raw1s.at(-1)!)} jobs/s (concurrency 1): ${((deliverRates.at(-1)! / raw1s.at(-1)!) * 100).toFixed(0)} %   load ${os.loadavg()[0].toFixed(1)}`,
    )
  }
  const deliverRate = median(deliverRates)
  const raw1 = median(raw1s)
  const raw8 = await rawBullmq(8)
  const pending = await db
    .selectFrom('email_outbox')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow()
  console.log(
    `delivery through app/notify (.eml files, batch ${settings.batchSize}, concurrency ${settings.concurrency}, warmed up; ${fmt(Number(pending.n))} emails still pending in the outbox): median ${fmt(deliverRate)} emails/s`,
  )
  console.log(`raw BullMQ, ${fmt(JOBS)} empty jobs: median ${fmt(raw1)} jobs/s (concurrency 1), ${fmt(raw8)} jobs/s (concurrency 8)`)
  console.log(
    `delivery alone (the outbox filled beforehand, as the raw jobs are added before timing): ${((deliverRate / raw1) * 100).toFixed(0)} % of raw BullMQ (concurrency 1), ${((deliverRate / raw8) * 100).toFixed(0)} % (concurrency 8)`,
  )
  const endToEnd = 1 / (1 / recordRate + 1 / deliverRate)
  console.log(
    `record + deliver, one after the other: ${fmt(endToEnd)} reminders/s = ${((endToEnd / raw1) * 100).toFixed(0)} % of raw BullMQ (concurrency 1), ${((endToEnd / raw8) * 100).toFixed(0)} % (concurrency 8)`,
  )
  console.log(`\npeak RSS of the whole process: ${mb(process.resourceUsage().maxRSS * 1024)}`)

  await db.destroy()
  fs.rmSync(dir, { recursive: true, force: true })
}

main().catch(err => {
  console.error(err)
  fs.rmSync(dir, { recursive: true, force: true })
  process.exit(1)
})
