// Public progress pages against real databases: a supervisor in scope publishes a confirmed report;
// the page, its print view and its Atom feed answer without login and show the items, status,
// progress, close-out dates and evidence titles, never people, files, addresses or internal ids;
// after withdrawal all three answer 404; publishing and withdrawing are report events.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../app/errors'
import { loadPublicProgress, publishReport, withdrawPublication } from '../../app/publish/publish.server'
import { createTestDb, engines, type TestDb } from '../support/db'
import { buildPaperworkWorld, type PaperworkWorld } from '../support/paperwork'
import { request, sessionCookieFor, statusOf, toastOf, useFreshAppDatabase } from '../support/app'

useFreshAppDatabase()

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 0,
    (e: unknown) => (e instanceof AppError ? e.status : -1),
  )

describe.each(engines)('public progress on %s', engine => {
  let t: TestDb
  let w: PaperworkWorld
  beforeAll(async () => {
    t = await createTestDb(engine)
    w = await buildPaperworkWorld(t.db)
  })
  afterAll(() => t.cleanup())

  it('publishes once per report, shows only the public view, and withdraws', async () => {
    expect(await refusal(publishReport(t.db, w.staff, w.earlierReportId))).toBe(403)
    expect(await refusal(publishReport(t.db, w.otherSup, w.earlierReportId))).toBe(404)
    const { token, created } = await publishReport(t.db, w.sup, w.earlierReportId)
    expect(created).toBe(true)
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(await publishReport(t.db, w.sup, w.earlierReportId)).toEqual({ token, created: false })
    const view = (await loadPublicProgress(t.db, token))!
    expect(view.heading).toBe('示范市教育局2023年政府信息公开工作年度报告所列问题整改进展')
    expect(view.items.map(i => [i.title, i.statusLabel])).toEqual([
      ['政务公开栏目更新不及时', '已销号'],
      ['依申请公开答复质量有待提高', '进行中'],
      ['建立栏目更新台账', '待核验'],
      ['加强答复文书培训', '待分派'],
      ['持续做好政策解读', '长期坚持'],
    ])
    expect(view.items[0]).toMatchObject({
      progress: 100,
      closedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      evidence: ['栏目检查记录'],
    })
    expect(view.items[2].evidence).toEqual(['栏目整改情况公告'])
    expect(view.totals).toEqual({ all: 5, closed: 1, ongoing: 1, open: 3, percent: 20 })
    const text = JSON.stringify(view)
    for (const secret of [...w.people, 'example.gov.cn', '.pdf', w.earlierReportId, ...w.earlierTasks, w.sup.unitId])
      expect(text).not.toContain(secret)
    expect(
      await loadPublicProgress(
        t.db,
        token.replace(/.$/, c => (c === 'A' ? 'B' : 'A')),
      ),
    ).toBeNull()
    expect(await refusal(withdrawPublication(t.db, w.otherSup, w.earlierReportId))).toBe(404)
    expect(await withdrawPublication(t.db, w.sup, w.earlierReportId)).toEqual({ withdrawn: true })
    expect(await loadPublicProgress(t.db, token)).toBeNull()
    expect(await withdrawPublication(t.db, w.sup, w.earlierReportId)).toEqual({ withdrawn: false })
    const events = await t.db
      .selectFrom('report_events')
      .select(['type', 'actor_id'])
      .where('report_id', '=', w.earlierReportId)
      .orderBy('created_at')
      .execute()
    expect(events).toEqual([
      { type: 'published', actor_id: w.sup.id },
      { type: 'withdrawn', actor_id: w.sup.id },
    ])
    // published again: a new address, the old one stays dead
    const again = await publishReport(t.db, w.sup, w.earlierReportId)
    expect(again.token).not.toBe(token)
    expect(await loadPublicProgress(t.db, token)).toBeNull()
  })
})

describe('public progress routes', () => {
  let w: PaperworkWorld
  let supCookie: string
  const load = async <T>(f: string) =>
    (await import(path.resolve(__dirname, '../../app/routes', `${f}.${f.startsWith('p.') && f.endsWith('feed') ? 'ts' : 'tsx'}`))) as T
  type Route = { loader: (a: any) => Promise<unknown>; action?: (a: any) => Promise<unknown> }
  beforeAll(async () => {
    const { db } = await import('../../app/db.server')
    const { migrateToLatest } = await import('../../db/db')
    await migrateToLatest(db)
    w = await buildPaperworkWorld(db)
    supCookie = await sessionCookieFor(w.sup.id)
  })

  it('signed out: the page, print view and feed show the published progress, cached; after withdrawal 404', async () => {
    const manage = await load<Route>('_app.reports.$reportId_.publish')
    const [page, print, feed] = await Promise.all([load<Route>('p.$token'), load<Route>('p.$token_.print'), load<Route>('p.$token_.feed')])
    const params = { reportId: w.earlierReportId }
    const published = (await manage.action!({
      request: request(`/reports/${w.earlierReportId}/publish`, { cookie: supCookie, form: { intent: 'publish' } }),
      params,
      context: {},
    })) as Response
    expect(published.status).toBe(302)
    expect(toastOf(published)).toContain('已公开')
    const status = (await manage.loader({
      request: request(`/reports/${w.earlierReportId}/publish`, { cookie: supCookie }),
      params,
      context: {},
    })) as Response
    const path = (await status.json()).path as string
    const token = path.split('/')[2]
    const get = (route: Route, url: string) => route.loader({ request: request(url), params: { token }, context: {} }) as Promise<Response>
    const html = await get(page, path)
    expect(html.headers.get('Cache-Control')).toBe('public, max-age=60')
    const body = JSON.stringify(await html.json())
    expect(body).toContain('政务公开栏目更新不及时')
    expect(body).toContain('栏目检查记录')
    for (const secret of [...w.people, 'example.gov.cn', w.earlierReportId, ...w.earlierTasks, '/evidence/'])
      expect(body).not.toContain(secret)
    expect(JSON.stringify(await (await get(print, `${path}/print`)).json())).toContain('持续做好政策解读')
    const atom = await get(feed, `${path}/feed`)
    expect(atom.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8')
    expect(atom.headers.get('Cache-Control')).toBe('public, max-age=300')
    const xml = await atom.text()
    expect(xml).toContain('<title>已销号：政务公开栏目更新不及时</title>')
    expect(xml.match(/<entry>/g)).toHaveLength(1)
    for (const secret of [...w.people, ...w.earlierTasks]) expect(xml).not.toContain(secret)
    await manage.action!({
      request: request(`/reports/${w.earlierReportId}/publish`, { cookie: supCookie, form: { intent: 'withdraw' } }),
      params,
      context: {},
    })
    for (const [route, url] of [
      [page, path],
      [print, `${path}/print`],
      [feed, `${path}/feed`],
    ] as const)
      expect(await statusOf(() => get(route, url))).toBe(404)
  })
})
