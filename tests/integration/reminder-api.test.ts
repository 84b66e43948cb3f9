// Issue 5 acceptance through the API: a task's deadline set to tomorrow makes exactly one
// "due soon" notification for its owner within two sweep periods, and one .eml in the outbox.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { sessionCookieFor, useFreshAppDatabase } from '../support/app'
import { deletePrefix, TEST_REDIS_URL, waitFor } from '../support/redis'
import { uniquePrefix } from '../support/db'
import { waitForSweeps } from '../support/sweeps'
import { expectWithin } from '../support/timing'

const dir = useFreshAppDatabase()
const prefix = uniquePrefix()
let db: (typeof import('../../app/db.server'))['db']
let worker: ChildProcess | undefined

beforeAll(async () => {
  db = (await import('../../app/db.server')).db
  const { migrateToLatest } = await import('../../db/db')
  const { seedDemo } = await import('../../app/org/demo.server')
  await migrateToLatest(db)
  await seedDemo(db, { password: 'pw-123456', fixturesDir: dir })
})
afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL')
  await deletePrefix(prefix)
})

it('deadline set to tomorrow through the API → the change noticed, one due-soon notification and its .eml', async () => {
  const { newId, nowIso } = await import('../../db/ids')
  const { createApiToken } = await import('../../app/auth/tokens.server')
  const { todayInShanghai } = await import('../../app/tasks/dates')
  const users = Object.fromEntries((await db.selectFrom('users').select(['id', 'username', 'unit_id']).execute()).map(u => [u.username, u]))
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
      unit_id: users.supervisor.unit_id,
      uploaded_by: null,
      created_at: now,
      updated_at: now,
      processed_at: now,
    })
    .execute()
  const taskId = newId()
  await db
    .insertInto('tasks')
    .values({
      id: taskId,
      report_id: reportId,
      item_id: newId(),
      kind: 'plan',
      title: '完善政策解读栏目',
      text: '完善政策解读栏目。',
      unit_id: users.staff.unit_id,
      owner_id: users.staff.id,
      due_date: '2027-12-31',
      priority: 'normal',
      status: 'in_progress',
      created_by: null,
      created_at: now,
      updated_at: now,
      closed_at: null,
    })
    .execute()

  // The worker runs the sweep every second, as REMINDER_SWEEP_EVERY allows.
  worker = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL,
      DATA_DIR: dir,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      REMINDER_SWEEP_EVERY: '1s',
      OUTBOX_POLL_MS: '300',
      SMTP_URL: '',
    },
    stdio: process.env.TEST_DEBUG ? 'inherit' : 'ignore',
  })
  await waitFor(
    async () => (await db.selectFrom('worker_heartbeats').select('worker_id').where('kind', '=', 'reminders').executeTakeFirst()) ?? null,
    { timeoutMs: 30_000, what: 'first sweep' },
  )
  expect(await db.selectFrom('notifications').select('id').where('task_id', '=', taskId).execute()).toHaveLength(0)

  const tomorrow = new Date(Date.parse(todayInShanghai()) + 86_400_000).toISOString().slice(0, 10)
  const { token } = await createApiToken(db, users.supervisor.id, 'test')
  const route = await import('../../app/routes/api.v1.tasks.$taskId')
  const res = (await route.action({
    request: new Request(`http://localhost/api/v1/tasks/${taskId}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ dueDate: tomorrow }),
    }),
    params: { taskId },
    context: {},
  })) as Response
  expect(res.status).toBe(200)
  const changedAt = Date.now()

  const note = await waitFor(
    async () => db.selectFrom('notifications').selectAll().where('task_id', '=', taskId).where('kind', '=', 'due_soon').executeTakeFirst(),
    { timeoutMs: 15_000, what: 'due-soon notification' },
  )
  expect(note.user_id).toBe(users.staff.id)
  expectWithin(Date.now() - changedAt, 2 * 1000 + 3000, 'two sweep periods, plus the job’s own latency')
  const outboxDir = path.join(dir, 'outbox')
  await waitFor(async () => fs.existsSync(outboxDir) && fs.readdirSync(outboxDir).filter(f => f.endsWith('.eml')).length > 0, {
    timeoutMs: 15_000,
    what: '.eml',
  })
  // Several more sweeps change nothing.
  await waitForSweeps(db, 3)
  // the owner hears of the new deadline once (the event) and of its nearness once (the sweep)
  const notices = await db
    .selectFrom('notifications')
    .select(['kind', 'user_id', 'dedupe_key'])
    .where('task_id', '=', taskId)
    .orderBy('kind')
    .execute()
  expect(notices.map(n => [n.kind, n.user_id])).toEqual([
    ['deadline_changed', users.staff.id],
    ['due_soon', users.staff.id],
  ])
  expect(notices[1].dedupe_key).toBe(note.dedupe_key)
  const sent = await db
    .selectFrom('email_outbox')
    .select(['id', 'status', 'to_address'])
    .where('notification_id', '=', note.id)
    .executeTakeFirstOrThrow()
  expect(sent).toEqual({ id: sent.id, status: 'sent', to_address: 'staff@demo.example' })
  expect(fs.existsSync(path.join(outboxDir, `${sent.id}.eml`))).toBe(true)
  // One file per sent email, whatever else (e.g. a weekly digest) went out meanwhile.
  const rows = await db.selectFrom('email_outbox').select('id').where('status', '=', 'sent').execute()
  expect(
    fs
      .readdirSync(outboxDir)
      .filter(f => f.endsWith('.eml'))
      .sort(),
  ).toEqual(rows.map(r => `${r.id}.eml`).sort())
}, 90_000)
