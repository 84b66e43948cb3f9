// The permission matrix: every API endpoint and every page loader/action in app/routes (found by
// reading the directory, so routes added later are covered too), called as admin, supervisor,
// staff, oversight and a supervisor of another unit tree. Forbidden calls answer 403/404 and leave
// the database exactly as it was; reads never write; nobody sees ids outside their scope.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toastOf, useFreshAppDatabase } from '../support/app'
import { deletePrefix } from '../support/redis'

const dir = useFreshAppDatabase()
process.env.QUEUE_PREFIX = `fttest-matrix-${process.pid}`
const ROUTES_DIR = path.resolve(__dirname, '../../app/routes')

type Actor = 'admin' | 'supervisor' | 'staff' | 'oversight' | 'othersup'
const ACTORS: Actor[] = ['admin', 'supervisor', 'staff', 'oversight', 'othersup']
type Fn = (a: any) => Promise<unknown>
type RouteModule = { loader?: Fn; action?: Fn; default?: unknown }

/** What one unit's work looks like: an unconfirmed report, and tasks in every interesting state. */
interface Target {
  rootPath: string
  unitId: string
  userId: string
  reportId: string
  itemId: string
  otherItemId: string
  unitPath: string
  confirmedReportId: string
  taskId: string // in progress, owned by userId, with evidence and a pending extension
  pendingTaskId: string // submitted for verification
  unassignedTaskId: string
  closedTaskId: string
  evidenceId: string
  extensionId: string
  tokenId: string
  notificationId: string // the owner's
  suggestionId: string // a pending follow-up suggestion: evidence in the open report for a plan of the confirmed one
  agencyId: string // the agency both reports are filed under (oversight pages)
}

let db: (typeof import('../../app/db.server'))['db']
let cookies: Record<string, string>
let tokens: Record<Actor, string>
let ids: Record<string, string>
let targets: { main: Target; edu: Target; other: Target }
let mainIds: string[]
let eduIds: string[]
let sessionUserOf: (username: string) => Promise<import('../../app/auth/session.server').SessionUser>

let seq = 0
async function insertReport(unitId: string, uploadedBy: string, items: number) {
  const { newId, nowIso } = await import('../../db/ids')
  const id = newId()
  const now = nowIso()
  const text = `矩阵测试报告${++seq}。问题一。措施一。问题二。措施二。`
  await db
    .insertInto('reports')
    .values({
      id,
      filename: `m${seq}.txt`,
      format: 'txt',
      size_bytes: text.length,
      sha256: `matrix-${seq}-${id}`,
      encoding: 'UTF-8',
      text,
      status: 'extracted',
      error: null,
      agency_id: null,
      agency_name: '矩阵测试局',
      year: 2024,
      published_at: null,
      title: null,
      unit_id: unitId,
      uploaded_by: uploadedBy,
      created_at: now,
      updated_at: now,
      processed_at: now,
    })
    .execute()
  const itemIds: string[] = []
  for (let i = 0; i < items; i++) {
    const itemId = newId()
    itemIds.push(itemId)
    await db
      .insertInto('report_items')
      .values({
        id: itemId,
        report_id: id,
        seq: i,
        kind: i % 2 ? 'plan' : 'problem',
        title: `条目${i}`,
        text: `条目${i}。`,
        start_offset: i * 4,
        end_offset: i * 4 + 3,
        answers: '[]',
        due_date: null,
        created_at: now,
      })
      .execute()
  }
  return { id, itemIds }
}

/** Built through the real workflow functions, as the app would. */
async function makeTarget(unitName: string, ownerName: string, managerName: string): Promise<Target> {
  const { confirmReport } = await import('../../app/tasks/tasks.server')
  const wf = await import('../../app/tasks/workflow.server')
  const { createApiToken } = await import('../../app/auth/tokens.server')
  const { newId, nowIso } = await import('../../db/ids')
  const owner = await sessionUserOf(ownerName)
  const manager = await sessionUserOf(managerName)
  const unit = await db.selectFrom('units').select(['id', 'path']).where('id', '=', ids[unitName]).executeTakeFirstOrThrow()
  const open = await insertReport(unit.id, manager.id, 2)
  const confirmed = await insertReport(unit.id, manager.id, 4)
  await confirmReport(db, manager, confirmed.id)
  const tasks = (
    await db
      .selectFrom('tasks')
      .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
      .select('tasks.id')
      .where('tasks.report_id', '=', confirmed.id)
      .orderBy('report_items.seq')
      .execute()
  ).map(t => t.id)
  await wf.updateTask(db, manager, tasks[0], { unitId: unit.id, ownerId: owner.id })
  const evidence = await wf.addEvidenceFile(db, owner, tasks[0], { filename: '佐证.txt', bytes: new TextEncoder().encode('佐证材料') })
  const extension = await wf.requestExtension(db, owner, tasks[0], { newDueDate: '2031-01-01', reason: '需要更多时间' })
  await wf.updateTask(db, manager, tasks[1], { unitId: unit.id, ownerId: owner.id })
  await wf.transitionTask(db, owner, tasks[1], { action: 'submit', reason: '已完成' })
  await wf.updateTask(db, manager, tasks[2], { unitId: unit.id })
  await wf.updateTask(db, manager, tasks[3], { unitId: unit.id, ownerId: owner.id })
  await wf.transitionTask(db, owner, tasks[3], { action: 'submit', reason: '已完成' })
  await wf.transitionTask(db, manager, tasks[3], { action: 'verify' })
  const notificationId = newId()
  await db
    .insertInto('notifications')
    .values({
      id: notificationId,
      user_id: owner.id,
      task_id: tasks[0],
      kind: 'due_soon',
      title: '即将到期',
      body: '矩阵',
      dedupe_key: `matrix-${newId()}`,
      read_at: null,
      created_at: nowIso(),
    })
    .execute()
  // Each target gets a token of its own (to try revoking someone else's); made before older targets'
  // are revoked, so the owner stays under the limit of unrevoked tokens however many targets there are.
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: nowIso() })
    .where('user_id', '=', owner.id)
    .where('name', '=', 'matrix-target')
    .execute()
  const token = await createApiToken(db, owner.id, 'matrix-target')
  const suggestionId = newId()
  await db
    .insertInto('followup_suggestions')
    .values({
      id: suggestionId,
      dedupe_key: `matrix-${suggestionId}`,
      kind: 'evidence',
      earlier_report_id: confirmed.id,
      later_report_id: open.id,
      earlier_item_id: confirmed.itemIds[1],
      later_item_id: null,
      passage: '矩阵测',
      start_offset: 0,
      end_offset: 3,
      score: 0.9,
      status: 'pending',
      decided_by: null,
      decided_at: null,
      created_at: nowIso(),
    })
    .execute()
  const agencyId = newId()
  await db
    .insertInto('agencies')
    .values({ id: agencyId, name: `矩阵测试局（${unitName}）`, normalized_name: `matrix-${agencyId}`, unit_id: null, created_at: nowIso() })
    .execute()
  await db.updateTable('reports').set({ agency_id: agencyId }).where('id', 'in', [open.id, confirmed.id]).execute()
  const rootPath = `/${unit.path.split('/')[1]}/`
  return {
    rootPath,
    unitId: unit.id,
    unitPath: unit.path,
    userId: owner.id,
    reportId: open.id,
    itemId: open.itemIds[0],
    otherItemId: open.itemIds[1],
    confirmedReportId: confirmed.id,
    taskId: tasks[0],
    pendingTaskId: tasks[1],
    unassignedTaskId: tasks[2],
    closedTaskId: tasks[3],
    evidenceId: evidence.id,
    extensionId: extension.id,
    tokenId: token.id,
    notificationId,
    suggestionId,
    agencyId,
  }
}

/**
 * The rows a forbidden call must not touch, optionally only those under one unit tree. Sessions,
 * login attempts and a token's last_used_at are bookkeeping, not data, and are left out.
 */
