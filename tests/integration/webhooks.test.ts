// Group robots per unit (DingTalk, WeCom) as an outbox channel, against a local fake robot server
// that fails twice and then accepts: each workflow event is queued once per robot, delivered with
// the outbox's retry, signed as DingTalk documents, and never posted again once accepted.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newId, nowIso } from '../../db/ids'
import { createUnit, createUser } from '../../app/org/org.server'
import { createEmailSender } from '../../app/notify/email.server'
import { recordEventNotices } from '../../app/notify/events.server'
import { deliverDueEmails, listFailedEmails } from '../../app/notify/outbox.server'
import { addUnitWebhook } from '../../app/notify/webhook.server'
import { transitionTask } from '../../app/tasks/workflow.server'
import type { Actor } from '../../app/auth/scope'
import { createTestDb, engines, type TestDb } from '../support/db'

const APP = 'https://zgzg.example.gov.cn'
const SECRET = 'SEC0123456789abcdef'

interface Received {
  path: string
  query: URLSearchParams
  body: { msgtype: string; text: { content: string } }
}

/** A robot endpoint: the first `failures` posts per path get a 502 (or a "too fast" errcode), then {"errcode":0}. */
async function fakeRobots(failures: number) {
  const received: Received[] = []
  const seen = new Map<string, number>()
  const server = http.createServer((req, res) => {
    let data = ''
    req.on('data', c => (data += c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x')
      const n = (seen.get(url.pathname) ?? 0) + 1
      seen.set(url.pathname, n)
      const fail = n <= failures
      // DingTalk answers a busy robot with HTTP 200 and an errcode; a proxy in front may answer 502.
      const status = fail && n === 1 ? 502 : 200
      const body = fail ? (n === 1 ? 'Bad Gateway' : '{"errcode":130101,"errmsg":"send too fast"}') : '{"errcode":0,"errmsg":"ok"}'
      received.push({ path: url.pathname, query: url.searchParams, body: JSON.parse(data) })
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(body)
    })
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { base, received, close: () => new Promise<void>(r => server.close(() => r())) }
}

describe.each(engines)('group-robot webhooks on %s', engine => {
  let t: TestDb
  let robots: Awaited<ReturnType<typeof fakeRobots>>
  let sup: Actor, staff: Actor
  let taskId: string
  let savedAppUrl: string | undefined

  beforeEach(async () => {
    savedAppUrl = process.env.APP_URL
    process.env.APP_URL = APP
    t = await createTestDb(engine)
    robots = await fakeRobots(2)
    const root = await createUnit(t.db, { name: '市政务公开办' })
    const dept = await createUnit(t.db, { name: '市教育局', parentId: root.id })
    const other = await createUnit(t.db, { name: '市卫健委', parentId: root.id })
    const mk = async (username: string, displayName: string, role: Actor['role'], unit: { id: string; path: string }) => {
      const { id } = await createUser(t.db, { username, displayName, password: 'password-1', role, unitId: unit.id })
      return { id, role, unitId: unit.id, unitPath: unit.path }
    }
    sup = await mk('sup', '王督办', 'supervisor', root)
    staff = await mk('staff', '李四', 'staff', dept)
    await addUnitWebhook(t.db, { unitId: dept.id, kind: 'dingtalk', url: `${robots.base}/robot/send?access_token=dd`, secret: SECRET })
    await addUnitWebhook(t.db, { unitId: dept.id, kind: 'wecom', url: `${robots.base}/cgi-bin/webhook/send?key=wx` })
    await addUnitWebhook(t.db, { unitId: other.id, kind: 'wecom', url: `${robots.base}/other?key=no` }) // another unit's group hears nothing
    const now = nowIso()
    const reportId = newId()
    await t.db
      .insertInto('reports')
      .values({
        id: reportId,
        filename: 'r.txt',
        format: 'txt',
        size_bytes: 1,
        sha256: 'x',
        encoding: 'UTF-8',
        text: '',
        status: 'confirmed',
        error: null,
        agency_id: null,
        agency_name: '市教育局',
        year: 2025,
        published_at: null,
        title: null,
        unit_id: root.id,
        uploaded_by: null,
        created_at: now,
        updated_at: now,
        processed_at: now,
      })
      .execute()
    taskId = newId()
    await t.db
      .insertInto('tasks')
      .values({
        id: taskId,
        report_id: reportId,
        item_id: newId(),
        kind: 'plan',
        title: '完善政策解读',
        text: '',
        unit_id: dept.id,
        owner_id: staff.id,
        due_date: '2030-12-31',
        priority: 'normal',
        status: 'pending_review',
        created_by: null,
        created_at: now,
        updated_at: now,
        closed_at: null,
      })
      .execute()
  })
  afterEach(async () => {
    if (savedAppUrl === undefined) delete process.env.APP_URL
    else process.env.APP_URL = savedAppUrl
    await robots.close()
    await t.cleanup()
  })

  const robotRows = () => t.db.selectFrom('email_outbox').selectAll().where('channel', '!=', 'email').orderBy('channel').execute()
  // No wait between attempts, so three delivery rounds are three attempts.
  const deliver = () =>
    deliverDueEmails(t.db, createEmailSender({ smtpUrl: '', dir: `${t.env.DATA_DIR ?? '/tmp'}/outbox` }), {
      policy: { baseMs: 0, capMs: 0, maxAttempts: 8 },
    })

  it('an event reaches each of its unit’s robots once, through two failures, signed for DingTalk', async () => {
    await transitionTask(t.db, sup, taskId, { action: 'return', reason: '缺少佐证材料' })
    const rows = await robotRows()
    expect(rows.map(r => [r.channel, r.status, r.user_id, r.notification_id])).toEqual([
      ['dingtalk', 'pending', null, null],
      ['wecom', 'pending', null, null],
    ])
    for (const r of rows) {
      expect(r.body_text).toContain('王督办退回了李四提交核验的任务「完善政策解读」')
      expect(r.body_text).toContain('缺少佐证材料')
      expect(r.body_text).toContain(`查看任务：${APP}/tasks/${taskId}`)
    }

    // Recording the event's messages again (a retried step) queues nothing more.
    const event = await t.db
      .selectFrom('task_events')
      .select('id')
      .where('task_id', '=', taskId)
      .where('type', '=', 'return')
      .executeTakeFirstOrThrow()
    await recordEventNotices(t.db, taskId, { id: event.id, type: 'return', actorId: sup.id, note: '缺少佐证材料' }, nowIso())
    expect(await robotRows()).toHaveLength(2)

    expect(await deliver()).toMatchObject({ sent: 0, retried: 2 }) // 502
    expect(await deliver()).toMatchObject({ sent: 0, retried: 2 }) // errcode 130101 "send too fast"
    expect(await deliver()).toMatchObject({ sent: 2, retried: 0, failed: 0 })
    expect((await robotRows()).map(r => [r.channel, r.status, r.attempts])).toEqual([
      ['dingtalk', 'sent', 3],
      ['wecom', 'sent', 3],
    ])
    expect(await deliver()).toMatchObject({ sent: 0, retried: 0, failed: 0 })

    const ding = robots.received.filter(r => r.path === '/robot/send')
    const wecom = robots.received.filter(r => r.path === '/cgi-bin/webhook/send')
    expect(ding).toHaveLength(3)
    expect(wecom).toHaveLength(3)
    expect(robots.received.filter(r => r.path === '/other')).toEqual([])
    for (const r of ding) {
      // Each attempt is signed afresh with its own timestamp, as DingTalk checks it within an hour.
      const ts = r.query.get('timestamp')!
      expect(r.query.get('access_token')).toBe('dd')
      expect(r.query.get('sign')).toBe(createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64'))
      expect(Math.abs(Date.now() - Number(ts))).toBeLessThan(60_000)
      expect(r.body).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('【整改跟踪】任务被退回：完善政策解读') } })
    }
    for (const r of wecom) {
      expect(r.query.get('key')).toBe('wx')
      expect(r.query.has('sign')).toBe(false)
      expect(r.body.text.content).toContain(`${APP}/tasks/${taskId}`)
    }
  })

  it('a refused move queues nothing; a stopped robot hears nothing; a bad signature is not retried', async () => {
    await expect(transitionTask(t.db, staff, taskId, { action: 'submit' })).rejects.toThrow() // already pending review
    expect(await robotRows()).toEqual([])
    await t.db.updateTable('unit_webhooks').set({ active: 0 }).where('kind', '=', 'wecom').execute()
    await transitionTask(t.db, sup, taskId, { action: 'verify' })
    const rows = await robotRows()
    expect(rows.map(r => r.channel)).toEqual(['dingtalk'])
    expect(rows[0].body_text).toContain('王督办核验了任务「完善政策解读」，任务已销号。')
    // The group's robot was given another secret meanwhile: DingTalk refuses the signature, for good.
    const badSign = http.createServer((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"errcode":310000,"errmsg":"sign not match"}'),
    )
    await new Promise<void>(r => badSign.listen(0, '127.0.0.1', r))
    await t.db
      .updateTable('unit_webhooks')
      .set({ url: `http://127.0.0.1:${(badSign.address() as AddressInfo).port}/robot/send?access_token=dd` })
      .where('kind', '=', 'dingtalk')
      .execute()
    try {
      expect(await deliver()).toMatchObject({ sent: 0, failed: 1 })
      const [failed] = await robotRows()
      expect(failed).toMatchObject({ status: 'failed', attempts: 1 })
      expect(failed.last_error).toContain('310000')
      // the admin's operations page names the robot and its unit
      expect((await listFailedEmails(t.db)).map(e => e.to_address)).toEqual(['钉钉群机器人（市教育局）'])
    } finally {
      await new Promise<void>(r => badSign.close(() => r()))
    }
  })
})
