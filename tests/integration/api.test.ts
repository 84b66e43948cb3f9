// The JSON API through its route modules, authenticated with real Bearer tokens, on SQLite:
// upload → process → review → confirm with owners → progress → submit → verify → stats, and every
// refusal (400, 401, 403, 404, 405, 409, 413) answering `{"error"}` and changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useFreshAppDatabase } from '../support/app'
import { deletePrefix } from '../support/redis'

const dir = useFreshAppDatabase()
process.env.MAX_UPLOAD_BYTES = String(64 * 1024)
process.env.QUEUE_PREFIX = `fttest-api-${process.pid}`

type Mod = { loader: (a: any) => Promise<Response>; action: (a: any) => Promise<Response> }
let db: (typeof import('../../app/db.server'))['db']
let tokens: Record<string, string>
let userIds: Record<string, string>
let unitIds: Record<string, string>
const r: Record<string, Mod> = {}

const REPORT = `示范市教育局2023年政府信息公开工作年度报告

本报告由示范市教育局根据《中华人民共和国政府信息公开条例》要求编制。

一、总体情况
2023年，我局认真贯彻落实政务公开工作要求。

六、存在的主要问题及改进情况
（一）存在的主要问题
一是信息发布不够及时，部分栏目更新滞后。二是政策解读形式单一，群众关注的热点回应不够。
（二）改进措施
一是加强栏目日常维护，确保信息及时更新。二是丰富政策解读形式，推出图解、视频等解读产品。

七、其他需要报告的事项
无。
`

beforeAll(async () => {
  db = (await import('../../app/db.server')).db
  const { migrateToLatest } = await import('../../db/db')
  const { seedDemo } = await import('../../app/org/demo.server')
  const { createUnit, createUser } = await import('../../app/org/org.server')
  const { createApiToken } = await import('../../app/auth/tokens.server')
  await migrateToLatest(db)
  await seedDemo(db, { password: 'demo-pass-1', fixturesDir: `${dir}/no-fixtures` })
  const otherRoot = await createUnit(db, { name: '邻市政务公开办' })
  await createUser(db, { username: 'othersup', displayName: '邻市督办', password: 'password-1', role: 'supervisor', unitId: otherRoot.id })
  const users = await db.selectFrom('users').select(['id', 'username']).execute()
  tokens = {}
  userIds = {}
  for (const u of users) {
    userIds[u.username] = u.id
    tokens[u.username] = (await createApiToken(db, u.id, 'test')).token
  }
  unitIds = Object.fromEntries((await db.selectFrom('units').select(['id', 'name']).execute()).map(u => [u.name, u.id]))
  for (const name of [
    'reports',
    'reports.$reportId',
    'reports.$reportId.confirm',
    'tasks',
    'tasks.$taskId',
    'tasks.$taskId.updates',
    'tasks.$taskId.transitions',
    'users',
    'units',
    'notifications',
    'stats',
  ]) {
    r[name] = await import(`../../app/routes/api.v1.${name}.ts`)
  }
})

afterAll(() => deletePrefix(process.env.QUEUE_PREFIX!))

interface CallOpts {
  as?: string | null
  token?: string
  json?: unknown
  raw?: string
  body?: BodyInit
  params?: Record<string, string>
  query?: string
}
async function call(route: string, method: string, opts: CallOpts = {}) {
  const headers = new Headers()
  const token = opts.token ?? (opts.as ? tokens[opts.as] : undefined)
  if (token) headers.set('Authorization', `Bearer ${token}`)
  let body: BodyInit | undefined = opts.body
  if (opts.json !== undefined || opts.raw !== undefined) {
    body = opts.raw ?? JSON.stringify(opts.json)
    headers.set('Content-Type', 'application/json')
  }
  const path = `/api/v1/${route.replace(/\$(\w+)/g, (_, k) => opts.params?.[k] ?? k)}${opts.query ? `?${opts.query}` : ''}`
  const request = new Request(`http://localhost${path}`, { method, headers, body })
  const mod = r[route]
  const res = await (method === 'GET' ? mod.loader : mod.action)({ request, params: opts.params ?? {}, context: {} })
  expect(res.headers.get('Content-Type')).toMatch(/application\/json/)
  return { status: res.status, body: (await res.json()) as any, headers: res.headers }
}