async function snapshot(prefix = '/'): Promise<string> {
  const like = `${prefix}%`
  const byUnit = <T>(rows: Promise<T[]>) => rows
  const [units, users, reports, items, sources, tasks, events, evidence, extensions, notifications, apiTokens, agencies] =
    await Promise.all([
      db.selectFrom('units').selectAll().where('path', 'like', like).orderBy('id').execute(),
      db
        .selectFrom('users')
        .innerJoin('units', 'units.id', 'users.unit_id')
        .selectAll('users')
        .where('units.path', 'like', like)
        .orderBy('users.id')
        .execute(),
      byUnit(
        db
          .selectFrom('reports')
          .innerJoin('units', 'units.id', 'reports.unit_id')
          .selectAll('reports')
          .where('units.path', 'like', like)
          .orderBy('reports.id')
          .execute(),
      ),
      db
        .selectFrom('report_items')
        .innerJoin('reports', 'reports.id', 'report_items.report_id')
        .innerJoin('units', 'units.id', 'reports.unit_id')
        .selectAll('report_items')
        .where('units.path', 'like', like)
        .orderBy('report_items.id')
        .execute(),
      db
        .selectFrom('report_sources')
        .innerJoin('reports', 'reports.id', 'report_sources.report_id')
        .innerJoin('units', 'units.id', 'reports.unit_id')
        .select('report_sources.report_id')
        .where('units.path', 'like', like)
        .orderBy('report_sources.report_id')
        .execute(),
      db
        .selectFrom('tasks')
        .innerJoin('units', 'units.id', 'tasks.unit_id')
        .selectAll('tasks')
        .where('units.path', 'like', like)
        .orderBy('tasks.id')
        .execute(),
      db
        .selectFrom('task_events')
        .innerJoin('tasks', 'tasks.id', 'task_events.task_id')
        .innerJoin('units', 'units.id', 'tasks.unit_id')
        .selectAll('task_events')
        .where('units.path', 'like', like)
        .orderBy('task_events.id')
        .execute(),
      db
        .selectFrom('task_evidence')
        .innerJoin('tasks', 'tasks.id', 'task_evidence.task_id')
        .innerJoin('units', 'units.id', 'tasks.unit_id')
        .selectAll('task_evidence')
        .where('units.path', 'like', like)
        .orderBy('task_evidence.id')
        .execute(),
      db
        .selectFrom('task_extensions')
        .innerJoin('tasks', 'tasks.id', 'task_extensions.task_id')
        .innerJoin('units', 'units.id', 'tasks.unit_id')
        .selectAll('task_extensions')
        .where('units.path', 'like', like)
        .orderBy('task_extensions.id')
        .execute(),
      db
        .selectFrom('notifications')
        .innerJoin('users', 'users.id', 'notifications.user_id')
        .innerJoin('units', 'units.id', 'users.unit_id')
        .selectAll('notifications')
        .where('units.path', 'like', like)
        .orderBy('notifications.id')
        .execute(),
      db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .innerJoin('units', 'units.id', 'users.unit_id')
        .select(['api_tokens.id', 'api_tokens.user_id', 'api_tokens.name', 'api_tokens.token_hash', 'api_tokens.revoked_at'])
        .where('units.path', 'like', like)
        .orderBy('api_tokens.id')
        .execute(),
      prefix === '/' ? db.selectFrom('agencies').selectAll().orderBy('id').execute() : Promise.resolve([]),
    ])
  // A unit's group robots (set by the admin) belong to its tree; a user's channels are in `users`.
  const robots = await db
    .selectFrom('unit_webhooks')
    .innerJoin('units', 'units.id', 'unit_webhooks.unit_id')
    .selectAll('unit_webhooks')
    .where('units.path', 'like', like)
    .orderBy('unit_webhooks.id')
    .execute()
  // Follow-up suggestions belong to their later report's tree.
  const suggestions = await db
    .selectFrom('followup_suggestions')
    .innerJoin('reports', 'reports.id', 'followup_suggestions.later_report_id')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .selectAll('followup_suggestions')
    .where('units.path', 'like', like)
    .orderBy('followup_suggestions.id')
    .execute()
  return JSON.stringify({
    units,
    users,
    reports,
    items,
    sources,
    tasks,
    events,
    evidence,
    extensions,
    notifications,
    apiTokens,
    agencies,
    suggestions,
    robots,
  })
}

beforeAll(async () => {
  db = (await import('../../app/db.server')).db
  const { migrateToLatest } = await import('../../db/db')
  const { seedDemo } = await import('../../app/org/demo.server')
  const { createUnit, createUser } = await import('../../app/org/org.server')
  const { createApiToken } = await import('../../app/auth/tokens.server')
  const { sessionCookieFor } = await import('../support/app')
  await migrateToLatest(db)
  await seedDemo(db, { password: 'demo-pass-1', fixturesDir: `${dir}/no-fixtures` })
  const otherRoot = await createUnit(db, { name: '邻市政务公开办' })
  const otherDept = await createUnit(db, { name: '邻市教育局', parentId: otherRoot.id })
  await createUser(db, { username: 'othersup', displayName: '邻市督办', password: 'password-1', role: 'supervisor', unitId: otherRoot.id })
  await createUser(db, { username: 'otherstaff', displayName: '邻市责任人', password: 'password-1', role: 'staff', unitId: otherDept.id })
  ids = {}
  for (const u of await db.selectFrom('units').select(['id', 'name']).execute()) ids[u.name] = u.id
  await createUser(db, {
    username: 'edustaff',
    displayName: '教育局责任人',
    password: 'password-1',
    role: 'staff',
    unitId: ids['示范市教育局'],
  })
  const users = await db.selectFrom('users').select(['id', 'username']).execute()
  for (const u of users) ids[u.username] = u.id
  sessionUserOf = async (username: string) => {
    const u = await db
      .selectFrom('users')
      .innerJoin('units', 'units.id', 'users.unit_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'units.name', 'units.path'])
      .where('users.username', '=', username)
      .executeTakeFirstOrThrow()
    return {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      role: u.role,
      unitId: u.unit_id,
      unitName: u.name,
      unitPath: u.path,
    }
  }
  cookies = {}
  tokens = {} as Record<Actor, string>
  for (const a of ACTORS) {
    cookies[a] = await sessionCookieFor(ids[a])
    tokens[a] = (await createApiToken(db, ids[a], 'matrix')).token
  }
  targets = {
    main: await makeTarget('示范市发展和改革委员会', 'staff', 'supervisor'),
    edu: await makeTarget('示范市教育局', 'edustaff', 'supervisor'),
    other: await makeTarget('邻市教育局', 'otherstaff', 'othersup'),
  }
  const idsUnder = async (prefix: string) => {
    const like = `${prefix}%`
    const [tasks, reports] = await Promise.all([
      db.selectFrom('tasks').innerJoin('units', 'units.id', 'tasks.unit_id').select('tasks.id').where('units.path', 'like', like).execute(),
      db
        .selectFrom('reports')
        .innerJoin('units', 'units.id', 'reports.unit_id')
        .select('reports.id')
        .where('units.path', 'like', like)
        .execute(),
    ])
    return [...tasks, ...reports].map(r => r.id)
  }
  const mainRoot = targets.main.rootPath
  mainIds = [
    ...(await idsUnder(mainRoot)),
    ...(await db.selectFrom('units').select('id').where('path', 'like', `${mainRoot}%`).execute()).map(u => u.id),
    ...(
      await db
        .selectFrom('users')
        .innerJoin('units', 'units.id', 'users.unit_id')
        .select('users.id')
        .where('units.path', 'like', `${mainRoot}%`)
        .execute()
    ).map(u => u.id),
  ]
  const eduPath = (await db.selectFrom('units').select('path').where('id', '=', ids['示范市教育局']).executeTakeFirstOrThrow()).path
  eduIds = await idsUnder(eduPath)
}, 120_000)

afterAll(() => deletePrefix(process.env.QUEUE_PREFIX!))

async function outcome(r: unknown): Promise<{ status: number; text: string; location: string | null; toast?: string | null }> {
  if (r instanceof Response) return { status: r.status, text: await r.text(), location: r.headers.get('Location'), toast: toastOf(r) }
  const d = r as { type?: string; data?: unknown; init?: { status?: number } } | null
  if (d && d.type === 'DataWithResponseInit') return { status: d.init?.status ?? 200, text: JSON.stringify(d.data), location: null }
  return { status: 200, text: JSON.stringify(r ?? null), location: null }
}
/** Runs a loader or action as the Remix server would; a thrown Response is its answer, anything else is a 500 (the test fails). */
async function invoke(fn: Fn, request: Request, params: Record<string, string>) {
  try {
    return await outcome(await fn({ request, params, context: {} }))
  } catch (e) {
    if (e instanceof Response) return outcome(e)
    throw e
  }
}
const leaks = (text: string, forbidden: string[]) => forbidden.filter(id => text.includes(id))

// ─── API ────────────────────────────────────────────────────────────────────────────────────────

interface ApiCase {
  file: string
  method: 'GET' | 'POST' | 'PATCH'
  /** Tells cases of one endpoint apart in the test names. */
  label?: string
  params?: (t: Target) => Record<string, string>
  body?: (t: Target) => unknown
  expect: Record<Actor, number>
}
const ALL_200 = { admin: 200, supervisor: 200, staff: 200, oversight: 200, othersup: 200 }
let uploadSeq = 0
const API_CASES: ApiCase[] = [
  { file: 'api.v1.reports', method: 'GET', expect: ALL_200 },
  {
    file: 'api.v1.reports',
    method: 'POST',
    body: () => ({ filename: 'm.txt', text: `某局2024年政府信息公开工作年度报告 矩阵上传${++uploadSeq}\n存在的主要问题：更新不及时。` }),
    expect: { admin: 202, supervisor: 202, staff: 403, oversight: 403, othersup: 202 },
  },
  {
    file: 'api.v1.reports.$reportId',
    method: 'GET',
    params: t => ({ reportId: t.reportId }),
    expect: { admin: 200, supervisor: 200, staff: 200, oversight: 200, othersup: 404 },
  },
  {
    file: 'api.v1.reports.$reportId.confirm',
    method: 'POST',
    params: t => ({ reportId: t.reportId }),
    body: t => ({ items: [{ id: t.itemId, ownerId: t.userId }] }),
    expect: { admin: 200, supervisor: 200, staff: 403, oversight: 403, othersup: 404 },
  },
  { file: 'api.v1.tasks', method: 'GET', expect: ALL_200 },
  {
    file: 'api.v1.tasks.$taskId',
    method: 'GET',
    params: t => ({ taskId: t.taskId }),
    expect: { admin: 200, supervisor: 200, staff: 200, oversight: 200, othersup: 404 },
  },
  {
    file: 'api.v1.tasks.$taskId',
    method: 'PATCH',
    params: t => ({ taskId: t.taskId }),
    body: () => ({ priority: 'high', dueDate: '2031-03-31' }),
    expect: { admin: 200, supervisor: 200, staff: 403, oversight: 403, othersup: 404 },
  },
  {
    file: 'api.v1.tasks.$taskId.updates',
    method: 'POST',
    params: t => ({ taskId: t.taskId }),
    body: () => ({ progress: 40, note: '矩阵' }),
    expect: { admin: 201, supervisor: 201, staff: 201, oversight: 403, othersup: 404 },
  },
  {
    file: 'api.v1.tasks.$taskId.transitions',
    method: 'POST',
    params: t => ({ taskId: t.pendingTaskId }),
    label: 'verify',
    body: () => ({ action: 'verify' }),
    expect: { admin: 200, supervisor: 200, staff: 403, oversight: 403, othersup: 404 },
  },
  {
    file: 'api.v1.tasks.$taskId.transitions',
    method: 'POST',
    params: t => ({ taskId: t.taskId }),
    label: 'submit',
    body: () => ({ action: 'submit' }),
    expect: { admin: 403, supervisor: 403, staff: 200, oversight: 403, othersup: 404 },
  },
  {
    file: 'api.v1.tasks.$taskId.transitions',
    method: 'POST',
    params: t => ({ taskId: t.unassignedTaskId }),
    label: 'assign',
    body: t => ({ action: 'assign', ownerId: t.userId }),
    expect: { admin: 200, supervisor: 200, staff: 403, oversight: 403, othersup: 404 },
  },
  { file: 'api.v1.users', method: 'GET', expect: ALL_200 },
  { file: 'api.v1.units', method: 'GET', expect: ALL_200 },
  { file: 'api.v1.notifications', method: 'GET', expect: ALL_200 },
  {
    file: 'api.v1.notifications.$notificationId.read',
    method: 'POST',
    params: t => ({ notificationId: t.notificationId }),
    expect: { admin: 404, supervisor: 404, staff: 200, oversight: 404, othersup: 404 },
  },
  { file: 'api.v1.stats', method: 'GET', expect: ALL_200 },
]
const apiFiles = fs
  .readdirSync(ROUTES_DIR)
  .filter(f => /^api\./.test(f) && !f.includes('.test.'))
  .map(f => f.replace(/\.tsx?$/, ''))

async function callApi(file: string, method: string, opts: { token?: string; params?: Record<string, string>; body?: unknown }) {
  const mod = (await import(path.join(ROUTES_DIR, `${file}.ts`))) as Required<RouteModule>
  const headers = new Headers()
  if (opts.token) headers.set('Authorization', `Bearer ${opts.token}`)
  if (opts.body !== undefined) headers.set('Content-Type', 'application/json')
  const url = `http://localhost/${file
    .split('.')
    .map(s => (s.startsWith('$') ? (opts.params?.[s.slice(1)] ?? 'x') : s))
    .join('/')}`
  const request = new Request(url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) })
  const res = (await (method === 'GET' ? mod.loader : mod.action)({ request, params: opts.params ?? {}, context: {} })) as Response
  return { status: res.status, text: await res.text() }
}

