// The /admin/agencies page: only the administrator sees it or posts to it (a forged POST by anyone
// else is refused and changes nothing); a merge there queues the follow-up jobs of the affected
// reports on the real Redis.
import fs from 'node:fs'
import path from 'node:path'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request, sessionCookieFor, statusOf, toastOf, useFreshAppDatabase } from '../support/app'
import { deletePrefix, TEST_REDIS_URL } from '../support/redis'

const dir = useFreshAppDatabase()
const prefix = `fttest-agencies-${process.pid}`
process.env.QUEUE_PREFIX = prefix
process.env.REDIS_URL = TEST_REDIS_URL

type Fn = (a: any) => Promise<unknown>
let route: { loader: Fn; action: Fn }
let db: (typeof import('../../app/db.server'))['db']
let cookies: Record<string, string>
let earlier: string, later: string

const pair = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/pairs', name))

beforeAll(async () => {
  db = (await import('../../app/db.server')).db
  const { migrateToLatest } = await import('../../db/db')
  const { seedDemo } = await import('../../app/org/demo.server')
  const { processReport, storeReport } = await import('../../app/reports/reports.server')
  const { runFollowUp } = await import('../../app/followup/link.server')
  await migrateToLatest(db)
  await seedDemo(db, { password: 'demo-pass-1', fixturesDir: `${dir}/none` })
  const users = await db.selectFrom('users').select(['id', 'username', 'unit_id']).execute()
  cookies = {}
  for (const u of users) cookies[u.username] = await sessionCookieFor(u.id)
  const unitId = users.find(u => u.username === 'admin')!.unit_id
  const ingest = async (name: string, bytes: Buffer) => {
    const { report } = await storeReport(db, { bytes, filename: name, unitId, uploadedBy: null })
    await processReport(db, report.id)
    await runFollowUp(db, report.id)
    return report.id
  }
  earlier = await ingest('changde_2017.txt', pair('changde_2017.txt'))
  later = await ingest(
    'renamed_2018.txt',
    Buffer.from(pair('made_changde_2018.txt').toString('utf8').replaceAll('常德市政务服务中心', '常德市行政审批服务局')),
  )
  route = await import('../../app/routes/_app.admin.agencies')
})

afterAll(async () => {
  await deletePrefix(prefix)
})

const agencyOf = async (id: string) =>
  (await db.selectFrom('reports').select('agency_id').where('id', '=', id).executeTakeFirstOrThrow()).agency_id!
const snapshot = async () =>
  JSON.stringify(
    await Promise.all([
      db.selectFrom('agencies').selectAll().orderBy('id').execute(),
      db.selectFrom('agency_aliases').selectAll().orderBy('id').execute(),
      db.selectFrom('agency_distinct').selectAll().orderBy('agency_a').execute(),
      db.selectFrom('reports').select(['id', 'agency_id', 'followup_done_at', 'followup_generation']).orderBy('id').execute(),
      db.selectFrom('report_links').selectAll().orderBy('earlier_report_id').execute(),
      db.selectFrom('followup_suggestions').selectAll().orderBy('id').execute(),
    ]),
  )
const call = async (fn: Fn, url: string, cookie?: string, form?: Record<string, string>) => {
  try {
    const res = (await fn({ request: request(url, { cookie, form }), params: {}, context: {} })) as Response
    return { status: res.status, body: await res.json().catch(() => null), toast: toastOf(res) }
  } catch (e) {
    if (e instanceof Response) return { status: e.status, body: null }
    throw e
  }
}

describe('/admin/agencies', () => {
  it('only the administrator sees the page; signed out goes to the login page', async () => {
    for (const role of ['supervisor', 'staff', 'oversight'])
      expect(
        await statusOf(() => route.loader({ request: request('/admin/agencies', { cookie: cookies[role] }), params: {}, context: {} })),
      ).toBe(403)
    expect(await statusOf(() => route.loader({ request: request('/admin/agencies'), params: {}, context: {} }))).toBe(302)
    const page = await call(route.loader, '/admin/agencies?q=常德', cookies.admin)
    expect(page.status).toBe(200)
    expect(page.body.agencies.map((a: any) => [a.name, a.reports.map((r: any) => r.year)]).sort()).toEqual([
      ['常德市人民政府政务服务中心', [2017]],
      ['常德市行政审批服务局', [2018]],
    ])
  })

  it('a forged merge or split by anyone but the administrator is refused and changes nothing', async () => {
    const [a, b] = [await agencyOf(earlier), await agencyOf(later)]
    const before = await snapshot()
    for (const role of ['supervisor', 'staff', 'oversight']) {
      expect((await call(route.action, '/admin/agencies', cookies[role], { intent: 'merge', fromId: b, intoId: a })).status).toBe(403)
      expect(
        (
          await call(route.action, '/admin/agencies', cookies[role], {
            intent: 'split',
            agencyId: a,
            reportIds: earlier,
            target: 'new',
            newName: '常德市某中心',
          })
        ).status,
      ).toBe(403)
    }
    expect((await call(route.action, '/admin/agencies', undefined, { intent: 'merge', fromId: b, intoId: a })).status).toBe(302)
    expect(await snapshot()).toBe(before)
  })

  it('the administrator’s merge answers in Chinese, and queues the follow-up of both reports', async () => {
    const [a, b] = [await agencyOf(earlier), await agencyOf(later)]
    const bad = await call(route.action, '/admin/agencies', cookies.admin, { intent: 'merge', fromId: b })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/[\u4e00-\u9fff]/)
    const res = await call(route.action, '/admin/agencies', cookies.admin, { intent: 'merge', fromId: b, intoId: a })
    expect(res.status).toBe(302)
    expect(res.toast).toMatch(/已合并/)
    expect(await agencyOf(later)).toBe(a)
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
    const queue = new Queue('followup', { connection, prefix })
    try {
      for (const id of [earlier, later]) {
        const { followup_generation } = await db
          .selectFrom('reports')
          .select('followup_generation')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
        const job = await queue.getJob(`followup-${id}-${followup_generation}`)
        expect(job?.data).toEqual({ reportId: id, generation: followup_generation })
      }
    } finally {
      await queue.close()
      await connection.quit()
    }
  })
})
