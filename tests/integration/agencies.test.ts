// The administrator's merge and split of agencies, on real databases: a merge links the two
// agencies' years once the follow-up step runs again; a split removes the link and the pending
// suggestions and is never undone by the next report of that name; only administrators may do either.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createUnit, createUser } from '../../app/org/org.server'
import {
  fileAgency,
  mergeAgencies,
  resolveAgency,
  searchAgencies,
  splitAgency,
  type AgencyChange,
} from '../../app/agencies/registry.server'
import { runFollowUp } from '../../app/followup/link.server'
import { processReport, storeReport } from '../../app/reports/reports.server'
import type { Actor } from '../../app/auth/scope'
import { createTestDb, engines, type TestDb } from '../support/db'

const pair = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/pairs', name))
/** The same report with its agency's name replaced (a renamed agency, or another one). */
const renamed = (name: string, from: string, to: string) => Buffer.from(pair(name).toString('utf8').replaceAll(from, to))

describe.each(engines)('agency merge and split on %s', engine => {
  let t: TestDb
  let unitId: string
  let admin: Actor
  let supervisor: Actor

  beforeEach(async () => {
    t = await createTestDb(engine)
    const unit = await createUnit(t.db, { name: '市政务公开办' })
    unitId = unit.id
    const path = (await t.db.selectFrom('units').select('path').where('id', '=', unitId).executeTakeFirstOrThrow()).path
    const mk = async (username: string, role: 'admin' | 'supervisor') => ({
      id: (await createUser(t.db, { username, displayName: username, password: 'password-1', role, unitId })).id,
      role,
      unitId,
      unitPath: path,
    })
    admin = await mk('admin', 'admin')
    supervisor = await mk('sup', 'supervisor')
  })
  afterEach(() => t.cleanup())

  const ingest = async (name: string, bytes = pair(name)) => {
    const { report } = await storeReport(t.db, { bytes, filename: name, unitId, uploadedBy: null })
    expect(await processReport(t.db, report.id)).toBe('extracted')
    expect(await runFollowUp(t.db, report.id)).toMatchObject({ done: true })
    return report.id
  }
  /** What the follow-up jobs a merge or split queues do. */
  const runFollowUps = async (change: AgencyChange) => {
    for (const r of change.followUps) expect(await runFollowUp(t.db, r.reportId)).toMatchObject({ done: true })
  }
  const agencyOf = async (id: string) =>
    (await t.db.selectFrom('reports').select('agency_id').where('id', '=', id).executeTakeFirstOrThrow()).agency_id!
  const links = async () =>
    (await t.db.selectFrom('report_links').select(['earlier_report_id', 'later_report_id']).execute()).map(l => [
      l.earlier_report_id,
      l.later_report_id,
    ])
  const suggestions = () => t.db.selectFrom('followup_suggestions').select(['id', 'status', 'dedupe_key']).orderBy('dedupe_key').execute()
  const followUpDue = async (id: string) =>
    (await t.db.selectFrom('reports').select('followup_done_at').where('id', '=', id).executeTakeFirstOrThrow()).followup_done_at === null
  /** Everything a merge or split may touch. */
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all([
        t.db.selectFrom('agencies').selectAll().orderBy('id').execute(),
        t.db.selectFrom('agency_aliases').selectAll().orderBy('id').execute(),
        t.db.selectFrom('agency_distinct').selectAll().orderBy('agency_a').execute(),
        t.db.selectFrom('reports').select(['id', 'agency_id', 'followup_done_at', 'followup_generation']).orderBy('id').execute(),
        t.db.selectFrom('report_links').selectAll().orderBy('earlier_report_id').execute(),
        t.db.selectFrom('followup_suggestions').selectAll().orderBy('id').execute(),
      ]),
    )

  it('two forms of one name resolved at the same moment, in two transactions, file under one agency', async () => {
    const resolveSlowly = (name: string) =>
      t.db.transaction().execute(async trx => {
        // The resolution, then more work before the commit (the lock is held until then).
        const id = await resolveAgency(trx, name)
        await new Promise(r => setTimeout(r, 100))
        return id
      })
    const [a, b] = await Promise.all([resolveSlowly('常德市人民政府政务服务中心'), resolveSlowly('常德市政务服务中心')])
    expect(a).toBeTruthy()
    expect(b).toBe(a)
    expect(await t.db.selectFrom('agencies').select('id').execute()).toHaveLength(1)
  })

  it('new names filed at the same moment, as the workers do: forms of one agency get one, another place its own', async () => {
    const names = ['常德市人民政府政务服务中心', '常德市政务服务中心', '桃源县政务服务中心', '常德市人民政府政务服务中心', '我局']
    const ids = await Promise.all(names.map(n => fileAgency(t.db, n)))
    expect(ids[0]).toBeTruthy()
    expect([ids[1], ids[3]]).toEqual([ids[0], ids[0]])
    expect(ids[2]).toBeTruthy()
    expect(ids[2]).not.toBe(ids[0])
    expect(ids[4]).toBeNull()
    expect(await t.db.selectFrom('agencies').select('id').execute()).toHaveLength(2)
    // Filed names are read again without resolving.
    expect(await fileAgency(t.db, '常德市政务服务中心')).toBe(ids[0])
  })

  it('merge: a renamed agency’s report joins the old one, the two years are linked, the old name is an admin alias', async () => {
    const earlier = await ingest('changde_2017.txt')
    const later = await ingest('renamed_2018.txt', renamed('made_changde_2018.txt', '常德市政务服务中心', '常德市行政审批服务局'))
    const [a, b] = [await agencyOf(earlier), await agencyOf(later)]
    expect(a).not.toBe(b)
    expect(await links()).toEqual([])

    const before = await snapshot()
    await expect(mergeAgencies(t.db, supervisor, { intoId: a, fromId: b })).rejects.toMatchObject({ status: 403 })
    await expect(mergeAgencies(t.db, admin, { intoId: a, fromId: a })).rejects.toMatchObject({ status: 400 })
    await expect(mergeAgencies(t.db, admin, { intoId: a, fromId: 'no-such-agency' })).rejects.toMatchObject({ status: 404 })
    expect(await snapshot()).toBe(before)

    const change = await mergeAgencies(t.db, admin, { intoId: a, fromId: b })
    expect(change.agencyId).toBe(a)
    expect(change.followUps.map(r => r.reportId).sort()).toEqual([earlier, later].sort())
    expect(await followUpDue(earlier)).toBe(true)
    expect(await agencyOf(later)).toBe(a)
    expect(await t.db.selectFrom('agencies').select('id').execute()).toEqual([{ id: a }])
    expect(await t.db.selectFrom('agency_aliases').select(['alias', 'source']).where('agency_id', '=', a).execute()).toEqual([
      { alias: '常德市行政审批服务局', source: 'admin' },
    ])

    await runFollowUps(change)
    expect(await links()).toEqual([[earlier, later]])
    expect((await suggestions()).length).toBeGreaterThan(0)
    expect(await followUpDue(later)).toBe(false)
    // the next report under the merged name is filed with the agency
    expect(await resolveAgency(t.db, '常德市行政审批服务局')).toBe(a)
    const { agencies } = await searchAgencies(t.db, admin, '行政审批')
    expect(agencies.map(x => [x.id, x.reports.map(r => r.year)])).toEqual([[a, [2017, 2018]]])
  })

  it('split: the link and the pending suggestions go (decided ones stay), and the next report of that name is not re-merged', async () => {
    const earlier = await ingest('changde_2017.txt')
    const later = await ingest('made_changde_2018.txt')
    const a = await agencyOf(earlier)
    expect(await agencyOf(later)).toBe(a) // filed together by the name match (常德市人民政府政务服务中心 / 常德市政务服务中心)
    expect(await links()).toEqual([[earlier, later]])
    const found = await suggestions()
    expect(found.length).toBeGreaterThan(1)
    // a supervisor already decided one: it is history on the timelines and stays
    await t.db
      .updateTable('followup_suggestions')
      .set({ status: 'rejected', decided_by: supervisor.id, decided_at: new Date().toISOString() })
      .where('id', '=', found[0].id)
      .execute()

    const before = await snapshot()
    await expect(
      splitAgency(t.db, supervisor, { agencyId: a, reportIds: [later], aliasIds: [], newName: '常德市政务服务中心' }),
    ).rejects.toMatchObject({ status: 403 })
    await expect(
      splitAgency(t.db, admin, { agencyId: a, reportIds: [], aliasIds: [], newName: '常德市政务服务中心' }),
    ).rejects.toMatchObject({ status: 400 })
    await expect(
      splitAgency(t.db, admin, { agencyId: a, reportIds: ['not-a-report'], aliasIds: [], newName: '常德市政务服务中心' }),
    ).rejects.toMatchObject({ status: 400 })
    await expect(
      splitAgency(t.db, admin, { agencyId: a, reportIds: [later], aliasIds: [], newName: '常德市人民政府政务服务中心' }),
    ).rejects.toMatchObject({ status: 400 })
    expect(await snapshot()).toBe(before)

    const change = await splitAgency(t.db, admin, { agencyId: a, reportIds: [later], aliasIds: [], newName: '常德市政务服务中心' })
    const c = change.agencyId
    expect(c).not.toBe(a)
    expect(await agencyOf(later)).toBe(c)
    expect(await agencyOf(earlier)).toBe(a)
    // the name the report carried went with it: it is the new agency's own name, no longer A's alias
    expect(await t.db.selectFrom('agency_aliases').select('alias').where('agency_id', '=', a).execute()).toEqual([])
    expect(await t.db.selectFrom('agency_distinct').select(['agency_a', 'agency_b']).execute()).toEqual([
      { agency_a: a < c ? a : c, agency_b: a < c ? c : a },
    ])
    expect(await links()).toEqual([])
    expect((await suggestions()).map(s => [s.id, s.status])).toEqual([[found[0].id, 'rejected']])

    await runFollowUps(change)
    expect(await links()).toEqual([])
    expect(await suggestions()).toHaveLength(1)

    // The next report of that name (here: the same report sent again as another file) goes to C,
    // and is not linked with A's 2017 report.
    const again = await ingest('made_changde_2018_again.txt', Buffer.concat([pair('made_changde_2018.txt'), Buffer.from('\n')]))
    expect(await agencyOf(again)).toBe(c)
    expect(await links()).toEqual([])
    expect(
      await t.db
        .selectFrom('agencies')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 2 })

    // A merge overrules the split: the years are linked again, the decided suggestion is kept once.
    const back = await mergeAgencies(t.db, admin, { intoId: a, fromId: c })
    await runFollowUps(back)
    expect((await links()).sort()).toEqual(
      [
        [earlier, again],
        [earlier, later],
      ].sort(),
    )
    expect(await t.db.selectFrom('agency_distinct').selectAll().execute()).toEqual([])
    const after = await suggestions()
    expect(after.filter(s => s.id === found[0].id)).toEqual([expect.objectContaining({ status: 'rejected' })])
    expect(new Set(after.map(s => s.dedupe_key)).size).toBe(after.length)
  })

  it('split into an existing agency: an alias moves, the pair is kept apart, a name owned elsewhere is refused', async () => {
    const earlier = await ingest('changde_2017.txt')
    const later = await ingest('made_changde_2018.txt')
    const suixi = await ingest('suixi_2018.txt')
    const [a, s] = [await agencyOf(earlier), await agencyOf(suixi)]
    const alias = await t.db.selectFrom('agency_aliases').select(['id', 'alias']).where('agency_id', '=', a).executeTakeFirstOrThrow()
    expect(alias.alias).toBe('常德市政务服务中心')
    const before = await snapshot()
    await expect(
      splitAgency(t.db, admin, { agencyId: a, reportIds: [later], aliasIds: [], newName: '遂溪县政务服务中心' }),
    ).rejects.toMatchObject({ status: 409 })
    await expect(splitAgency(t.db, admin, { agencyId: a, reportIds: [suixi], aliasIds: [], intoId: s })).rejects.toMatchObject({
      status: 400,
    })
    await expect(splitAgency(t.db, admin, { agencyId: a, reportIds: [later], aliasIds: [], intoId: a })).rejects.toMatchObject({
      status: 400,
    })
    expect(await snapshot()).toBe(before)

    const change = await splitAgency(t.db, admin, { agencyId: a, reportIds: [], aliasIds: [alias.id], intoId: s })
    expect(change.agencyId).toBe(s)
    expect(
      await t.db.selectFrom('agency_aliases').select(['agency_id', 'source']).where('id', '=', alias.id).executeTakeFirstOrThrow(),
    ).toEqual({ agency_id: s, source: 'admin' })
    expect(await resolveAgency(t.db, '常德市政务服务中心')).toBe(s)
    // reports stay where they were: only the name moved
    expect(await agencyOf(later)).toBe(a)
    expect(change.followUps.map(r => r.reportId).sort()).toEqual([earlier, later, suixi].sort())
  })
})