describe('API permission matrix', () => {
  it('every API route file in app/routes is in the matrix', () => {
    expect(new Set(apiFiles)).toEqual(new Set(API_CASES.map(c => c.file)))
  })

  for (const file of apiFiles) {
    it(`${file}: without a token every method answers 401 (or 405) and changes nothing`, async () => {
      const before = await snapshot()
      for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
        const res = await callApi(file, method, {
          params: { reportId: targets.main.reportId, taskId: targets.main.taskId },
          body: method === 'GET' ? undefined : {},
        })
        expect([401, 405], `${method} ${file}`).toContain(res.status)
        expect(JSON.parse(res.text).error).toEqual(expect.any(String))
      }
      expect(await snapshot()).toBe(before)
    })
  }

  for (const c of API_CASES) {
    for (const actor of ACTORS) {
      const want = c.expect[actor]
      it(`${c.method} ${c.file}${c.label ? ` (${c.label})` : ''} as ${actor} → ${want}`, async () => {
        // A fresh copy of the main tree's work for every write, so allowed writes cannot mask later checks.
        const t = c.method === 'GET' ? targets.main : await makeTarget('示范市发展和改革委员会', 'staff', 'supervisor')
        const before = await snapshot()
        const res = await callApi(c.file, c.method, { token: tokens[actor], params: c.params?.(t), body: c.body?.(t) })
        expect(res.status, res.text).toBe(want)
        const after = await snapshot()
        if (want >= 400) {
          expect(JSON.parse(res.text).error).toEqual(expect.any(String))
          expect(after).toBe(before)
        } else if (c.method !== 'GET') {
          expect(after).not.toBe(before)
        } else {
          expect(after).toBe(before)
        }
        // Reads show nothing outside the caller's scope.
        if (c.method === 'GET' && want === 200) {
          if (actor === 'othersup') expect(leaks(res.text, mainIds)).toEqual([])
          if (actor === 'staff') expect(leaks(res.text, eduIds)).toEqual([])
        }
      })
    }
  }

  it('every list answers with what is in scope: staff only their unit, the other tree only its own', async () => {
    const get = async (file: string, actor: Actor) => JSON.parse((await callApi(file, 'GET', { token: tokens[actor] })).text)
    const staffTasks = (await get('api.v1.tasks', 'staff')).tasks.map((t: any) => t.unitId)
    expect(staffTasks.length).toBeGreaterThan(0)
    expect(new Set(staffTasks)).toEqual(new Set([targets.main.unitId]))
    const otherTasks = (await get('api.v1.tasks', 'othersup')).tasks.map((t: any) => t.unitId)
    expect(new Set(otherTasks)).toEqual(new Set([targets.other.unitId]))
    expect((await get('api.v1.notifications', 'staff')).notifications.length).toBeGreaterThan(0)
    // The supervisor hears of the owner's submissions and extension requests, never of the owner's own notices.
    const supNotices = (await get('api.v1.notifications', 'supervisor')).notifications
    expect(supNotices.length).toBeGreaterThan(0)
    expect(supNotices.filter((n: any) => !['submitted', 'extension_requested'].includes(n.kind))).toEqual([])
    const oversightStats = await get('api.v1.stats', 'oversight')
    const adminStats = await get('api.v1.stats', 'admin')
    const otherStats = await get('api.v1.stats', 'othersup')
    expect(oversightStats.total + otherStats.total).toBe(adminStats.total)
  })
})

// ─── Pages ──────────────────────────────────────────────────────────────────────────────────────

/** Routes anyone may call signed out. A new public route must be added here on purpose. */
const PUBLIC = new Set(['login', 'logout', '_index', ...['p.$token', 'p.$token_.print', 'p.$token_.feed']])
/** The public progress pages (/p/:token…): their token is the permission; checked below. */
const PUBLIC_PROGRESS = ['p.$token', 'p.$token_.print', 'p.$token_.feed']
/** Page actions oversight may use: they touch only the caller's own settings or notifications, never work data. */
const OVERSIGHT_MAY_POST = new Set(['_app.settings', '_app.notifications'])

const pageFiles = fs.readdirSync(ROUTES_DIR).filter(f => /\.(tsx?|jsx?)$/.test(f) && !/^api\./.test(f) && !f.includes('.test.'))
const routeId = (f: string) => f.replace(/\.(tsx?|jsx?)$/, '')
/** A segment's parameter name ("$reportId_" opts out of nesting and is still "reportId"). */
const paramName = (segment: string) => segment.slice(1).replace(/_$/, '')
const paramNames = (f: string) =>
  routeId(f)
    .split('.')
    .filter(s => s.startsWith('$'))
    .map(paramName)

/** Which fixture id a route parameter names; null for a parameter that is not a scoped record (e.g. a file format). */
function paramValue(name: string, t: Target): string | null {
  if (/evidence/i.test(name)) return t.evidenceId
  if (/agency/i.test(name)) return t.agencyId
  if (/ext/i.test(name)) return t.extensionId
  if (/item/i.test(name)) return t.itemId
  if (/task/i.test(name)) return t.taskId
  if (/report/i.test(name)) return t.reportId
  if (/unit/i.test(name)) return t.unitId
  if (/user/i.test(name)) return t.userId
  if (/token/i.test(name)) return t.tokenId
  return null
}
function paramsFor(f: string, t: Target) {
  const params: Record<string, string> = {}
  // A public route's parameter (a publication token) is not a record of anyone's scope: checked on its own below.
  let scoped = paramNames(f).length > 0 && !PUBLIC.has(routeId(f))
  for (const n of paramNames(f)) {
    const v = paramValue(n, t)
    if (v === null) scoped = false
    params[n] = v ?? 'x'
  }
  return { params, scoped }
}
function urlFor(f: string, params: Record<string, string>) {
  const segs = routeId(f)
    .split('.')
    .filter(s => !s.startsWith('_'))
    .map(s => (s.startsWith('$') ? params[paramName(s)] : s.replace(/_$/, '')))
  return `http://localhost/${segs.join('/')}`
}

