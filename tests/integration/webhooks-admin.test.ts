// The 群机器人 admin page against a local fake robot: only the admin sees or changes robots; the
// URL's credential and the secret never come back in full; a test message is posted at once,
// signed for DingTalk; stop, resume, and delete only after the confirmation step.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request, sessionCookieFor, statusOf, useFreshAppDatabase } from '../support/app'

const dir = useFreshAppDatabase()
type Fn = (a: any) => Promise<any>
let route: { loader: Fn; action: Fn }
let db: (typeof import('../../app/db.server'))['db']
let cookies: Record<string, string>
let unitId: string
const received: { path: string; query: URLSearchParams; text: string }[] = []
let answer = '{"errcode":0,"errmsg":"ok"}'
let server: http.Server
let base: string
const TOKEN = 'a1b2c3d4e5f6a7b8c9d0secrettoken'
const SECRET = 'SEC0123456789abcdefsecret'

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = ''
    req.on('data', c => (data += c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x')
      received.push({ path: url.pathname, query: url.searchParams, text: JSON.parse(data).text.content })
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(answer)
    })
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  db = (await import('../../app/db.server')).db
  const { migrateToLatest } = await import('../../db/db')
  const { seedDemo } = await import('../../app/org/demo.server')
  await migrateToLatest(db)
  await seedDemo(db, { password: 'demo-pass-1', fixturesDir: `${dir}/none` })
  cookies = {}
  for (const u of await db.selectFrom('users').select(['id', 'username']).execute()) cookies[u.username] = await sessionCookieFor(u.id)
  unitId = (await db.selectFrom('units').select('id').where('name', '=', '示范市教育局').executeTakeFirstOrThrow()).id
  route = await import('../../app/routes/_app.admin.webhooks')
})
afterAll(() => new Promise<void>(r => server.close(() => r())))

const post = async (user: string, form: Record<string, string>) => {
  try {
    const r = await route.action({ request: request('/admin/webhooks', { cookie: cookies[user], form }), params: {}, context: {} })
    return { status: r.status as number, body: await r.json() }
  } catch (e) {
    if (e instanceof Response) return { status: e.status, body: null }
    throw e
  }
}
const robots = () => db.selectFrom('unit_webhooks').selectAll().orderBy('created_at').execute()

describe('群机器人 admin page', () => {
  it('refuses everyone but the admin, in the loader and every action, and changes nothing', async () => {
    const { addUnitWebhook } = await import('../../app/notify/webhook.server')
    const { id } = await addUnitWebhook(db, { unitId, kind: 'wecom', url: `${base}/cgi-bin/webhook/send?key=existing-key-0001` })
    const before = JSON.stringify(await robots())
    for (const user of ['supervisor', 'staff', 'oversight']) {
      expect(
        await statusOf(() => route.loader({ request: request('/admin/webhooks', { cookie: cookies[user] }), params: {}, context: {} })),
      ).toBe(403)
      for (const form of <Record<string, string>[]>[
        { intent: 'add', unitId, kind: 'wecom', url: `${base}/x?key=k` },
        { intent: 'test', robotId: id },
        { intent: 'disable', robotId: id },
        { intent: 'delete', robotId: id, confirmed: 'yes' },
      ]) {
        expect((await post(user, form)).status, `${user} ${form.intent}`).toBe(403)
      }
    }
    expect(JSON.stringify(await robots())).toBe(before)
    expect(received).toHaveLength(0)
    expect((await post('admin', { intent: 'delete', robotId: id, confirmed: 'yes' })).status).toBe(200)
  })

  it('adds a signed DingTalk robot, shows it masked, test-sends a signed message, stops, resumes and deletes it after confirmation', async () => {
    // a wrong setting is refused in Chinese
    const bad = await post('admin', { intent: 'add', unitId, kind: 'dingtalk', url: `${base}/robot/send` })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/access_token/)
    expect(
      (await post('admin', { intent: 'add', unitId, kind: 'dingtalk', url: `${base}/robot/send?access_token=${TOKEN}`, secret: 'nope' }))
        .body.error,
    ).toMatch(/SEC/)
    expect(await robots()).toHaveLength(0)

    const added = await post('admin', {
      intent: 'add',
      unitId,
      kind: 'dingtalk',
      url: `${base}/robot/send?access_token=${TOKEN}`,
      secret: SECRET,
    })
    expect(added.status).toBe(200)
    const [robot] = await robots()
    expect(robot).toMatchObject({ unit_id: unitId, kind: 'dingtalk', secret: SECRET, active: 1 })

    const page = await route.loader({ request: request('/admin/webhooks', { cookie: cookies.admin }), params: {}, context: {} })
    const text = await page.text()
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain(SECRET)
    expect(JSON.parse(text).robots[0]).toMatchObject({
      id: robot.id,
      unit_name: '示范市教育局',
      url: `${base}/robot/send?access_token=…oken`,
      secret: 'SEC…cret',
      signed: true,
      active: 1,
    })

    const tested = await post('admin', { intent: 'test', robotId: robot.id })
    expect(tested.status).toBe(200)
    expect(tested.body.ok).toMatch(/测试消息已发送/)
    expect(received).toHaveLength(1)
    expect(received[0].query.get('access_token')).toBe(TOKEN)
    expect(received[0].query.get('sign')).toBeTruthy()
    expect(received[0].text).toMatch(/^【整改跟踪】测试消息/)
    // a robot that refuses says why
    answer = '{"errcode":310000,"errmsg":"sign not match"}'
    const refused = await post('admin', { intent: 'test', robotId: robot.id })
    expect(refused.status).toBe(502)
    expect(refused.body.error).toMatch(/测试消息未能发送.*310000/)
    answer = '{"errcode":0,"errmsg":"ok"}'

    expect((await post('admin', { intent: 'disable', robotId: robot.id })).status).toBe(200)
    expect((await robots())[0].active).toBe(0)
    expect((await post('admin', { intent: 'test', robotId: robot.id })).body.error).toMatch(/已停用/)
    expect(received).toHaveLength(2)
    expect((await post('admin', { intent: 'enable', robotId: robot.id })).status).toBe(200)
    expect((await robots())[0].active).toBe(1)

    // a queued message for it is failed with the robot; the robot goes only after the confirmation
    const { queueRobotMessages } = await import('../../app/notify/webhook.server')
    await queueRobotMessages(
      db,
      unitId,
      { title: '测试', body: '正文', link: '/tasks', dedupeKey: 'admin-test' },
      { now: new Date().toISOString(), baseUrl: 'http://localhost:3000' },
    )
    expect((await post('admin', { intent: 'delete', robotId: robot.id })).status).toBe(400)
    expect(await robots()).toHaveLength(1)
    expect((await post('admin', { intent: 'delete', robotId: robot.id, confirmed: 'yes' })).status).toBe(200)
    expect(await robots()).toHaveLength(0)
    expect(
      await db.selectFrom('email_outbox').select(['status', 'last_error']).where('dedupe_key', 'like', 'admin-test%').execute(),
    ).toEqual([{ status: 'failed', last_error: '群机器人已删除。' }])
    expect((await post('admin', { intent: 'test', robotId: robot.id })).status).toBe(404)
  })
})
