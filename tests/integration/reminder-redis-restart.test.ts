// Redis stopped for a while (and back empty, as a Redis without persistence is): reminders recorded
// before, during and after still end delivered exactly once. The database is the truth.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { useFreshAppDatabase } from '../support/app'
import { redisServerEnv, waitFor } from '../support/redis'
import { waitForSweeps } from '../support/sweeps'

const dir = useFreshAppDatabase()
let db: (typeof import('../../app/db.server'))['db']
let redis: ChildProcess | undefined
let worker: ChildProcess | undefined
let port = 0

const freePort = () =>
  new Promise<number>(resolve => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(p))
    })
  })
const startRedis = async () => {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
    env: redisServerEnv(),
  })
  await waitFor(
    () =>
      new Promise<boolean>(r =>
        net
          .connect(port, '127.0.0.1')
          .once('connect', function (this: net.Socket) {
            this.destroy()
            r(true)
          })
          .once('error', () => r(false)),
      ),
    { what: 'redis up' },
  )
}

beforeAll(async () => {
  db = (await import('../../app/db.server')).db
  const { migrateToLatest } = await import('../../db/db')
  const { seedDemo } = await import('../../app/org/demo.server')
  await migrateToLatest(db)
  await seedDemo(db, { password: 'pw-123456', fixturesDir: dir })
  port = await freePort()
})
afterAll(() => {
  for (const p of [worker, redis]) if (p && p.exitCode === null) p.kill('SIGKILL')
})

it('a Redis outage loses no reminder and doubles none', async () => {
  const { newId, nowIso } = await import('../../db/ids')
  const { todayInShanghai } = await import('../../app/tasks/dates')
  const staff = await db.selectFrom('users').select(['id', 'unit_id']).where('username', '=', 'staff').executeTakeFirstOrThrow()
  const now = nowIso()
  const reportId = newId()
  await db
    .insertInto('reports')
    .values({
      id: reportId,
      filename: 'r.txt',
      format: 'txt',
      size_bytes: 1,
      sha256: reportId,
      encoding: 'UTF-8',
      text: '',
      status: 'confirmed',
      error: null,
      agency_id: null,
      agency_name: '某局',
      year: 2025,
      published_at: null,
      title: null,
      unit_id: staff.unit_id,
      uploaded_by: null,
      created_at: now,
      updated_at: now,
      processed_at: now,
    })
    .execute()
  const tomorrow = new Date(Date.parse(todayInShanghai()) + 86_400_000).toISOString().slice(0, 10)
  const addTask = async (title: string, due: string) => {
    const id = newId()
    await db
      .insertInto('tasks')
      .values({
        id,
        report_id: reportId,
        item_id: newId(),
        kind: 'plan',
        title,
        text: title,
        unit_id: staff.unit_id,
        owner_id: staff.id,
        due_date: due,
        priority: 'normal',
        status: 'in_progress',
        created_by: null,
        created_at: nowIso(),
        updated_at: nowIso(),
        closed_at: null,
      })
      .execute()
    return id
  }
  const dueSoon = (taskId: string) =>
    db.selectFrom('notifications').select('id').where('task_id', '=', taskId).where('kind', '=', 'due_soon').execute()

  await startRedis()
  const a = await addTask('任务甲', tomorrow)
  worker = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL,
      DATA_DIR: dir,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      QUEUE_PREFIX: 'ft',
      REMINDER_SWEEP_EVERY: '1s',
      REMINDER_SCHEDULER_REFRESH_MS: '1000',
      OUTBOX_POLL_MS: '300',
      SMTP_URL: '',
    },
    stdio: process.env.TEST_DEBUG ? 'inherit' : 'ignore',
  })
  await waitFor(async () => (await dueSoon(a)).length === 1, { timeoutMs: 30_000, what: 'reminder before the outage' })

  // Redis goes away; meanwhile a deadline moves to tomorrow.
  redis!.kill('SIGKILL')
  await new Promise(r => redis!.once('exit', r))
  const b = await addTask('任务乙', '2027-12-31')
  await db.updateTable('tasks').set({ due_date: tomorrow, deadline_version: 2, updated_at: nowIso() }).where('id', '=', b).execute()
  await new Promise(r => setTimeout(r, 3000))
  expect(worker.exitCode).toBeNull() // the worker rides out the outage

  // Redis comes back empty: the scheduler is restored and the missed work is done, once.
  await startRedis()
  await waitFor(async () => (await dueSoon(b)).length === 1, { timeoutMs: 30_000, what: 'reminder after the outage' })
  await waitForSweeps(db, 3) // several more sweeps: nothing is recorded twice
  expect(await dueSoon(a)).toHaveLength(1)
  expect(await dueSoon(b)).toHaveLength(1)
  const outbox = path.join(dir, 'outbox')
  await waitFor(async () => (await db.selectFrom('email_outbox').select('id').where('status', '!=', 'sent').execute()).length === 0, {
    what: 'all emails sent',
  })
  const sent = await db.selectFrom('email_outbox').select('id').where('status', '=', 'sent').execute()
  expect(
    fs
      .readdirSync(outbox)
      .filter(f => f.endsWith('.eml'))
      .sort(),
  ).toEqual(sent.map(r => `${r.id}.eml`).sort())
  const keys = await db.selectFrom('notifications').select('dedupe_key').execute()
  expect(new Set(keys.map(k => k.dedupe_key)).size).toBe(keys.length)
}, 120_000)