/** The intents a page's forms really send (read from its source), plus the workflow's own actions. */
function intentsOf(f: string, src = fs.readFileSync(path.join(ROUTES_DIR, f), 'utf8')) {
  const real = new Set<string>()
  // (SubmitButton and ConfirmButton are the pages' submit buttons: app/components)
  for (const m of src.matchAll(/<(?:input|button|SubmitButton|ConfirmButton)\b[^>]*>/g)) {
    const tag = m[0]
    if (!/name="(?:intent|_action)"/.test(tag)) continue
    const v = /value="([^"]+)"/.exec(tag)
    if (v) real.add(v[1])
  }
  const usesAction = /name="action"/.test(src)
  return {
    real: [...real],
    extra: ['assign', 'submit', 'verify', 'return', 'cancel', 'ongoing', 'reopen', 'confirm', 'delete', 'create', 'update'].filter(
      x => !real.has(x),
    ),
    usesAction,
  }
}

const TASK_ACTIONS = ['assign', 'submit', 'verify', 'return', 'cancel', 'ongoing', 'reopen']
/** Every field a form could need, filled with the target's ids, so validation passes and the guard is what answers. */
function formFor(t: Target, intent: string, action?: string): FormData {
  const f = new FormData()
  const fields: Record<string, string> = {
    intent,
    _action: intent,
    action: action ?? intent,
    reason: '权限矩阵测试',
    note: '权限矩阵测试',
    progress: '50',
    ownerId: t.userId,
    unitId: t.unitId,
    dueDate: '2031-06-30',
    newDueDate: '2031-06-30',
    priority: 'high',
    title: '矩阵',
    text: '矩阵测试文本',
    kind: 'problem',
    url: 'https://example.com/matrix',
    name: '矩阵',
    decision: 'approve',
    approve: 'true',
    itemId: t.itemId,
    itemIds: t.itemId,
    otherId: t.otherItemId,
    at: '2',
    offset: '2',
    taskId: t.taskId,
    taskIds: t.taskId,
    reportId: t.reportId,
    extensionId: t.extensionId,
    evidenceId: t.evidenceId,
    tokenId: t.tokenId,
    suggestionId: t.suggestionId,
    id: t.taskId,
    start: '0',
    end: '3',
  }
  for (const [k, v] of Object.entries(fields)) f.append(k, v)
  f.append('file', new File([new TextEncoder().encode('矩阵佐证')], 'matrix.txt', { type: 'text/plain' }))
  return f
}
function pageRequest(url: string, actor: Actor | null, form?: FormData) {
  const headers = new Headers()
  if (actor) headers.set('Cookie', cookies[actor])
  return new Request(url, { method: form ? 'POST' : 'GET', headers, body: form })
}

/**
 * The loader of a page route, as every role: no error, no write, nothing out of scope; forbidden
 * records answer 403/404. A function (not only a test) so the check can be shown to catch a route
 * that forgets the scope helper (below).
 */
async function checkLoaderScope(mod: RouteModule, file: string) {
  if (!mod.loader) return
  const id = routeId(file)
  for (const actor of ACTORS) {
    // Each role looks at a record it may not see: another tree's for supervisors, another unit's for staff.
    const target = actor === 'supervisor' ? targets.other : actor === 'staff' ? targets.edu : targets.main
    const forbiddenTarget = actor === 'supervisor' || actor === 'staff' || actor === 'othersup'
    const { params, scoped } = paramsFor(file, target)
    const before = await snapshot()
    const res = await invoke(mod.loader, pageRequest(urlFor(file, params), actor), params)
    expect(res.status, `${actor}: ${res.text.slice(0, 200)}`).toBeLessThan(500)
    expect(await snapshot(), `${actor}: GET must not write`).toBe(before)
    if (scoped && forbiddenTarget) expect([403, 404], `${actor} on a record out of scope`).toContain(res.status)
    if (res.status < 300 && actor === 'othersup') expect(leaks(res.text, mainIds), 'other tree sees main-tree ids').toEqual([])
    if (res.status < 300 && actor === 'staff') expect(leaks(res.text, eduIds), 'staff sees another unit’s ids').toEqual([])
  }
  // and the record exists: the admin (and oversight, who reads everything in scope) can open it
  const { params, scoped } = paramsFor(file, targets.main)
  if (scoped && !/^_app\.admin\./.test(id)) {
    for (const actor of ['admin', 'oversight'] as const) {
      const res = await invoke(mod.loader, pageRequest(urlFor(file, params), actor), params)
      if (actor === 'admin' || res.status !== 403) expect(res.status, `${actor} on an in-scope record`).toBeLessThan(400)
    }
  }
}

/** The action of a page route: oversight, and everyone on a record outside their scope, are refused and nothing changes. */
async function checkActionScope(mod: RouteModule, file: string, src?: string) {
  if (!mod.action) return
  const id = routeId(file)
  const { real, extra, usesAction } = intentsOf(file, src)
  const attempts: Array<[Actor, Target, boolean]> = [
    ['othersup', targets.main, true],
    ['supervisor', targets.other, true],
    ['staff', targets.edu, true],
  ]
  if (!OVERSIGHT_MAY_POST.has(id)) attempts.push(['oversight', targets.main, false])
  for (const [actor, target, outOfScope] of attempts) {
    const { params, scoped } = paramsFor(file, target)
    // With no record in the URL, a user may legitimately act in their own tree: then only the target tree must be untouched.
    const strict = !outOfScope || scoped
    // (staff's own tree holds the target unit too, so for staff only that unit is watched)
    const actorRoot = `/${(await sessionUserOf(actor)).unitPath.split('/')[1]}/`
    const watch = strict ? '/' : actorRoot === target.rootPath ? target.unitPath : target.rootPath
    for (const intent of [...real, ...extra]) {
      for (const action of usesAction && real.includes(intent) ? TASK_ACTIONS : [undefined]) {
        const before = await snapshot(watch)
        const res = await invoke(mod.action, pageRequest(urlFor(file, params), actor, formFor(target, intent, action)), params)
        const what = `${actor} intent=${intent} action=${action}: ${res.status} ${res.text.slice(0, 200)}`
        expect(res.status, what).toBeLessThan(500)
        expect(await snapshot(watch), what).toBe(before)
        if (strict && real.includes(intent)) expect([403, 404], what).toContain(res.status)
        if (strict) expect(res.status, what).toBeGreaterThanOrEqual(400)
      }
    }
  }
}