const count = async (table: 'tasks' | 'task_events' | 'reports') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
async function snapshot() {
  const [tasks, events, reports] = await Promise.all([
    db.selectFrom('tasks').selectAll().orderBy('id').execute(),
    db.selectFrom('task_events').selectAll().orderBy('id').execute(),
    db.selectFrom('reports').select(['id', 'status', 'updated_at']).orderBy('id').execute(),
  ])
  return JSON.stringify({ tasks, events, reports })
}

describe('API happy path', () => {
  let reportId: string
  let items: any[]
  let tasks: any[]

  it('uploads pasted text (202), recognises the same text again (200, duplicate)', async () => {
    const res = await call('reports', 'POST', { as: 'supervisor', json: { filename: '教育局2023年报.txt', text: REPORT } })
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ id: expect.any(String), status: 'queued' })
    reportId = res.body.id
    const row = await db.selectFrom('reports').select(['filename', 'text', 'unit_id']).where('id', '=', reportId).executeTakeFirstOrThrow()
    expect(row.filename).toBe('教育局2023年报.txt')
    expect(row.unit_id).toBe(unitIds['示范市人民政府办公室（政务公开办）'])
    const again = await call('reports', 'POST', { as: 'admin', json: { filename: 'again.txt', text: REPORT } })
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ id: reportId, duplicate: true })
    expect(await count('reports')).toBe(1)
  })

  it('shows the report queued, then its items once processed', async () => {
    const queued = await call('reports.$reportId', 'GET', { as: 'supervisor', params: { reportId } })
    expect(queued.body).toMatchObject({ id: reportId, status: 'queued', items: [] })
    const { processReport } = await import('../../app/reports/reports.server')
    expect(await processReport(db, reportId)).toBe('extracted')
    const res = await call('reports.$reportId', 'GET', { as: 'supervisor', params: { reportId } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: reportId, status: 'extracted', year: 2023 })
    expect(res.body.agency).toContain('教育局')
    items = res.body.items
    expect(items.map((i: any) => i.kind)).toEqual(['problem', 'problem', 'plan', 'plan'])
    const { text } = await db.selectFrom('reports').select('text').where('id', '=', reportId).executeTakeFirstOrThrow()
    for (const i of items) {
      expect(Object.keys(i)).toEqual(expect.arrayContaining(['id', 'kind', 'title', 'text', 'start', 'end']))
      expect(i.end).toBeGreaterThan(i.start)
      expect(text!.slice(i.start, i.end)).toContain(i.title.slice(0, 6))
    }
    const list = await call('reports', 'GET', { as: 'oversight' })
    expect(list.body.reports.map((x: any) => x.id)).toEqual([reportId])
  })

  it('refuses a confirmation with a bad owner (400 with the field) and confirms nothing', async () => {
    const before = await snapshot()
    const res = await call('reports.$reportId.confirm', 'POST', {
      as: 'supervisor',
      params: { reportId },
      json: { items: [{ id: items[0].id, ownerId: userIds.othersup }, { id: 'not-an-item' }] },
    })
    expect(res.status).toBe(400)
    expect(Object.keys(res.body.fields).sort()).toEqual(['items.0.ownerId', 'items.1.id'])
    expect(await snapshot()).toBe(before)
  })

  it('confirms with per-item owner, deadline and priority; confirming again creates nothing new', async () => {
    const body = {
      items: [
        { id: items[0].id, ownerId: userIds.staff, dueDate: '2030-06-30', priority: 'high' },
        { id: items[1].id, dueDate: '2030-12-31' },
        { id: items[2].id, unitId: unitIds['示范市教育局'], dueDate: '2030-12-31' },
        { id: items[3].id, dueDate: '2030-12-31' },
      ],
    }
    const res = await call('reports.$reportId.confirm', 'POST', { as: 'supervisor', params: { reportId }, json: body })
    expect(res.status).toBe(200)
    tasks = res.body.tasks
    expect(res.body.created).toBe(4)
    expect(tasks.map((t: any) => t.itemId)).toEqual(items.map((i: any) => i.id))
    expect(tasks[0]).toMatchObject({ status: 'in_progress', ownerId: userIds.staff, dueDate: '2030-06-30', priority: 'high' })
    expect(tasks[1]).toMatchObject({ status: 'unassigned', ownerId: null, priority: 'normal' })
    expect(tasks[2]).toMatchObject({ status: 'unassigned', unitId: unitIds['示范市教育局'] })
    const events = await count('task_events')
    const again = await call('reports.$reportId.confirm', 'POST', { as: 'supervisor', params: { reportId }, json: body })
    expect(again.status).toBe(200)
    expect(again.body.created).toBe(0)
    expect(again.body.tasks).toEqual(tasks)
    const bare = await call('reports.$reportId.confirm', 'POST', { as: 'supervisor', params: { reportId } })
    expect(bare.body.tasks.map((t: any) => t.id)).toEqual(tasks.map((t: any) => t.id))
    expect(await count('tasks')).toBe(4)
    expect(await count('task_events')).toBe(events)
  })

  it('lists and filters tasks', async () => {
    const mine = await call('tasks', 'GET', { as: 'staff', query: `ownerId=${userIds.staff}` })
    expect(mine.status).toBe(200)
    expect(mine.body.tasks.map((t: any) => t.id)).toEqual([tasks[0].id])
    expect(mine.body.tasks[0]).toMatchObject({
      title: items[0].title,
      unitName: '示范市人民政府办公室（政务公开办）',
      ownerName: '李责任',
      year: 2023,
      overdueDays: null,
    })
    const open = await call('tasks', 'GET', { as: 'supervisor', query: `status=unassigned,in_progress&reportId=${reportId}&year=2023` })
    expect(open.body.tasks).toHaveLength(4)
    const unassigned = await call('tasks', 'GET', { as: 'supervisor', query: 'status=unassigned' })
    expect(unassigned.body.tasks).toHaveLength(3)
    const page = await call('tasks', 'GET', { as: 'supervisor', query: 'limit=2&offset=1' })
    expect(page.body).toMatchObject({ limit: 2, offset: 1 })
    expect(page.body.tasks).toHaveLength(2)
    const byUnit = await call('tasks', 'GET', { as: 'supervisor', query: `unitId=${unitIds['示范市教育局']}` })
    expect(byUnit.body.tasks.map((t: any) => t.id)).toEqual([tasks[2].id])
    // staff sees what they own (and their own unit's work), nothing of the education bureau
    const staffAll = await call('tasks', 'GET', { as: 'staff' })
    expect(staffAll.body.tasks.map((t: any) => t.id)).toEqual([tasks[0].id])
    const other = await call('tasks', 'GET', { as: 'othersup' })
    expect(other.body.tasks).toEqual([])
  })

  it('staff posts progress and submits; the supervisor verifies; the timeline shows every step', async () => {
    const id = tasks[0].id
    const progress = await call('tasks.$taskId.updates', 'POST', {
      as: 'staff',
      params: { taskId: id },
      json: { progress: 60, note: '已完成栏目改版' },
    })
    expect(progress.status).toBe(201)
    expect(progress.body).toEqual({ taskId: id, progress: 60 })
    const submit = await call('tasks.$taskId.transitions', 'POST', { as: 'staff', params: { taskId: id }, json: { action: 'submit' } })
    expect(submit.status).toBe(200)
    expect(submit.body).toEqual({ id, status: 'pending_review' })
    const verify = await call('tasks.$taskId.transitions', 'POST', { as: 'supervisor', params: { taskId: id }, json: { action: 'verify' } })
    expect(verify.body).toEqual({ id, status: 'closed' })
    const detail = await call('tasks.$taskId', 'GET', { as: 'staff', params: { taskId: id } })
    expect(detail.status).toBe(200)
    expect(detail.body).toMatchObject({ id, status: 'closed', progress: 100, ownerId: userIds.staff, evidence: [], extensions: [] })
    expect(detail.body.closedAt).toEqual(expect.any(String))
    expect(detail.body.events.map((e: any) => e.type)).toEqual(['created', 'deadline_changed', 'assign', 'progress', 'submit', 'verify'])
    expect(detail.body.events[3]).toMatchObject({
      actor: '李责任',
      note: '已完成栏目改版',
      before: { progress: 0 },
      after: { progress: 60 },
    })
  })

  it('edits a task with PATCH and reports the figures that were set up', async () => {
    const patched = await call('tasks.$taskId', 'PATCH', {
      as: 'supervisor',
      params: { taskId: tasks[1].id },
      json: { dueDate: '2020-01-31', title: '信息发布不及时（已改标题）', priority: 'low' },
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ title: '信息发布不及时（已改标题）', dueDate: '2020-01-31', priority: 'low' })
    expect(patched.body.overdueDays).toBeGreaterThan(365)
    const cancel = await call('tasks.$taskId.transitions', 'POST', {
      as: 'supervisor',
      params: { taskId: tasks[3].id },
      json: { action: 'cancel', reason: '与第3项重复' },
    })
    expect(cancel.body.status).toBe('cancelled')
    const overdue = await call('tasks', 'GET', { as: 'oversight', query: 'overdue=true' })
    expect(overdue.body.tasks.map((t: any) => t.id)).toEqual([tasks[1].id])
    const notOverdue = await call('tasks', 'GET', { as: 'oversight', query: 'overdue=false' })
    expect(notOverdue.body.tasks).toHaveLength(3)

    const stats = await call('stats', 'GET', { as: 'oversight', query: 'year=2023' })
    expect(stats.status).toBe(200)
    expect(stats.body).toEqual({
      total: 4,
      byStatus: { unassigned: 2, in_progress: 0, pending_review: 0, closed: 1, ongoing: 0, cancelled: 1 },
      overdue: 1,
      completionRate: 0.3333,
    })
    expect((await call('stats', 'GET', { as: 'oversight', query: 'year=2019' })).body).toMatchObject({ total: 0, completionRate: null })
    expect((await call('stats', 'GET', { as: 'supervisor', query: `unitId=${unitIds['示范市教育局']}` })).body).toMatchObject({
      total: 1,
      byStatus: { unassigned: 1 },
    })
    expect((await call('stats', 'GET', { as: 'admin', query: 'agency=教育局' })).body.total).toBe(4)
    expect((await call('stats', 'GET', { as: 'othersup' })).body.total).toBe(0)
  })

  it('lists users, units and the caller’s own notifications in scope', async () => {
    const { newId, nowIso } = await import('../../db/ids')
    await db
      .insertInto('notifications')
      .values({
        id: newId(),
        user_id: userIds.staff,
        task_id: tasks[0].id,
        kind: 'due_soon',
        title: '任务即将到期',
        body: '还剩 7 天',
        dedupe_key: `k-${newId()}`,
        read_at: null,
        created_at: nowIso(),
      })
      .execute()
    // Besides the workflow's own notices (assigned, closed), the reminder written for the staff.
    const staffNotices = (await call('notifications', 'GET', { as: 'staff' })).body.notifications
    expect(staffNotices.filter((n: any) => n.kind === 'due_soon')).toMatchObject([
      { taskId: tasks[0].id, kind: 'due_soon', title: '任务即将到期', readAt: null },
    ])
    expect(staffNotices.filter((n: any) => !['due_soon', 'assigned', 'closed', 'returned'].includes(n.kind))).toEqual([])
    // The supervisor hears of the staff's submissions (workflow notices), never of the staff's own reminders.
    const supNotices = (await call('notifications', 'GET', { as: 'supervisor' })).body.notifications
    expect(supNotices.length).toBeGreaterThan(0)
    expect(supNotices.filter((n: any) => !['submitted', 'extension_requested'].includes(n.kind))).toEqual([])
    const staffUsers = await call('users', 'GET', { as: 'staff' })
    expect(staffUsers.body.users.map((u: any) => u.username)).toEqual(['staff'])
    const supUsers = await call('users', 'GET', { as: 'supervisor' })
    expect(supUsers.body.users.map((u: any) => u.username).sort()).toEqual(['admin', 'oversight', 'staff', 'supervisor'])
    expect(supUsers.body.users[0]).not.toHaveProperty('password_hash')
    expect((await call('users', 'GET', { as: 'admin' })).body.users).toHaveLength(5)
    const units = await call('units', 'GET', { as: 'othersup' })
    expect(units.body.units.map((u: any) => u.name)).toEqual(['邻市政务公开办'])
    expect((await call('units', 'GET', { as: 'staff' })).body.units.map((u: any) => u.name)).toEqual(['示范市发展和改革委员会', '综合科'])
  })

  it('uploads a multipart file (202) and refuses a multipart request without a file (400)', async () => {
    const form = new FormData()
    form.append('file', new File([new TextEncoder().encode(REPORT.replace('2023', '2024'))], '教育局2024.txt'))
    const res = await call('reports', 'POST', { as: 'supervisor', body: form })
    expect(res.status).toBe(202)
    const empty = new FormData()
    empty.append('text', 'x')
    const none = await call('reports', 'POST', { as: 'supervisor', body: empty })
    expect(none.status).toBe(400)
    expect(none.body.error).toMatch(/file/)
  })
})

