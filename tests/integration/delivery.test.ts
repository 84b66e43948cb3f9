// Delivery of recorded reminders: the email outbox (as .eml files, through a real SMTP server, and
// against a dead one), the worker process's heartbeat and /healthz, the notification centre and the
// admin's operations page. Real databases, a real Redis, a real SMTP server; nothing is mocked.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { SMTPServer } from 'smtp-server'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createDb, type DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import type { RetryPolicy } from '../../app/notify/backoff'
import { createEmailSender, messageIdFor, type EmailSender } from '../../app/notify/email.server'
import { claimDueEmails, deliverDueEmails } from '../../app/notify/outbox.server'
import { listWorkers } from '../../app/ops/ops.server'
import { startHealthServer, startHeartbeat } from '../../workers/heartbeat'
import { startOutboxSender } from '../../workers/outbox-worker'
import { toastOf, useFreshAppDatabase } from '../support/app'
import { createTestDb, engines, uniquePrefix, type TestDb } from '../support/db'
import { deletePrefix, TEST_REDIS_URL, waitFor } from '../support/redis'
import { freePort } from '../../app/cli/ports'

// The app's own database (for the page loaders) and queue prefix: set before any route is imported.
const appDir = useFreshAppDatabase()
const APP_PREFIX = uniquePrefix()
process.env.QUEUE_PREFIX = APP_PREFIX
process.env.REDIS_URL = TEST_REDIS_URL

const FAST: RetryPolicy = { baseMs: 50, capMs: 400, maxAttempts: 3 }

async function seedPeople(db: DB) {
  const unitId = newId()
  await db
    .insertInto('units')
    .values({ id: unitId, name: '投递测试单位', parent_id: null, path: `/${unitId}/`, created_at: nowIso() })
    .execute()
  const user = async (username: string, role: 'admin' | 'staff', email: string | null) => {
    const id = newId()
    await db
      .insertInto('users')
      .values({ id, username, display_name: username, email, password_hash: 'x', role, unit_id: unitId, created_at: nowIso() })
      .execute()
    return id
  }
  return { unitId, user }
}

/** What the planner records: a notification and, for a user with an email, its outbox row. */
async function recordReminder(db: DB, userId: string, to: string, n: number, taskId: string | null = null) {
  const notificationId = newId()
  const outboxId = newId()
  const now = nowIso()
  await db.transaction().execute(async trx => {
    await trx
      .insertInto('notifications')
      .values({
        id: notificationId,
        user_id: userId,
        task_id: taskId,
        kind: 'due_soon',
        title: `任务还有 7 天到期：第${n}项`,
        body: `第${n}项整改任务将于 7 天后到期。`,
        dedupe_key: `test:${notificationId}`,
        read_at: null,
        created_at: now,
      })
      .execute()
    await trx
      .insertInto('email_outbox')
      .values({
        id: outboxId,
        notification_id: notificationId,
        user_id: userId,
        to_address: to,
        subject: `【整改跟踪】任务还有 7 天到期：第${n}项`,
        body_text: `您好：\n\n第${n}项整改任务将于 7 天后到期，请及时办理。`,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        last_error: null,
        created_at: now,
        sent_at: null,
      })
      .execute()
  })
  return { notificationId, outboxId }
}

/** Counts every send, so "exactly once" is checked at the point where an email leaves. */
function counting(inner: EmailSender) {
  const sends = new Map<string, number>()
  const sender: EmailSender = {
    kind: inner.kind,
    async send(email) {
      sends.set(email.id, (sends.get(email.id) ?? 0) + 1)
      await inner.send(email)
    },
    close: () => inner.close(),
  }
  return { sender, sends }
}

/** Decodes RFC 2047 encoded words (B and Q) in a header, to check what a mail client would show. */
function decodeHeader(value: string): string {
  return value.replace(/\s*\r?\n\s+/g, ' ').replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  )
}
function headerOf(eml: string, name: string): string {
  const head = eml.split('\r\n\r\n')[0]
  // A long header is folded onto the next lines (CRLF + space): unfold it.
  const m = new RegExp(`^${name}:((?:.*)(?:\\r\\n[ \\t].*)*)`, 'mi').exec(head)
  return m ? m[1].replace(/\r\n[ \t]+/g, ' ').trim() : ''
}