describe('page permission matrix', () => {
  it('finds the page routes', () => {
    expect(pageFiles.map(routeId)).toEqual(
      expect.arrayContaining(['_app', '_app.reports.$reportId', '_app.tasks.$taskId', '_app.settings']),
    )
  })

  for (const file of pageFiles) {
    const id = routeId(file)
    describe(id, () => {
      let mod: RouteModule
      beforeAll(async () => {
        mod = await import(path.join(ROUTES_DIR, file))
      })

      if (!PUBLIC.has(id)) {
        it('signed out: loader and action are refused (login redirect or 401/403/404) and change nothing', async () => {
          const before = await snapshot()
          const { params } = paramsFor(file, targets.main)
          for (const [fn, form] of [
            [mod.loader, undefined],
            [mod.action, formFor(targets.main, 'submit')],
          ] as const) {
            if (!fn) continue
            const res = await invoke(fn, pageRequest(urlFor(file, params), null, form), params)
            if (res.status === 302) expect(res.location).toMatch(/^\/login/)
            else expect([401, 403, 404]).toContain(res.status)
          }
          expect(await snapshot()).toBe(before)
        })
      }

      it('loader, as every role: no error, no write, nothing out of scope; forbidden records answer 403/404', async () => {
        await checkLoaderScope(mod, file)
      })

      if (!PUBLIC.has(id)) {
        it('action: oversight, and everyone on a record outside their scope, are refused and nothing changes', async () => {
          await checkActionScope(mod, file)
        })
      }
    })
  }

  describe('explicit page checks', () => {
    it('public progress pages: only a live token opens them, signed out; they show no people, files or internal ids; withdrawn, 404', async () => {
      const modOf = async (id: string) =>
        (await import(
          path.join(
            ROUTES_DIR,
            pageFiles.find(f => routeId(f) === id)!,
          )
        )) as RouteModule
      const manage = (await modOf('_app.reports.$reportId_.publish')) as Required<RouteModule>
      const t = targets.main
      const post = (actor: Actor, intent: string) => {
        const f = new FormData()
        f.append('intent', intent)
        return invoke(manage.action, pageRequest(`http://localhost/reports/${t.confirmedReportId}/publish`, actor, f), {
          reportId: t.confirmedReportId,
        })
      }
      // only the report's supervisors publish
      for (const actor of ['staff', 'oversight'] as const) expect((await post(actor, 'publish')).status).toBe(403)
      expect((await post('othersup', 'publish')).status).toBe(404)
      const published = await post('supervisor', 'publish')
      expect(published.status).toBe(302)
      expect(published.toast).toMatch(/已公开/)
      const status = await invoke(manage.loader, pageRequest(`http://localhost/reports/${t.confirmedReportId}/publish`, 'oversight'), {
        reportId: t.confirmedReportId,
      })
      const token = (JSON.parse(status.text).path as string).split('/')[2]
      expect(
        (
          await invoke(manage.loader, pageRequest(`http://localhost/reports/${t.confirmedReportId}/publish`, 'othersup'), {
            reportId: t.confirmedReportId,
          })
        ).status,
      ).toBe(404)
      const names = (await db.selectFrom('users').select(['display_name', 'username', 'email']).execute()).flatMap(u =>
        [u.display_name, u.email].filter((x): x is string => !!x),
      )
      const evidence = await db.selectFrom('task_evidence').select(['id', 'filename']).execute()
      for (const id of PUBLIC_PROGRESS) {
        const mod = await modOf(id)
        expect(mod.action, id).toBeUndefined()
        for (const bogus of ['x', t.tokenId, t.confirmedReportId, 'A'.repeat(43)])
          expect((await invoke(mod.loader!, pageRequest(`http://localhost/p/${bogus}`, null), { token: bogus })).status, id).toBe(404)
        const open = await invoke(mod.loader!, pageRequest(`http://localhost/p/${token}`, null), { token })
        expect(open.status, id).toBe(200)
        expect(leaks(open.text, [...mainIds, ...names, ...evidence.map(e => e.id), '/evidence/']), id).toEqual([])
        expect(open.text).toContain('条目')
      }
      const withdrawn = await post('supervisor', 'withdraw')
      expect(withdrawn.status).toBe(302)
      expect(withdrawn.toast).toMatch(/撤回/)
      for (const id of PUBLIC_PROGRESS)
        expect((await invoke((await modOf(id)).loader!, pageRequest(`http://localhost/p/${token}`, null), { token })).status, id).toBe(404)
    })

    it('nothing else answers signed out: every other page loader redirects to login or refuses', () => {
      expect(
        pageFiles
          .map(routeId)
          .filter(id => PUBLIC.has(id))
          .sort(),
      ).toEqual([...PUBLIC].sort())
      expect(
        pageFiles
          .map(routeId)
          .filter(id => id.startsWith('p.'))
          .sort(),
      ).toEqual([...PUBLIC_PROGRESS].sort())
    })

    it('staff open the report their task comes from, read-only; another tree does not; the report list invites only those who may upload', async () => {
      const page = (await import(path.join(ROUTES_DIR, '_app.reports.$reportId.tsx'))) as Required<RouteModule>
      const list = (await import(path.join(ROUTES_DIR, '_app.reports._index.tsx'))) as Required<RouteModule>
      const { confirmReport } = await import('../../app/tasks/tasks.server')
      const wf = await import('../../app/tasks/workflow.server')
      // a report filed at the city office (the supervisor's unit), one task given to the staff member's unit
      const manager = await sessionUserOf('supervisor')
      const owner = await sessionUserOf('staff')
      const city = await insertReport(manager.unitId, manager.id, 2)
      await confirmReport(db, manager, city.id)
      const [mine, theirs] = (
        await db
          .selectFrom('tasks')
          .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
          .select('tasks.id')
          .where('tasks.report_id', '=', city.id)
          .orderBy('report_items.seq')
          .execute()
      ).map(r => r.id)
      await wf.updateTask(db, manager, mine, { unitId: owner.unitId, ownerId: owner.id })
      await wf.updateTask(db, manager, theirs, { unitId: ids['示范市教育局'] })
      const url = `http://localhost/reports/${city.id}`
      const seen = await invoke(page.loader, pageRequest(url, 'staff'), { reportId: city.id })
      expect(seen.status).toBe(200)
      const data = JSON.parse(seen.text)
      expect(data).toMatchObject({ canReview: false, reviewing: false })
      // only the links to tasks the staff member may open
      expect(data.tasks.map((x: { id: string }) => x.id)).toEqual([mine])
      expect(leaks(seen.text, [theirs])).toEqual([])
      expect((await invoke(page.loader, pageRequest(url, 'othersup'), { reportId: city.id })).status).toBe(404)
      const before = await snapshot()
      for (const intent of ['confirm', 'edit', 'metadata', 'assign']) {
        expect(
          (
            await invoke(
              page.action,
              pageRequest(url, 'staff', formFor({ ...targets.main, reportId: city.id, itemId: city.itemIds[0] }, intent)),
              { reportId: city.id },
            )
          ).status,
          intent,
        ).toBe(403)
      }
      expect(await snapshot()).toBe(before)
      expect((await callApi('api.v1.reports.$reportId', 'GET', { token: tokens.staff, params: { reportId: city.id } })).status).toBe(200)
      // the list shows it to the staff member, with no invitation to upload
      const listed = JSON.parse((await invoke(list.loader, pageRequest('http://localhost/reports', 'staff'), {})).text)
      expect(listed.reports.map((r: { id: string }) => r.id)).toContain(city.id)
      expect(listed).toMatchObject({ canUpload: false, canImport: false })
      expect(JSON.parse((await invoke(list.loader, pageRequest('http://localhost/reports', 'oversight'), {})).text)).toMatchObject({
        canUpload: false,
      })
      expect(JSON.parse((await invoke(list.loader, pageRequest('http://localhost/reports', 'supervisor'), {})).text)).toMatchObject({
        canUpload: true,
      })
    })

    it('task page: 提交核验 without a note, evidence or progress note is refused in Chinese; an overdue owner may still ask for an extension, marked late', async () => {
      const mod = (await import(path.join(ROUTES_DIR, '_app.tasks.$taskId.tsx'))) as Required<RouteModule>
      const wf = await import('../../app/tasks/workflow.server')
      const t = await makeTarget('示范市发展和改革委员会', 'staff', 'supervisor')
      const manager = await sessionUserOf('supervisor')
      const post = (actor: Actor, taskId: string, fields: Record<string, string>) => {
        const f = new FormData()
        for (const [k, v] of Object.entries(fields)) f.append(k, v)
        return invoke(mod.action, pageRequest(`http://localhost/tasks/${taskId}`, actor, f), { taskId })
      }
      // tasks[3] of the target is closed; reopen a bare one: the unassigned task, given to the staff member
      await wf.transitionTask(db, manager, t.unassignedTaskId, { action: 'assign', ownerId: t.userId })
      const bare = await post('staff', t.unassignedTaskId, { intent: 'transition', action: 'submit' })
      expect(bare.status).toBe(400)
      expect(JSON.parse(bare.text).error).toMatch(/提交核验前，请填写完成情况说明/)
      expect((await post('staff', t.unassignedTaskId, { intent: 'transition', action: 'submit', reason: '已按要求整改' })).status).toBe(302)
      // the deadline passes; the owner may still ask, and the request is marked late on the page
      await wf.updateTask(db, manager, t.pendingTaskId, { dueDate: '2020-01-31' })
      await wf.transitionTask(db, manager, t.pendingTaskId, { action: 'return', reason: '补充材料' })
      const asked = await post('staff', t.pendingTaskId, { intent: 'extension', newDueDate: '2031-06-30', reason: '等待批复' })
      expect(asked.status, asked.text).toBe(302)
      expect(asked.toast).toMatch(/逾期延期申请已提交/)
      const view = JSON.parse(
        (await invoke(mod.loader, pageRequest(`http://localhost/tasks/${t.pendingTaskId}`, 'supervisor'), { taskId: t.pendingTaskId }))
          .text,
      )
      expect(view.extensions.find((x: { status: string }) => x.status === 'pending')).toMatchObject({
        late: true,
        new_due_date: '2031-06-30',
      })
      // a past date on the task page is refused in Chinese
      const past = await post('supervisor', t.taskId, { intent: 'update', dueDate: '2020-01-01' })
      expect(past.status).toBe(400)
      expect(JSON.parse(past.text).error).toMatch(/整改时限不能早于今天/)
    })

    it('accounts: only the admin edits, deactivates and resets others; a deactivated user’s cookie and token stop on the next request', async () => {
      const mod = (await import(path.join(ROUTES_DIR, '_app.admin.users_.$userId.tsx'))) as Required<RouteModule>
      const layout = (await import(path.join(ROUTES_DIR, '_app.tsx'))) as Required<RouteModule>
      const { createUser } = await import('../../app/org/org.server')
      const { createApiToken } = await import('../../app/auth/tokens.server')
      const { sessionCookieFor } = await import('../support/app')
      const { id: victim } = await createUser(db, {
        username: `acct${++seq}`,
        displayName: '待管理',
        password: 'password-1',
        role: 'staff',
        unitId: targets.main.unitId,
      })
      const url = `http://localhost/admin/users/${victim}`
      const post = (actor: Actor, fields: Record<string, string>) => {
        const f = new FormData()
        for (const [k, v] of Object.entries(fields)) f.append(k, v)
        return invoke(mod.action, pageRequest(url, actor, f), { userId: victim })
      }
      const asVictim = async (cookie: string) =>
        invoke(layout.loader, new Request('http://localhost/tasks', { headers: { Cookie: cookie } }), {})
      const forms: Record<string, string>[] = [
        { intent: 'update', displayName: '改名', role: 'supervisor', unitId: targets.main.unitId, email: '' },
        { intent: 'deactivate', confirmed: 'yes' },
        { intent: 'reactivate' },
        { intent: 'generate-password' },
        { intent: 'set-password', password: 'password-2' },
      ]
      const before = await snapshot()
      for (const actor of ['supervisor', 'staff', 'oversight', 'othersup'] as const) {
        expect((await invoke(mod.loader, pageRequest(url, actor), { userId: victim })).status).toBe(403)
        for (const form of forms) expect((await post(actor, form)).status, `${actor} ${form.intent}`).toBe(403)
      }
      expect(await snapshot()).toBe(before)

      const page = await invoke(mod.loader, pageRequest(url, 'admin'), { userId: victim })
      expect(page.status).toBe(200)
      expect((await post('admin', forms[0])).status).toBe(302)
      expect(await db.selectFrom('users').select(['display_name', 'role']).where('id', '=', victim).executeTakeFirstOrThrow()).toEqual({
        display_name: '改名',
        role: 'supervisor',
      })
      // a reset ends the sessions; the temporary password is in the answer once, and meets the rules
      let cookie = await sessionCookieFor(victim)
      expect((await asVictim(cookie)).status).toBe(200)
      const reset = await post('admin', forms[3])
      expect(reset.status).toBe(200)
      expect(JSON.parse(reset.text).temporary.password).toMatch(/^\S{12}$/)
      expect((await asVictim(cookie)).status).toBe(302)
      expect((await post('admin', { intent: 'set-password', password: 'short' })).status).toBe(400)
      // deactivation needs the confirmation step, then cuts the cookie and the token at once
      cookie = await sessionCookieFor(victim)
      const { token } = await createApiToken(db, victim, '脚本')
      expect((await callApi('api.v1.tasks', 'GET', { token })).status).toBe(200)
      expect((await post('admin', { intent: 'deactivate' })).status).toBe(400)
      expect((await asVictim(cookie)).status).toBe(200)
      expect((await post('admin', forms[1])).status).toBe(302)
      const next = await asVictim(cookie)
      expect(next.status).toBe(302)
      expect(next.location).toMatch(/^\/login/)
      expect((await callApi('api.v1.tasks', 'GET', { token })).status).toBe(401)
      expect((await post('admin', forms[2])).status).toBe(302)
      expect((await callApi('api.v1.tasks', 'GET', { token })).status).toBe(401) // tokens stay revoked
      // the admin cannot lock themselves out
      const self = (fields: Record<string, string>) => {
        const f = new FormData()
        for (const [k, v] of Object.entries(fields)) f.append(k, v)
        return invoke(mod.action, pageRequest(`http://localhost/admin/users/${ids.admin}`, 'admin', f), { userId: ids.admin })
      }
      expect((await self({ intent: 'deactivate', confirmed: 'yes' })).status).toBe(400)
      expect((await invoke(layout.loader, pageRequest('http://localhost/tasks', 'admin'), {})).status).toBe(200)
    })

    it('group robots (/admin/webhooks): only the admin lists, adds, tests, stops and deletes them; nobody else changes anything', async () => {
      const mod = (await import(path.join(ROUTES_DIR, '_app.admin.webhooks.tsx'))) as Required<RouteModule>
      const { addUnitWebhook } = await import('../../app/notify/webhook.server')
      const { id } = await addUnitWebhook(db, {
        unitId: targets.main.unitId,
        kind: 'dingtalk',
        url: 'https://oapi.dingtalk.com/robot/send?access_token=matrixtoken0001',
        secret: 'SECmatrixsecret0001',
      })
      const post = (actor: Actor, fields: Record<string, string>) => {
        const f = new FormData()
        for (const [k, v] of Object.entries(fields)) f.append(k, v)
        return invoke(mod.action, pageRequest('http://localhost/admin/webhooks', actor, f), {})
      }
      const forms: Record<string, string>[] = [
        { intent: 'add', unitId: targets.main.unitId, kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix' },
        { intent: 'disable', robotId: id },
        { intent: 'enable', robotId: id },
        { intent: 'delete', robotId: id, confirmed: 'yes' },
      ]
      const before = await snapshot()
      for (const actor of ['supervisor', 'staff', 'oversight', 'othersup'] as const) {
        expect((await invoke(mod.loader, pageRequest('http://localhost/admin/webhooks', actor), {})).status).toBe(403)
        for (const form of forms) expect((await post(actor, form)).status, `${actor} ${form.intent}`).toBe(403)
      }
      expect(await snapshot()).toBe(before)
      const page = await invoke(mod.loader, pageRequest('http://localhost/admin/webhooks', 'admin'), {})
      expect(page.status).toBe(200)
      expect(page.text).not.toContain('matrixtoken0001')
      expect(page.text).not.toContain('SECmatrixsecret0001')
      expect((await post('admin', forms[1])).status).toBe(200)
      expect((await post('admin', forms[3])).status).toBe(200)
      expect(await db.selectFrom('unit_webhooks').select('id').where('id', '=', id).execute()).toEqual([])
    })

    it('user edit: a new unit for someone owning open tasks needs the choice; only the admin makes it; move goes through the tasks', async () => {
      const mod = (await import(path.join(ROUTES_DIR, '_app.admin.users_.$userId.tsx'))) as Required<RouteModule>
      const { createUser } = await import('../../app/org/org.server')
      const wf = await import('../../app/tasks/workflow.server')
      const t = await makeTarget('示范市发展和改革委员会', 'staff', 'supervisor')
      const { id: mover } = await createUser(db, {
        username: `mv${++seq}`,
        displayName: '调动人员',
        password: 'password-1',
        role: 'staff',
        unitId: t.unitId,
      })
      await wf.updateTask(db, await sessionUserOf('supervisor'), t.unassignedTaskId, { ownerId: mover })
      const url = `http://localhost/admin/users/${mover}`
      const post = (actor: Actor, fields: Record<string, string>) => {
        const f = new FormData()
        for (const [k, v] of Object.entries(fields)) f.append(k, v)
        return invoke(mod.action, pageRequest(url, actor, f), { userId: mover })
      }
      const page = JSON.parse((await invoke(mod.loader, pageRequest(url, 'admin'), { userId: mover })).text)
      expect(page.openTasks).toBe(1)
      const form = { intent: 'update', displayName: '调动人员', role: 'staff', unitId: ids['示范市教育局'], email: '' }
      const before = await snapshot()
      for (const actor of ['supervisor', 'staff', 'oversight', 'othersup'] as const)
        expect((await post(actor, { ...form, openTasks: 'move' })).status).toBe(403)
      const refused = await post('admin', form)
      expect(refused.status).toBe(400)
      expect(JSON.parse(refused.text).error).toMatch(/负责 1 项未完成的整改任务/)
      expect(await snapshot()).toBe(before)
      const moved = await post('admin', { ...form, openTasks: 'move' })
      expect(moved.status, moved.text).toBe(302)
      expect(moved.toast).toMatch(/1 项未完成任务已移到新单位/)
      expect((await db.selectFrom('tasks').select('unit_id').where('id', '=', t.unassignedTaskId).executeTakeFirstOrThrow()).unit_id).toBe(
        ids['示范市教育局'],
      )
    })

    it('agency suggestions (/agencies/suggest): reviewers only', async () => {
      const mod = (await import(path.join(ROUTES_DIR, 'agencies.suggest.ts'))) as Required<RouteModule>
      const url = `http://localhost/agencies/suggest?q=${encodeURIComponent('矩阵测试局')}`
      for (const actor of ['staff', 'oversight'] as const) expect((await invoke(mod.loader, pageRequest(url, actor), {})).status).toBe(403)
      for (const actor of ['admin', 'supervisor', 'othersup'] as const) {
        const res = await invoke(mod.loader, pageRequest(url, actor), {})
        expect(res.status).toBe(200)
        expect(JSON.parse(res.text).agencies.length).toBeGreaterThan(0)
      }
    })

    it('settings: each user turns only their own email notices on or off', async () => {
      const mod = (await import(path.join(ROUTES_DIR, '_app.settings.tsx'))) as Required<RouteModule>
      const { createUser } = await import('../../app/org/org.server')
      const { sessionCookieFor } = await import('../support/app')
      const { id } = await createUser(db, {
        username: `ch${++seq}`,
        displayName: '通知方式',
        password: 'password-1',
        role: 'oversight',
        unitId: targets.main.unitId,
      })
      const cookie = await sessionCookieFor(id)
      const flag = async (userId: string) =>
        (await db.selectFrom('users').select('email_notifications').where('id', '=', userId).executeTakeFirstOrThrow()).email_notifications
      const supervisorBefore = await flag(ids.supervisor)
      const f = new FormData()
      f.append('intent', 'channels')
      f.append('userId', ids.supervisor)
      const res = await invoke(
        mod.action,
        new Request('http://localhost/settings', { method: 'POST', headers: { Cookie: cookie }, body: f }),
        {},
      )
      expect(res.status).toBe(302)
      expect(res.toast).toMatch(/邮件/)
      expect(await flag(id)).toBe(0)
      expect(await flag(ids.supervisor)).toBe(supervisorBefore)
      expect(
        JSON.parse((await invoke(mod.loader, new Request('http://localhost/settings', { headers: { Cookie: cookie } }), {})).text).channels,
      ).toEqual({ inApp: true, email: false, hasAddress: false })
    })

    it('settings: anyone signed in changes their own password with the current one; nobody changes another’s there', async () => {
      const mod = (await import(path.join(ROUTES_DIR, '_app.settings.tsx'))) as Required<RouteModule>
      const { createUser } = await import('../../app/org/org.server')
      const { verifyPassword } = await import('../../app/auth/password.server')
      const { sessionCookieFor } = await import('../support/app')
      const hashOf = async (id: string) =>
        (await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow()).password_hash
      for (const role of ['staff', 'oversight', 'supervisor', 'admin'] as const) {
        const { id } = await createUser(db, {
          username: `pw${++seq}`,
          displayName: '改密码',
          password: 'password-1',
          role,
          unitId: targets.main.unitId,
        })
        const cookie = await sessionCookieFor(id)
        const other = await sessionCookieFor(id)
        const post = (fields: Record<string, string>) => {
          const f = new FormData()
          for (const [k, v] of Object.entries(fields)) f.append(k, v)
          return invoke(mod.action, new Request('http://localhost/settings', { method: 'POST', headers: { Cookie: cookie }, body: f }), {})
        }
        const victimHash = await hashOf(ids.supervisor)
        const mine = await hashOf(id)
        // another user's id or name in the form is ignored; a wrong current password changes nothing
        expect(
          (
            await post({
              intent: 'change-password',
              currentPassword: 'demo-pass-1',
              newPassword: 'hijacked-1',
              repeatPassword: 'hijacked-1',
              userId: ids.supervisor,
              username: 'supervisor',
            })
          ).status,
        ).toBe(400)
        expect(
          (
            await post({
              intent: 'change-password',
              currentPassword: 'password-1',
              newPassword: 'new-pass-1',
              repeatPassword: 'other-pass-1',
            })
          ).status,
        ).toBe(400)
        expect(await hashOf(id)).toBe(mine)
        const ok = await post({
          intent: 'change-password',
          currentPassword: 'password-1',
          newPassword: 'new-pass-1',
          repeatPassword: 'new-pass-1',
          userId: ids.supervisor,
        })
        expect(ok.status, ok.text).toBe(302)
        expect(await verifyPassword('new-pass-1', await hashOf(id))).toBe(true)
        expect(await hashOf(ids.supervisor)).toBe(victimHash)
        // this session stays, the other one ends
        const layout = (await import(path.join(ROUTES_DIR, '_app.tsx'))) as Required<RouteModule>
        expect((await invoke(layout.loader, new Request('http://localhost/tasks', { headers: { Cookie: cookie } }), {})).status).toBe(200)
        expect((await invoke(layout.loader, new Request('http://localhost/tasks', { headers: { Cookie: other } }), {})).status).toBe(302)
      }
    })

    it('batch import (.zip): staff and oversight 403 and nothing stored (oversight is read-only); a supervisor imports into its own unit; another tree cannot open the batch', async () => {
      const mod = (await import(path.join(ROUTES_DIR, '_app.reports.import.tsx'))) as Required<RouteModule>
      const { zipSync } = await import('fflate')
      const zip = zipSync({
        '导入/a.txt': new TextEncoder().encode(`某局2024年政府信息公开工作年度报告 矩阵导入 ${Date.now()}\n存在的主要问题：更新不及时。`),
      })
      const post = (actor: Actor) => {
        const f = new FormData()
        f.append('intent', 'import')
        f.append('file', new File([zip], '矩阵.zip', { type: 'application/zip' }))
        return invoke(mod.action, pageRequest('http://localhost/reports/import', actor, f), {})
      }
      const before = await snapshot()
      expect((await post('staff')).status).toBe(403)
      expect((await post('oversight')).status).toBe(403)
      expect(await snapshot()).toBe(before)
      const done = await post('supervisor')
      expect(done.status).toBe(302)
      expect(done.toast).toMatch(/已开始导入/)
      const batchId = new URL(done.location!, 'http://localhost').searchParams.get('batch')!
      const stored = await db
        .selectFrom('import_batch_items')
        .innerJoin('reports', 'reports.id', 'import_batch_items.report_id')
        .select(['reports.unit_id', 'reports.uploaded_by'])
        .where('batch_id', '=', batchId)
        .execute()
      expect(stored).toEqual([{ unit_id: (await sessionUserOf('supervisor')).unitId, uploaded_by: ids.supervisor }])
      const view = (actor: Actor) => invoke(mod.loader, pageRequest(`http://localhost/reports/import?batch=${batchId}`, actor), {})
      expect((await view('supervisor')).status).toBe(200)
      expect((await view('oversight')).status).toBe(403)
      expect((await view('othersup')).status).toBe(404)
      expect((await view('staff')).status).toBe(403)
    })

    it('report confirmation: staff and oversight 403, the other tree 404, the supervisor creates the tasks once', async () => {
      const mod = (await import(path.join(ROUTES_DIR, '_app.reports.$reportId.tsx'))) as Required<RouteModule>
      const t = await makeTarget('示范市发展和改革委员会', 'staff', 'supervisor')
      // staff sees reports of their own unit, but may not confirm them
      const url = `http://localhost/reports/${t.reportId}`
      const confirm = (actor: Actor, fields: Record<string, string> = { confirmed: 'yes', unownedSeen: '2' }) =>
        invoke(
          mod.action,
          pageRequest(
            url,
            actor,
            (() => {
              const f = new FormData()
              f.append('intent', 'confirm')
              for (const [k, v] of Object.entries(fields)) f.append(k, v)
              return f
            })(),
          ),
          { reportId: t.reportId },
        )
      const before = await snapshot()
      expect((await confirm('staff')).status).toBe(403)
      expect((await confirm('oversight')).status).toBe(403)
      expect((await confirm('othersup')).status).toBe(404)
      expect(await snapshot()).toBe(before)
      // the first post only asks: what confirming will make, and the two items nobody owns yet
      const asked = await confirm('supervisor', {})
      expect(asked.status).toBe(200)
      expect(JSON.parse(asked.text).confirmStep).toMatchObject({ total: 2, unowned: [{ title: '条目0' }, { title: '条目1' }] })
      // having seen fewer unowned items than there are now asks again
      expect(JSON.parse((await confirm('supervisor', { confirmed: 'yes', unownedSeen: '1' })).text).confirmStep.unowned).toHaveLength(2)
      expect(await snapshot()).toBe(before)
      expect((await confirm('supervisor')).status).toBe(302)
      expect((await confirm('supervisor')).status).toBe(302)
      const n = await db
        .selectFrom('tasks')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('report_id', '=', t.reportId)
        .executeTakeFirstOrThrow()
      expect(Number(n.n)).toBe(2)
    })

    it('settings: anyone (oversight too) manages their own tokens; nobody can revoke someone else’s', async () => {
      const mod = (await import(path.join(ROUTES_DIR, '_app.settings.tsx'))) as Required<RouteModule>
      const post = (actor: Actor, fields: Record<string, string>) => {
        const f = new FormData()
        for (const [k, v] of Object.entries(fields)) f.append(k, v)
        return invoke(mod.action, pageRequest('http://localhost/settings', actor, f), {})
      }
      const created = await post('oversight', { intent: 'create-token', name: '监督方脚本' })
      expect(created.status).toBe(200)
      const token = JSON.parse(created.text).created.token as string
      expect(token).toMatch(/^ft_[A-Za-z0-9_-]{43}$/)
      const row = await db.selectFrom('api_tokens').selectAll().where('name', '=', '监督方脚本').executeTakeFirstOrThrow()
      expect(row.user_id).toBe(ids.oversight)
      expect(row.token_hash).not.toContain(token.slice(3, 20)) // only the hash is stored
      const page = await invoke(mod.loader, pageRequest('http://localhost/settings', 'oversight'), {})
      expect(page.text).toContain('监督方脚本')
      expect(page.text).not.toContain(token)
      expect(leaks((await invoke(mod.loader, pageRequest('http://localhost/settings', 'supervisor'), {})).text, [row.id])).toEqual([])
      const before = await snapshot()
      for (const actor of ['admin', 'supervisor', 'staff', 'othersup'] as const)
        expect((await post(actor, { intent: 'revoke-token', tokenId: row.id })).status).toBe(404)
      expect(await snapshot()).toBe(before)
      expect((await post('oversight', { intent: 'revoke-token', tokenId: row.id })).status).toBe(302)
      expect(
        (await db.selectFrom('api_tokens').select('revoked_at').where('id', '=', row.id).executeTakeFirstOrThrow()).revoked_at,
      ).toEqual(expect.any(String))
      expect((await callApi('api.v1.tasks', 'GET', { token })).status).toBe(401)
      expect((await post('oversight', { intent: 'create-token', name: '' })).status).toBe(400)
    })

    it('follow-up decisions (queue, report and task pages): staff and oversight 403, the other tree 404, the supervisor decides once, then 409', async () => {
      const t = await makeTarget('示范市发展和改革委员会', 'staff', 'supervisor')
      const load = async (f: string) => (await import(path.join(ROUTES_DIR, f))) as Required<RouteModule>
      const [queue, report, task] = await Promise.all([
        load('_app.followup.tsx'),
        load('_app.reports.$reportId.tsx'),
        load('_app.tasks.$taskId.tsx'),
      ])
      const decide = (mod: Required<RouteModule>, url: string, params: Record<string, string>, actor: Actor) => {
        const f = new FormData()
        for (const [k, v] of Object.entries({ intent: 'followup', suggestionId: t.suggestionId, decision: 'confirm' })) f.append(k, v)
        return invoke(mod.action, pageRequest(url, actor, f), params)
      }
      const pages: Array<[Required<RouteModule>, string, Record<string, string>]> = [
        [queue, 'http://localhost/followup', {}],
        [report, `http://localhost/reports/${t.reportId}`, { reportId: t.reportId }],
        [task, `http://localhost/tasks/${t.pendingTaskId}`, { taskId: t.pendingTaskId }],
      ]
      const before = await snapshot()
      for (const [mod, url, params] of pages) {
        expect((await decide(mod, url, params, 'staff')).status, url).toBe(403)
        expect((await decide(mod, url, params, 'oversight')).status, url).toBe(403)
        expect((await decide(mod, url, params, 'othersup')).status, url).toBe(404)
      }
      expect(await snapshot()).toBe(before)
      expect((await invoke(queue.loader, pageRequest('http://localhost/followup', 'oversight'), {})).text).toContain(t.suggestionId)
      expect((await invoke(queue.loader, pageRequest('http://localhost/followup', 'staff'), {})).status).toBe(403)
      const decided = await decide(queue, pages[0][1], pages[0][2], 'supervisor')
      expect(decided.status).toBe(302)
      expect(decided.toast).toMatch(/已确认/)
      const again = await decide(task, pages[2][1], pages[2][2], 'supervisor')
      expect(again.status).toBe(409)
      expect(JSON.parse(again.text).error).toMatch(/已由他人处理/)
      const events = await db
        .selectFrom('task_events')
        .select('type')
        .where('task_id', '=', t.pendingTaskId)
        .where('type', '=', 'followup_evidence')
        .execute()
      expect(events).toHaveLength(1)
    })

    it('oversight views and exports: staff 403, each tree sees only its own agencies, another tree’s agency is not found', async () => {
      const load = async (f: string) => (await import(path.join(ROUTES_DIR, f))) as Required<RouteModule>
      const [overviewPage, agencyPage, exportRoute] = await Promise.all([
        load('_app.oversight._index.tsx'),
        load('_app.oversight.agencies.$agencyId.tsx'),
        load('oversight.export.ts'),
      ])
      const mainAgency = targets.main.agencyId
      const otherAgency = targets.other.agencyId
      for (const table of ['overview', 'compliance', 'missing', 'recurring']) {
        const url = `http://localhost/oversight/export?table=${table}&format=csv&from=2024&to=2024`
        expect((await invoke(exportRoute.loader, pageRequest(url, 'staff'), {})).status).toBe(403)
        const mine = await invoke(exportRoute.loader, pageRequest(url, 'othersup'), {})
        expect(mine.status).toBe(200)
        expect(mine.text).not.toContain('示范市')
      }
      const overviewCsv = (
        await invoke(
          exportRoute.loader,
          pageRequest('http://localhost/oversight/export?table=overview&format=csv&from=2024&to=2024', 'oversight'),
          {},
        )
      ).text
      expect(overviewCsv).toContain('矩阵测试局（示范市发展和改革委员会）')
      expect(overviewCsv).not.toContain('邻市')
      expect(
        (await invoke(overviewPage.loader, pageRequest('http://localhost/oversight?from=2024&to=2024', 'othersup'), {})).text,
      ).not.toContain('示范市')
      expect(
        (
          await invoke(agencyPage.loader, pageRequest(`http://localhost/oversight/agencies/${mainAgency}`, 'othersup'), {
            agencyId: mainAgency,
          })
        ).status,
      ).toBe(404)
      expect(
        (
          await invoke(agencyPage.loader, pageRequest(`http://localhost/oversight/agencies/${otherAgency}`, 'oversight'), {
            agencyId: otherAgency,
          })
        ).status,
      ).toBe(404)
      expect(
        (
          await invoke(agencyPage.loader, pageRequest(`http://localhost/oversight/agencies/${mainAgency}`, 'supervisor'), {
            agencyId: mainAgency,
          })
        ).status,
      ).toBe(200)
      const agencyCsv = await invoke(
        exportRoute.loader,
        pageRequest(`http://localhost/oversight/export?table=agency-years&format=csv&agency=${mainAgency}`, 'othersup'),
        {},
      )
      expect(agencyCsv.status).toBe(404)
      expect(
        (await invoke(exportRoute.loader, pageRequest('http://localhost/oversight/export?table=nope&format=csv', 'oversight'), {})).status,
      ).toBe(400)
    })

    it('search: every role finds only what is in scope; a unit filter outside it is not found', async () => {
      const mod = (await import(path.join(ROUTES_DIR, '_app.search.tsx'))) as Required<RouteModule>
      const find = (actor: Actor, params: Record<string, string>) =>
        invoke(mod.loader, pageRequest(`http://localhost/search?${new URLSearchParams(params)}`, actor), {})
      for (const q of ['矩阵测试', '条目', '矩', '问题一']) {
        const other = await find('othersup', { q })
        expect(other.status).toBe(200)
        expect(leaks(other.text, mainIds), q).toEqual([])
        expect(leaks((await find('staff', { q })).text, eduIds), q).toEqual([])
      }
      // the words are there: each tree finds its own (a report by its file name, which no other has)
      const filename = async (id: string) =>
        (await db.selectFrom('reports').select('filename').where('id', '=', id).executeTakeFirstOrThrow()).filename
      expect((await find('supervisor', { q: await filename(targets.main.reportId), kind: 'report' })).text).toContain(targets.main.reportId)
      expect((await find('othersup', { q: await filename(targets.other.reportId), kind: 'report' })).text).toContain(targets.other.reportId)
      expect((await find('othersup', { q: await filename(targets.main.reportId), kind: 'report' })).text).not.toContain(
        targets.main.reportId,
      )
      expect((await find('othersup', { q: '矩阵测试', unit: targets.main.unitId })).status).toBe(404)
      expect((await find('staff', { q: '矩阵测试', unit: targets.edu.unitId })).status).toBe(404)
    })
  })
})

// ─── The matrix catches a route that forgets the scope helper ────────────────────────────────────
// Every file in app/routes is run through the checks above (the list is read from the directory,
// and an API file missing from API_CASES fails on its own). Here the same checks are given routes
// written the way a hurried change would write them, reading or writing a record by its id alone,
// and must fail; the same routes written with the scope helpers pass.

describe('a new route that forgets the scope helper is caught', () => {
  const caught = async (check: Promise<void>) => {
    const err = await check.then(
      () => null,
      (e: unknown) => e,
    )
    expect(err, 'the matrix let an unscoped route through').toBeInstanceOf(Error)
    expect((err as Error).name).toBe('AssertionError')
  }

  it('every parameter of a page route names a record the matrix fills in, so no new record type is checked leniently', () => {
    for (const file of pageFiles.filter(f => !PUBLIC.has(routeId(f)))) {
      for (const name of paramNames(file)) expect(paramValue(name, targets.main), `${file}: $${name} (add it to paramValue)`).not.toBeNull()
    }
  })

  it('a page loader that reads a task by its id alone fails; the same page through getTaskForUser passes', async () => {
    const { json } = await import('@remix-run/node')
    const { requireUser } = await import('../../app/auth/session.server')
    const { getTaskForUser } = await import('../../app/tasks/tasks.server')
    const file = '_app.tasks.$taskId_.summary.tsx' // not on disk: a route someone might add
    const leaky: RouteModule = {
      loader: async ({ request, params }) => {
        await requireUser(request, 'task:read')
        return json({ task: await db.selectFrom('tasks').selectAll().where('id', '=', params.taskId).executeTakeFirst() })
      },
    }
    await caught(checkLoaderScope(leaky, file))
    const scoped: RouteModule = {
      loader: async ({ request, params }) => {
        const user = await requireUser(request, 'task:read')
        const found = await getTaskForUser(db, { id: params.taskId, user })
        if (!found) throw new Response('Not Found', { status: 404 })
        return json({ task: found.task })
      },
    }
    await checkLoaderScope(scoped, file)
  })

  it('a page loader that lists tasks without the scope fails (another tree’s ids leak); with taskVisible it passes', async () => {
    const { json } = await import('@remix-run/node')
    const { requireUser } = await import('../../app/auth/session.server')
    const { taskVisible } = await import('../../app/auth/scope.server')
    const file = '_app.tasks.everything.tsx'
    const list = (scopedList: boolean): RouteModule => ({
      loader: async ({ request }) => {
        const user = await requireUser(request, 'task:read')
        let q = db.selectFrom('tasks').innerJoin('units', 'units.id', 'tasks.unit_id').select(['tasks.id', 'tasks.title'])
        if (scopedList) q = q.where(taskVisible(user))
        return json({ tasks: await q.execute() })
      },
    })
    await caught(checkLoaderScope(list(false), file))
    await checkLoaderScope(list(true), file)
  })

  it('a page action that changes a task by its id alone fails (another tree’s task changes); through updateTask it passes', async () => {
    const { json } = await import('@remix-run/node')
    const { requireUser } = await import('../../app/auth/session.server')
    const { updateTask } = await import('../../app/tasks/workflow.server')
    const { AppError } = await import('../../app/errors')
    const file = '_app.tasks.$taskId_.priority.tsx'
    const src = '<input type="hidden" name="intent" value="priority" />'
    const leaky: RouteModule = {
      action: async ({ request, params }) => {
        await requireUser(request, 'task:update')
        await db
          .updateTable('tasks')
          .set({ priority: 'high', updated_at: new Date().toISOString() })
          .where('id', '=', params.taskId)
          .execute()
        return json({ ok: true })
      },
    }
    // a fresh copy of the main tree's work, so the priority the leaky route sets is a change
    const t = await makeTarget('示范市发展和改革委员会', 'staff', 'supervisor')
    await db.updateTable('tasks').set({ priority: 'low' }).where('id', '=', t.taskId).execute()
    const saved = targets.main
    targets.main = t
    try {
      await caught(checkActionScope(leaky, file, src))
      const scoped: RouteModule = {
        action: async ({ request, params }) => {
          const user = await requireUser(request, 'task:update')
          try {
            await updateTask(db, user, params.taskId, { priority: 'high' })
          } catch (e) {
            if (e instanceof AppError) return json({ error: e.message }, { status: e.status })
            throw e
          }
          return json({ ok: true })
        },
      }
      await checkActionScope(scoped, file, src)
    } finally {
      targets.main = saved
    }
  })
})