describe('API refusals', () => {
  let taskId: string
  let otherTaskId: string
  beforeAll(async () => {
    const tasks = await db
      .selectFrom('tasks')
      .innerJoin('units', 'units.id', 'tasks.unit_id')
      .select(['tasks.id', 'tasks.status', 'units.name'])
      .execute()
    taskId = tasks.find(t => t.status === 'unassigned' && t.name !== '示范市教育局')!.id
    otherTaskId = tasks.find(t => t.name === '示范市教育局')!.id
  })

  it('401 without a token, with a malformed, unknown or revoked token, and for an inactive user', async () => {
    const { createApiToken, revokeApiToken } = await import('../../app/auth/tokens.server')
    expect((await call('tasks', 'GET')).status).toBe(401)
    expect((await call('tasks', 'GET', { token: 'not a token' })).status).toBe(401)
    expect((await call('tasks', 'GET', { token: `ft_${'A'.repeat(43)}` })).status).toBe(401)
    const t = await createApiToken(db, userIds.supervisor, 'to revoke')
    expect((await call('tasks', 'GET', { token: t.token })).status).toBe(200)
    expect(await revokeApiToken(db, userIds.staff, t.id)).toBe(false) // not staff's token
    expect(await revokeApiToken(db, userIds.supervisor, t.id)).toBe(true)
    const revoked = await call('tasks', 'GET', { token: t.token })
    expect(revoked.status).toBe(401)
    expect(revoked.body.error).toMatch(/令牌/)
    // the session cookie is not an API credential
    const { sessionCookieFor } = await import('../support/app')
    const cookie = await sessionCookieFor(userIds.supervisor)
    const res = await r.tasks.loader({
      request: new Request('http://localhost/api/v1/tasks', { headers: { Cookie: cookie } }),
      params: {},
      context: {},
    })
    expect(res.status).toBe(401)
    const gone = await createApiToken(db, userIds.oversight, 'inactive')
    await db.updateTable('users').set({ active: 0 }).where('id', '=', userIds.oversight).execute()
    expect((await call('tasks', 'GET', { token: gone.token })).status).toBe(401)
    await db.updateTable('users').set({ active: 1 }).where('id', '=', userIds.oversight).execute()
    expect((await call('tasks', 'GET', { token: gone.token })).status).toBe(200)
  })

  it('records when a token was last used, at most once a minute', async () => {
    const { createApiToken, hashToken } = await import('../../app/auth/tokens.server')
    const t = await createApiToken(db, userIds.staff, 'usage')
    const lastUsed = async () =>
      (await db.selectFrom('api_tokens').select('last_used_at').where('token_hash', '=', hashToken(t.token)).executeTakeFirstOrThrow())
        .last_used_at
    expect(await lastUsed()).toBeNull()
    await call('units', 'GET', { token: t.token })
    const first = await lastUsed()
    expect(first).toEqual(expect.any(String))
    await new Promise(res => setTimeout(res, 5))
    await call('units', 'GET', { token: t.token })
    expect(await lastUsed()).toBe(first)
  })

  it('400 for invalid JSON and invalid fields, with the fields named', async () => {
    const before = await snapshot()
    const bad = await call('reports', 'POST', { as: 'supervisor', raw: '{"filename": "x.txt", "text": ' })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/JSON/)
    const noText = await call('reports', 'POST', { as: 'supervisor', json: { filename: 'x.txt' } })
    expect(noText.status).toBe(400)
    expect(noText.body.fields).toHaveProperty('text')
    const blank = await call('reports', 'POST', { as: 'supervisor', json: { text: '   ' } })
    expect(blank.status).toBe(400)
    const patch = await call('tasks.$taskId', 'PATCH', {
      as: 'supervisor',
      params: { taskId },
      json: { priority: 'urgent', dueDate: '31.12.2030', colour: 'red' },
    })
    expect(patch.status).toBe(400)
    expect(Object.keys(patch.body.fields).sort()).toEqual(['_', 'dueDate', 'priority'])
    expect((await call('tasks.$taskId', 'PATCH', { as: 'supervisor', params: { taskId }, json: {} })).status).toBe(400)
    const action = await call('tasks.$taskId.transitions', 'POST', { as: 'supervisor', params: { taskId }, json: { action: 'fly' } })
    expect(action.status).toBe(400)
    expect(action.body.fields.action[0]).toMatch(/assign/)
    const progress = await call('tasks.$taskId.updates', 'POST', { as: 'supervisor', params: { taskId }, json: { progress: 150 } })
    expect(progress.body.fields).toHaveProperty('progress')
    expect((await call('tasks', 'GET', { as: 'supervisor', query: 'status=done' })).status).toBe(400)
    expect((await call('tasks', 'GET', { as: 'supervisor', query: 'overdue=yes' })).status).toBe(400)
    expect((await call('stats', 'GET', { as: 'supervisor', query: 'year=abc' })).status).toBe(400)
    // cancel without a reason: the status machine asks for one
    const cancel = await call('tasks.$taskId.transitions', 'POST', { as: 'supervisor', params: { taskId }, json: { action: 'cancel' } })
    expect(cancel.status).toBe(400)
    expect(cancel.body.error).toMatch(/原因/)
    expect(await snapshot()).toBe(before)
  })

  it('403 when oversight (or staff) tries to write, and nothing changes', async () => {
    const before = await snapshot()
    const reports = await count('reports')
    const reportId = (await db.selectFrom('reports').select('id').where('status', '=', 'extracted').executeTakeFirst())?.id ?? 'x'
    const attempts: Array<[string, string, CallOpts]> = [
      ['reports', 'POST', { json: { filename: 'ov.txt', text: `${REPORT}监督方` } }],
      ['reports.$reportId.confirm', 'POST', { params: { reportId } }],
      ['tasks.$taskId', 'PATCH', { params: { taskId }, json: { priority: 'high' } }],
      ['tasks.$taskId.updates', 'POST', { params: { taskId }, json: { progress: 10, note: 'x' } }],
      ['tasks.$taskId.transitions', 'POST', { params: { taskId }, json: { action: 'assign', ownerId: userIds.staff } }],
    ]
    for (const [route, method, opts] of attempts) {
      const res = await call(route, method, { ...opts, as: 'oversight' })
      expect(res.status, `${method} ${route}`).toBe(403)
      expect(res.body.error).toMatch(/权限/)
    }
    expect((await call('tasks.$taskId', 'PATCH', { as: 'staff', params: { taskId }, json: { priority: 'high' } })).status).toBe(403)
    expect((await call('reports', 'POST', { as: 'staff', json: { text: `${REPORT}责任人` } })).status).toBe(403)
    expect(await snapshot()).toBe(before)
    expect(await count('reports')).toBe(reports)
  })

  it('404 for a task of another unit tree (or another unit, for staff), read or write', async () => {
    const before = await snapshot()
    for (const [route, method, json] of [
      ['tasks.$taskId', 'GET', undefined],
      ['tasks.$taskId', 'PATCH', { priority: 'high' }],
      ['tasks.$taskId.updates', 'POST', { progress: 10 }],
      ['tasks.$taskId.transitions', 'POST', { action: 'assign', ownerId: userIds.othersup }],
    ] as const) {
      const res = await call(route, method, { as: 'othersup', params: { taskId }, json })
      expect(res.status, `${method} ${route}`).toBe(404)
      expect(res.body.error).toMatch(/找不到/)
    }
    expect((await call('tasks.$taskId', 'GET', { as: 'staff', params: { taskId: otherTaskId } })).status).toBe(404)
    expect((await call('tasks.$taskId', 'GET', { as: 'supervisor', params: { taskId: 'no-such-task' } })).status).toBe(404)
    const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id
    expect((await call('reports.$reportId', 'GET', { as: 'othersup', params: { reportId } })).status).toBe(404)
    expect((await call('reports.$reportId.confirm', 'POST', { as: 'othersup', params: { reportId } })).status).toBe(404)
    expect(await snapshot()).toBe(before)
  })

  it('409 for a move the status does not allow, and for confirming a report not yet extracted', async () => {
    const before = await snapshot()
    const verify = await call('tasks.$taskId.transitions', 'POST', { as: 'supervisor', params: { taskId }, json: { action: 'verify' } })
    expect(verify.status).toBe(409)
    expect(verify.body.error).toMatch(/不能/)
    const closed = (await db.selectFrom('tasks').select('id').where('status', '=', 'closed').executeTakeFirstOrThrow()).id
    expect(
      (await call('tasks.$taskId.updates', 'POST', { as: 'supervisor', params: { taskId: closed }, json: { progress: 10 } })).status,
    ).toBe(409)
    expect(
      (await call('tasks.$taskId', 'PATCH', { as: 'supervisor', params: { taskId: closed }, json: { priority: 'high' } })).status,
    ).toBe(409)
    const queued = (await db.selectFrom('reports').select('id').where('status', '=', 'queued').executeTakeFirstOrThrow()).id
    expect((await call('reports.$reportId.confirm', 'POST', { as: 'supervisor', params: { reportId: queued } })).status).toBe(409)
    expect(await snapshot()).toBe(before)
  })

  it('413 for a report over the size limit, as JSON or as a file, storing nothing', async () => {
    const reports = await count('reports')
    const big = '某'.repeat(30 * 1024) // 90 KB of UTF-8, over the 64 KB limit
    const json = await call('reports', 'POST', { as: 'supervisor', json: { filename: 'big.txt', text: big } })
    expect(json.status).toBe(413)
    expect(json.body.error).toMatch(/过大|大小上限/)
    const huge = await call('reports', 'POST', { as: 'supervisor', json: { text: 'x'.repeat(300 * 1024) } })
    expect(huge.status).toBe(413)
    const form = new FormData()
    form.append('file', new File([new Uint8Array(70 * 1024).fill(0x41)], 'big.txt'))
    const file = await call('reports', 'POST', { as: 'supervisor', body: form })
    expect(file.status).toBe(413)
    expect(await count('reports')).toBe(reports)
  })

  it('405 JSON for a method an endpoint does not have', async () => {
    const del = await call('tasks.$taskId', 'DELETE', { as: 'admin', params: { taskId } })
    expect(del.status).toBe(405)
    expect(del.headers.get('Allow')).toBe('GET, PATCH')
    expect((await call('tasks.$taskId.transitions', 'GET', { as: 'admin', params: { taskId } })).status).toBe(405)
    expect((await call('stats', 'POST', { as: 'admin', json: {} })).status).toBe(405)
  })

  it('500 with a generic message for an unexpected error', async () => {
    const { errorResponse } = await import('../../app/api/respond.server')
    const spy = console.error
    console.error = () => {}
    const res = await errorResponse(new Error('database exploded'))
    console.error = spy
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ error: '服务器内部错误' })
  })
})