/** A local SMTP server that keeps what it receives; addresses starting with "reject" are refused with 550. */
async function startSmtp() {
  const received: Array<{ to: string[]; raw: string }> = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('reject')) return cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }))
      cb()
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map(r => r.address), raw: Buffer.concat(chunks).toString('utf8') })
        cb()
      })
    },
  })
  const port = await freePort()
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', () => resolve()))
  return { port, received, close: () => new Promise<void>(resolve => server.close(() => resolve())) }
}

describe.each(engines)('email outbox on %s', engine => {
  let t: TestDb
  let other: DB
  let outDir: string
  let people: Awaited<ReturnType<typeof seedPeople>>
  let staffId: string

  beforeEach(async () => {
    t = await createTestDb(engine)
    // A second, separate connection to the same database: a second worker process.
    other = createDb({ url: t.env.DATABASE_URL, schema: t.env.DATABASE_SCHEMA })
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-outbox-'))
    people = await seedPeople(t.db)
    staffId = await people.user('staff1', 'staff', 'staff1@example.cn')
  })
  afterEach(async () => {
    await other.destroy()
    await t.cleanup()
    fs.rmSync(outDir, { recursive: true, force: true })
  })

  const rowsByStatus = async () => {
    const rows = await t.db.selectFrom('email_outbox').select(['status']).execute()
    return rows.reduce<Record<string, number>>((acc, r) => ((acc[r.status] = (acc[r.status] ?? 0) + 1), acc), {})
  }

  it('two senders at once deliver every pending email exactly once, as .eml files a person can open', async () => {
    const N = 120
    const ids: string[] = []
    for (let i = 0; i < N; i++) ids.push((await recordReminder(t.db, staffId, 'staff1@example.cn', i)).outboxId)
    const a = counting(createEmailSender({ dir: outDir, smtpUrl: '' }))
    const b = counting(createEmailSender({ dir: outDir, smtpUrl: '' }))
    const s1 = startOutboxSender({ db: t.db, sender: a.sender, pollMs: 20, batchSize: 7, concurrency: 3, claimer: 'one' })
    const s2 = startOutboxSender({ db: other, sender: b.sender, pollMs: 20, batchSize: 5, concurrency: 2, claimer: 'two' })
    try {
      await waitFor(async () => (await rowsByStatus()).sent === N, { what: 'all sent', timeoutMs: 30_000 })
    } finally {
      await Promise.all([s1.stop(), s2.stop()])
    }
    // Each email was sent once, by one of the two, and both took part.
    for (const id of ids) expect((a.sends.get(id) ?? 0) + (b.sends.get(id) ?? 0), id).toBe(1)
    expect(a.sends.size + b.sends.size).toBe(N)
    expect(a.sends.size).toBeGreaterThan(0)
    expect(b.sends.size).toBeGreaterThan(0)
    expect(await rowsByStatus()).toEqual({ sent: N })
    const files = fs.readdirSync(outDir)
    expect(files.sort()).toEqual(ids.map(id => `${id}.eml`).sort())
    // Running again finds nothing to do.
    expect(await deliverDueEmails(t.db, a.sender)).toEqual({ sent: 0, retried: 0, failed: 0 })
    expect(fs.readdirSync(outDir)).toHaveLength(N)

    const eml = fs.readFileSync(path.join(outDir, `${ids[3]}.eml`), 'utf8')
    expect(headerOf(eml, 'Message-ID')).toBe(messageIdFor(ids[3]))
    expect(headerOf(eml, 'To')).toBe('staff1@example.cn')
    expect(headerOf(eml, 'Subject')).toMatch(/^=\?UTF-8\?[BQ]\?/i) // encoded, not raw UTF-8 bytes
    expect(decodeHeader(headerOf(eml, 'Subject'))).toBe('【整改跟踪】任务还有 7 天到期：第3项')
    expect(eml).toContain('\r\n\r\n') // CRLF, as RFC 822 wants
    const sent = await t.db
      .selectFrom('email_outbox')
      .select(['attempts', 'sent_at', 'last_error', 'claimed_until'])
      .where('id', '=', ids[3])
      .executeTakeFirstOrThrow()
    expect(sent).toEqual({ attempts: 1, sent_at: expect.any(String), last_error: null, claimed_until: null })
  })

  it('a claim is atomic: of two claimers racing for the same rows, each row goes to exactly one', async () => {
    for (let i = 0; i < 30; i++) await recordReminder(t.db, staffId, 'staff1@example.cn', i)
    const [x, y] = await Promise.all([
      claimDueEmails(t.db, { limit: 30, claimer: 'x' }),
      claimDueEmails(other, { limit: 30, claimer: 'y' }),
    ])
    const xs = new Set(x.map(r => r.id))
    expect(y.filter(r => xs.has(r.id))).toEqual([])
    expect(x.length + y.length).toBe(30)
    expect(await claimDueEmails(t.db, { claimer: 'z' })).toEqual([]) // all held
  })

  it('a sender that died mid-send loses its claim when the lease ends, and the email is delivered by another', async () => {
    const { outboxId } = await recordReminder(t.db, staffId, 'staff1@example.cn', 1)
    const [taken] = await claimDueEmails(t.db, { claimer: 'dead', leaseMs: 5_000 })
    expect(taken.id).toBe(outboxId)
    const live = counting(createEmailSender({ dir: outDir, smtpUrl: '' }))
    expect((await deliverDueEmails(other, live.sender, { claimer: 'live' })).sent).toBe(0) // still leased
    // Past the lease (judged at an explicit later moment, not by sleeping).
    const afterLease = () => new Date(Date.parse(taken.claimed_until!) + 1)
    expect((await deliverDueEmails(other, live.sender, { claimer: 'live', now: afterLease })).sent).toBe(1)
    expect(fs.existsSync(path.join(outDir, `${outboxId}.eml`))).toBe(true)
    const row = await t.db.selectFrom('email_outbox').selectAll().where('id', '=', outboxId).executeTakeFirstOrThrow()
    expect(row.status).toBe('sent')
    expect(row.attempts).toBe(2)
  })

  it('with the SMTP server down, the email stays pending with its error and a later attempt time, then fails after the last attempt', async () => {
    const { outboxId } = await recordReminder(t.db, staffId, 'staff1@example.cn', 1)
    const dead = createEmailSender({ smtpUrl: 'smtp://127.0.0.1:1' })
    const row = () => t.db.selectFrom('email_outbox').selectAll().where('id', '=', outboxId).executeTakeFirstOrThrow()
    const before = Date.now()
    expect(await deliverDueEmails(t.db, dead, { policy: FAST })).toEqual({ sent: 0, retried: 1, failed: 0 })
    let r = await row()
    expect(r.status).toBe('pending')
    expect(r.attempts).toBe(1)
    expect(r.last_error).toMatch(/ECONNREFUSED/)
    expect(Date.parse(r.next_attempt_at)).toBeGreaterThanOrEqual(before + FAST.baseMs)
    // Not due yet: nothing happens.
    expect(await deliverDueEmails(t.db, dead, { policy: FAST })).toEqual({ sent: 0, retried: 0, failed: 0 })
    const waits: number[] = []
    for (let attempt = 2; attempt <= FAST.maxAttempts; attempt++) {
      const due = Date.parse((await row()).next_attempt_at)
      await new Promise(res => setTimeout(res, Math.max(0, due - Date.now()) + 5))
      const failedAt = Date.now()
      await deliverDueEmails(t.db, dead, { policy: FAST })
      r = await row()
      expect(r.attempts).toBe(attempt)
      if (r.status === 'pending') waits.push(Date.parse(r.next_attempt_at) - failedAt)
    }
    expect(waits[0]).toBeGreaterThanOrEqual(2 * FAST.baseMs - 20) // the wait doubles
    expect(r.status).toBe('failed')
    expect(r.last_error).toMatch(/ECONNREFUSED/)
    expect(r.sent_at).toBeNull()
    dead.close()
  })

  it('through a real SMTP server: delivered once with an encoded Chinese subject; a refused address fails at once, visible with its error', async () => {
    const smtp = await startSmtp()
    try {
      const ok = await recordReminder(t.db, staffId, 'staff1@example.cn', 8)
      const refused = await recordReminder(t.db, staffId, 'reject-me@example.cn', 9)
      const sender = createEmailSender({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` })
      expect(await deliverDueEmails(t.db, sender, { policy: FAST })).toEqual({ sent: 1, retried: 0, failed: 1 })
      expect(await deliverDueEmails(t.db, sender, { policy: FAST })).toEqual({ sent: 0, retried: 0, failed: 0 })
      sender.close()
      expect(smtp.received).toHaveLength(1)
      const mail = smtp.received[0]
      expect(mail.to).toEqual(['staff1@example.cn'])
      expect(headerOf(mail.raw, 'Message-ID')).toBe(messageIdFor(ok.outboxId))
      expect(decodeHeader(headerOf(mail.raw, 'Subject'))).toBe('【整改跟踪】任务还有 7 天到期：第8项')
      const failed = await t.db.selectFrom('email_outbox').selectAll().where('id', '=', refused.outboxId).executeTakeFirstOrThrow()
      expect(failed.status).toBe('failed')
      expect(failed.attempts).toBe(1)
      expect(failed.last_error).toMatch(/550/)
    } finally {
      await smtp.close()
    }
  })

  it('the heartbeat records the process and its queue depths; /healthz answers from it', async () => {
    const prefix = uniquePrefix()
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
    const queue = new Queue('reports', { connection: redis, prefix })
    await queue.add('process-report', { reportId: 'r1' }, { jobId: 'report-r1' })
    const hb = startHeartbeat({ db: t.db, queues: [queue], redis, intervalMs: 100 })
    const server = await startHealthServer(hb, 0)
    try {
      await waitFor(async () => hb.lastBeatAt && hb.queues, { what: 'a heartbeat with queues' })
      const port = (server.address() as net.AddressInfo).port
      const res = await fetch(`http://127.0.0.1:${port}/healthz`)
      expect(res.status).toBe(200)
      const body = await res.json()
      expect(body).toMatchObject({ ok: true, pid: process.pid, redis: 'ready', queues: { reports: { waiting: 1, active: 0, failed: 0 } } })
      expect(Date.now() - Date.parse(body.lastHeartbeat)).toBeLessThan(5000)
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404)
      const [w] = await listWorkers(t.db)
      expect(w).toMatchObject({ kind: 'worker', pid: process.pid, alive: true, stopped: false })
      await hb.stop()
      const [after] = await listWorkers(t.db)
      expect(after).toMatchObject({ alive: false, stopped: true })
    } finally {
      server.close()
      await queue.close()
      await redis.quit()
      await deletePrefix(prefix)
    }
  })

  it('the worker process delivers the outbox, reports its health, and stops cleanly on SIGTERM', async () => {
    const prefix = uniquePrefix()
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-worker-'))
    const port = await freePort()
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await recordReminder(t.db, staffId, 'staff1@example.cn', i)).outboxId)
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      env: {
        ...process.env,
        ...t.env,
        DATA_DIR: dataDir,
        SMTP_URL: '',
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        WORKER_HEALTH_PORT: String(port),
        OUTBOX_POLL_MS: '100',
        HEARTBEAT_EVERY_MS: '200',
      },
      stdio: process.env.TEST_DEBUG ? 'inherit' : 'ignore',
    })
    try {
      await waitFor(
        async () =>
          fs.existsSync(path.join(dataDir, 'outbox')) &&
          fs.readdirSync(path.join(dataDir, 'outbox')).filter(f => f.endsWith('.eml')).length === 5,
        { what: '5 .eml files', timeoutMs: 30_000 },
      )
      expect(fs.readdirSync(path.join(dataDir, 'outbox')).sort()).toEqual(ids.map(id => `${id}.eml`).sort())
      await waitFor(async () => (await rowsByStatus()).sent === 5, { what: 'rows sent' })
      const health = await waitFor(
        async () => {
          try {
            const res = await fetch(`http://127.0.0.1:${port}/healthz`)
            const body = await res.json()
            return body.ok && body.queues ? body : null
          } catch {
            return null
          }
        },
        { what: '/healthz', timeoutMs: 20_000 },
      )
      expect(health).toMatchObject({ ok: true, pid: child.pid, queues: { reports: expect.any(Object) } })
      child.kill('SIGTERM')
      const code = await new Promise(r => child.once('exit', c => r(c)))
      expect(code).toBe(0)
      const workers = await listWorkers(t.db)
      expect(workers.find(w => w.pid === child.pid)).toMatchObject({ stopped: true, alive: false })
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      await deletePrefix(prefix)
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})

// ─── Pages: the notification centre and the operations page (the app's own SQLite database) ──────

describe('notification centre and operations page', () => {
  type Fn = (a: any) => Promise<unknown>
  let db: DB
  let ids: Record<string, string>
  let cookies: Record<string, string>
  let tokens: Record<string, string>
  let mine: { notificationId: string; outboxId: string }[]
  let theirs: { notificationId: string; outboxId: string }

  const req = (url: string, cookie: string, form?: Record<string, string>) => {
    const headers = new Headers({ Cookie: cookie })
    return new Request(`http://localhost${url}`, {
      method: form ? 'POST' : 'GET',
      headers,
      body: form ? new URLSearchParams(form) : undefined,
    })
  }
  async function call(fn: Fn, request: Request, params: Record<string, string> = {}): Promise<{ status: number; data: any }> {
    try {
      const r = await fn({ request, params, context: {} })
      if (r instanceof Response)
        return { status: r.status, data: r.headers.get('Content-Type')?.includes('json') ? await r.json() : await r.text() }
      return { status: 200, data: r }
    } catch (e) {
      if (e instanceof Response) return { status: e.status, data: await e.text() }
      throw e
    }
  }

  beforeAll(async () => {
    db = (await import('../../app/db.server')).db
    const { migrateToLatest } = await import('../../db/db')
    await migrateToLatest(db)
    const { sessionCookieFor } = await import('../support/app')
    const { createApiToken } = await import('../../app/auth/tokens.server')
    const people = await seedPeople(db)
    ids = {
      admin: await people.user('admin', 'admin', null),
      staff: await people.user('staff', 'staff', 'staff@example.cn'),
      other: await people.user('other', 'staff', 'other@example.cn'),
    }
    cookies = {}
    tokens = {}
    for (const [k, id] of Object.entries(ids)) {
      cookies[k] = await sessionCookieFor(id)
      tokens[k] = (await createApiToken(db, id, 'test')).token
    }
    mine = []
    for (let i = 0; i < 3; i++) mine.push(await recordReminder(db, ids.staff, 'staff@example.cn', i))
    theirs = await recordReminder(db, ids.other, 'other@example.cn', 99)
  })
  afterAll(async () => {
    await deletePrefix(APP_PREFIX)
    fs.rmSync(appDir, { recursive: true, force: true })
  })

  it('the header shows each user their own unread count', async () => {
    const layout = await import('../../app/routes/_app')
    expect((await call(layout.loader as Fn, req('/tasks', cookies.staff))).data).toMatchObject({ unread: 3 })
    expect((await call(layout.loader as Fn, req('/tasks', cookies.other))).data).toMatchObject({ unread: 1 })
    expect((await call(layout.loader as Fn, req('/tasks', cookies.admin))).data).toMatchObject({ unread: 0 })
  })

  it('a user sees only their own notifications, newest first, and marks only their own read', async () => {
    const page = await import('../../app/routes/_app.notifications')
    const list = async (who: string) => (await call(page.loader as Fn, req('/notifications', cookies[who]))).data
    const staffView = await list('staff')
    expect(staffView.unread).toBe(3)
    expect(staffView.notifications.map((n: any) => n.id).sort()).toEqual(mine.map(m => m.notificationId).sort())
    expect(JSON.stringify(staffView)).not.toContain(theirs.notificationId)
    const times = staffView.notifications.map((n: any) => n.createdAt)
    expect([...times].sort().reverse()).toEqual(times)

    // Someone else's: 404, and it stays unread.
    expect(
      (await call(page.action as Fn, req('/notifications', cookies.staff, { intent: 'read', notificationId: theirs.notificationId })))
        .status,
    ).toBe(404)
    expect(
      (await db.selectFrom('notifications').select('read_at').where('id', '=', theirs.notificationId).executeTakeFirstOrThrow()).read_at,
    ).toBeNull()
    expect((await call(page.action as Fn, req('/notifications', cookies.staff, { intent: 'bogus' }))).status).toBe(400)

    expect(
      (await call(page.action as Fn, req('/notifications', cookies.staff, { intent: 'read', notificationId: mine[0].notificationId })))
        .status,
    ).toBe(302)
    expect((await list('staff')).unread).toBe(2)
    const marked = await page.action({ request: req('/notifications', cookies.staff, { intent: 'read-all' }), params: {}, context: {} })
    expect(marked.status).toBe(302)
    expect(toastOf(marked)).toBe('已将 2 条通知标为已读。')
    expect((await list('staff')).unread).toBe(0)
    expect((await list('other')).unread).toBe(1) // untouched by staff's "mark all"
  })

  it('POST /api/v1/notifications/:id/read marks the caller’s own and answers 404 for anyone else’s', async () => {
    const api = await import('../../app/routes/api.v1.notifications.$notificationId.read')
    const post = (who: string, id: string) =>
      call(
        api.action as Fn,
        new Request(`http://localhost/api/v1/notifications/${id}/read`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${tokens[who]}` },
        }),
        { notificationId: id },
      )
    expect((await post('staff', theirs.notificationId)).status).toBe(404)
    expect((await post('admin', theirs.notificationId)).status).toBe(404)
    const res = await post('other', theirs.notificationId)
    expect(res.status).toBe(200)
    expect(res.data.notification).toMatchObject({ id: theirs.notificationId, readAt: expect.any(String) })
    const again = await post('other', theirs.notificationId)
    expect(again.data.notification.readAt).toBe(res.data.notification.readAt) // the first reading counts
  })

  it('the ops page: 403 for everyone but the admin; queue depths and failed jobs from Redis; retry puts a job back', async () => {
    const ops = await import('../../app/routes/_app.admin.ops')
    for (const who of ['staff', 'other']) {
      expect((await call(ops.loader as Fn, req('/admin/ops', cookies[who]))).status).toBe(403)
      expect(
        (await call(ops.action as Fn, req('/admin/ops', cookies[who], { intent: 'resend-email', outboxId: mine[0].outboxId }))).status,
      ).toBe(403)
    }
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
    const queue = new Queue('reports', { connection: redis, prefix: APP_PREFIX })
    const worker = new Worker(
      'reports',
      async job => {
        if (job.data.fail) throw new Error('解码失败：测试')
      },
      { connection: redis.duplicate(), prefix: APP_PREFIX, autorun: false },
    )
    try {
      await queue.add('process-report', { reportId: 'waiting-1' }, { jobId: 'report-waiting-1' })
      await queue.add('process-report', { reportId: 'waiting-2' }, { jobId: 'report-waiting-2', delay: 60_000 })
      let page = (await call(ops.loader as Fn, req('/admin/ops', cookies.admin))).data
      expect(page.queues.ok).toBe(true)
      const reports = page.queues.queues.find((q: any) => q.name === 'reports')
      expect(reports.counts).toEqual({ waiting: 1, active: 0, delayed: 1, failed: 0, completed: 0 })
      expect(page.queues.queues.map((q: any) => q.name)).toContain('reminders')

      // A job that fails shows with its error; the admin retries it.
      await queue.drain(true)
      await queue.add('process-report', { reportId: 'bad', fail: true }, { jobId: 'report-bad' })
      void worker.run()
      await waitFor(async () => (await queue.getJobCounts('failed')).failed === 1, { what: 'a failed job' })
      await worker.close() // so the retried job stays waiting for the checks below
      page = (await call(ops.loader as Fn, req('/admin/ops', cookies.admin))).data
      const failed = page.queues.queues.find((q: any) => q.name === 'reports').failed
      expect(failed).toEqual([expect.objectContaining({ id: 'report-bad', error: '解码失败：测试', attemptsMade: 1 })])
      const retried = await call(
        ops.action as Fn,
        req('/admin/ops', cookies.admin, { intent: 'retry-job', queue: 'reports', jobId: 'report-bad' }),
      )
      expect(retried.status).toBe(302)
      expect(await queue.getJobCounts('waiting', 'failed')).toEqual({ waiting: 1, failed: 0 })
      expect(
        (await call(ops.action as Fn, req('/admin/ops', cookies.admin, { intent: 'retry-job', queue: 'reports', jobId: 'report-bad' })))
          .status,
      ).toBe(404)
      expect(
        (await call(ops.action as Fn, req('/admin/ops', cookies.admin, { intent: 'retry-job', queue: 'nope', jobId: 'x' }))).status,
      ).toBe(404)
    } finally {
      await worker.close()
      await queue.close()
      await redis.quit()
    }
  })

  it('the ops page shows the last reminder sweep and which worker processes are alive', async () => {
    const ops = await import('../../app/routes/_app.admin.ops')
    const now = Date.now()
    const iso = (ms: number) => new Date(ms).toISOString()
    await db
      .insertInto('worker_heartbeats')
      .values([
        {
          worker_id: 'w-alive',
          kind: 'worker',
          pid: 11,
          host: 'h',
          started_at: iso(now - 60_000),
          last_seen_at: iso(now - 5_000),
          info: '{}',
        },
        {
          worker_id: 'w-dead',
          kind: 'worker',
          pid: 12,
          host: 'h',
          started_at: iso(now - 600_000),
          last_seen_at: iso(now - 120_000),
          info: '{}',
        },
        {
          worker_id: 'sweeper',
          kind: 'reminders',
          pid: 11,
          host: 'h',
          started_at: iso(now - 60_000),
          last_seen_at: iso(now - 200_000),
          info: JSON.stringify({ lastSweepAt: iso(now - 200_000), lastSweep: { recorded: 3, emails: 2, durationMs: 41 } }),
        },
      ])
      .execute()
    const page = (await call(ops.loader as Fn, req('/admin/ops', cookies.admin))).data
    expect(page.sweep).toEqual({ at: iso(now - 200_000), recorded: 3, emails: 2, durationMs: 41 })
    expect(page.workers.map((w: any) => [w.workerId, w.alive])).toEqual([
      ['w-alive', true],
      ['w-dead', false],
    ])
    await db.deleteFrom('worker_heartbeats').execute()
  })

  it('emails that failed for good show on the ops page with their error, and "重新发送" queues them again', async () => {
    const ops = await import('../../app/routes/_app.admin.ops')
    const dead = createEmailSender({ smtpUrl: 'smtp://127.0.0.1:1' })
    // Until every email has used its attempts (the wait between attempts is 0 here).
    for (let i = 0; i < 4; i++) await deliverDueEmails(db, dead, { policy: { baseMs: 0, capMs: 0, maxAttempts: 2 } })
    dead.close()
    const page = (await call(ops.loader as Fn, req('/admin/ops', cookies.admin))).data
    expect(page.outbox).toMatchObject({ failed: 4, pending: 0, sent: 0 })
    expect(page.failedEmails).toHaveLength(4)
    const one = page.failedEmails.find((e: any) => e.id === mine[1].outboxId)
    expect(one).toMatchObject({ to_address: 'staff@example.cn', attempts: 2, last_error: expect.stringMatching(/ECONNREFUSED/) })

    const resent = await call(ops.action as Fn, req('/admin/ops', cookies.admin, { intent: 'resend-email', outboxId: mine[1].outboxId }))
    expect(resent.status).toBe(302)
    const row = await db.selectFrom('email_outbox').selectAll().where('id', '=', mine[1].outboxId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'pending', attempts: 0 })
    expect(
      (await call(ops.action as Fn, req('/admin/ops', cookies.admin, { intent: 'resend-email', outboxId: mine[1].outboxId }))).status,
    ).toBe(404)
    // And it really goes out this time.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-resend-'))
    expect((await deliverDueEmails(db, createEmailSender({ smtpUrl: '', dir }))).sent).toBe(1)
    expect(fs.readdirSync(dir)).toEqual([`${mine[1].outboxId}.eml`])
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
