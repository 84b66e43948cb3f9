// When a report is extracted, its follow-up step (a job of its own) files it with its agency's
// neighbouring years and stores the follow-up engine's findings as pending suggestions — once,
// whichever report arrives first, and even if the worker died right after the extraction commit.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Redis } from 'ioredis'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createUnit } from '../../app/org/org.server'
import { followUp, type ReportForFollowUp } from '../../app/followup/index'
import { linkReport, runFollowUp } from '../../app/followup/link.server'
import { processReport, storeReport } from '../../app/reports/reports.server'
import { createReportsQueue, enqueueReportProcessing } from '../../app/jobs/queues.server'
import { startFollowupWorker } from '../../workers/followup-worker'
import { startReportsWorker } from '../../workers/reports-worker'
import { createTestDb, engines, uniquePrefix, type TestDb } from '../support/db'
import { deletePrefix, TEST_REDIS_URL, waitFor } from '../support/redis'

const pair = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/pairs', name))

describe.each(engines)('follow-up linking on %s', engine => {
  let t: TestDb
  let unitId: string
  beforeEach(async () => {
    t = await createTestDb(engine)
    unitId = (await createUnit(t.db, { name: '市政务公开办' })).id
  })
  afterEach(() => t.cleanup())

  /** Extraction, then the follow-up step exactly as the follow-up job runs it. */
  const ingest = async (name: string, bytes = pair(name), unit = unitId) => {
    const { report } = await storeReport(t.db, { bytes, filename: name, unitId: unit, uploadedBy: null })
    expect(await processReport(t.db, report.id)).toBe('extracted')
    expect(await runFollowUp(t.db, report.id)).toMatchObject({ done: true })
    return report.id
  }
  /** The same report with its agency's name replaced: another agency, near-identical wording. */
  const renamed = (name: string, from: string, to: string) => Buffer.from(pair(name).toString('utf8').replaceAll(from, to))
  const agencyOf = async (id: string) =>
    (await t.db.selectFrom('reports').select('agency_id').where('id', '=', id).executeTakeFirstOrThrow()).agency_id
  const suggestions = () =>
    t.db
      .selectFrom('followup_suggestions')
      .innerJoin('report_items', 'report_items.id', 'followup_suggestions.earlier_item_id')
      .select([
        'followup_suggestions.kind',
        'followup_suggestions.passage',
        'followup_suggestions.later_report_id',
        'followup_suggestions.status',
        'report_items.text as earlier_text',
      ])
      .execute()

  it('a pair is compared once: the second report’s step finds the link the first one made and does not compare again', async () => {
    const compared: string[] = []
    const counting = {
      compare: (earlier: ReportForFollowUp, later: ReportForFollowUp) => (
        compared.push(`${earlier.extraction.year}→${later.extraction.year}`),
        followUp(earlier, later)
      ),
    }
    const extract = async (name: string) => {
      const { report } = await storeReport(t.db, { bytes: pair(name), filename: name, unitId, uploadedBy: null })
      expect(await processReport(t.db, report.id)).toBe('extracted')
      return report.id
    }
    // Both extracted before either step runs (a batch import): each step sees the other.
    const earlier = await extract('changde_2017.txt')
    const later = await extract('made_changde_2018.txt')
    expect(await runFollowUp(t.db, earlier, counting)).toMatchObject({ links: 1, done: true })
    expect(compared).toEqual(['2017→2018'])
    const stored = (await suggestions()).length
    expect(stored).toBeGreaterThan(0)
    expect(await runFollowUp(t.db, later, counting)).toMatchObject({ links: 0, suggestions: 0, done: true })
    expect(compared).toEqual(['2017→2018'])
    expect(await suggestions()).toHaveLength(stored)
  })

  it('links consecutive years of one agency (later report first) and stores evidence and recurrences once', async () => {
    const later = await ingest('made_changde_2018.txt')
    const earlier = await ingest('changde_2017.txt')
    const links = await t.db.selectFrom('report_links').selectAll().execute()
    expect(links.map(l => [l.earlier_report_id, l.later_report_id])).toEqual([[earlier, later]])
    const found = await suggestions()
    const evidence = found.filter(s => s.kind === 'evidence')
    expect(evidence.some(s => s.earlier_text.includes('市民之家') && s.passage!.includes('市民之家'))).toBe(true)
    expect(evidence.some(s => s.earlier_text.includes('中介服务') && s.passage!.includes('中介'))).toBe(true)
    expect(found.filter(s => s.kind === 'recurring').length).toBeGreaterThanOrEqual(1)
    expect(found.every(s => s.status === 'pending' && s.later_report_id === later)).toBe(true)
    // Passages are verbatim text of the later report at their offsets.
    const laterText = (await t.db.selectFrom('reports').select('text').where('id', '=', later).executeTakeFirstOrThrow()).text!
    const rows = await t.db
      .selectFrom('followup_suggestions')
      .select(['passage', 'start_offset', 'end_offset'])
      .where('kind', '=', 'evidence')
      .execute()
    for (const r of rows) expect(laterText.slice(r.start_offset!, r.end_offset!)).toBe(r.passage)
    // Linking again (e.g. after an agency merge) adds nothing.
    expect(await linkReport(t.db, later)).toEqual({ links: 0, suggestions: 0 })
    expect(await suggestions()).toHaveLength(found.length)
  })

  it("a supervisor confirms evidence into the earlier task's timeline and rejects another; others cannot decide", async () => {
    const { confirmReport } = await import('../../app/tasks/tasks.server')
    const { decideSuggestion } = await import('../../app/followup/suggestions.server')
    const { createUser } = await import('../../app/org/org.server')
    const unit = await t.db.selectFrom('units').select(['id', 'path']).where('id', '=', unitId).executeTakeFirstOrThrow()
    const mk = async (username: string, role: 'supervisor' | 'staff' | 'oversight', u = unit) => ({
      ...(await createUser(t.db, { username, displayName: username, password: 'password-1', role, unitId: u.id })),
      role,
      unitId: u.id,
      unitPath: u.path,
      username,
      displayName: username,
      unitName: '',
    })
    const sup = await mk('sup', 'supervisor')
    const earlier = await ingest('changde_2017.txt')
    expect((await confirmReport(t.db, sup, earlier))!.created).toBeGreaterThan(0)
    await ingest('made_changde_2018.txt')
    const rows = await t.db
      .selectFrom('followup_suggestions')
      .select(['id', 'kind', 'earlier_item_id'])
      .where('kind', '=', 'evidence')
      .execute()
    expect(rows.length).toBeGreaterThanOrEqual(2)
    const [first, second] = rows
    const other = await createUnit(t.db, { name: '邻市' })
    const outsider = await mk('outsider', 'supervisor', other)
    for (const who of [await mk('ov', 'oversight'), await mk('st', 'staff')])
      await expect(decideSuggestion(t.db, who, first.id, true)).rejects.toMatchObject({ status: 403 })
    await expect(decideSuggestion(t.db, outsider, first.id, true)).rejects.toMatchObject({ status: 404 })
    expect(await decideSuggestion(t.db, sup, first.id, true)).toEqual({ status: 'confirmed' })
    expect(await decideSuggestion(t.db, sup, second.id, false)).toEqual({ status: 'rejected' })
    await expect(decideSuggestion(t.db, sup, first.id, false)).rejects.toMatchObject({ status: 409 })
    const task = await t.db.selectFrom('tasks').select('id').where('item_id', '=', first.earlier_item_id).executeTakeFirstOrThrow()
    const events = await t.db.selectFrom('task_events').select(['type', 'note']).where('task_id', '=', task.id).execute()
    expect(events.filter(e => e.type === 'followup_evidence')).toHaveLength(1)
    const rejectedTask = await t.db.selectFrom('tasks').select('id').where('item_id', '=', second.earlier_item_id).executeTakeFirstOrThrow()
    expect(
      (await t.db.selectFrom('task_events').select('type').where('task_id', '=', rejectedTask.id).execute()).map(e => e.type),
    ).not.toContain('followup_evidence')
  })

  it('does not link two different agencies of consecutive years with similar wording', async () => {
    const changde = await ingest('changde_2017.txt')
    const suixi = await ingest('suixi_2018.txt')
    expect(await t.db.selectFrom('report_links').selectAll().execute()).toEqual([])
    expect(await suggestions()).toEqual([])
    expect(await agencyOf(changde)).not.toBe(await agencyOf(suixi))
  })

  it('files a drifted name under the same agency (remembered as an alias) and links by the agency', async () => {
    const earlier = await ingest('changde_2017.txt')
    const later = await ingest('made_changde_2018.txt')
    expect(await agencyOf(later)).toBe(await agencyOf(earlier))
    const aliases = await t.db.selectFrom('agency_aliases').select(['alias', 'source']).execute()
    expect(aliases).toEqual([{ alias: '常德市政务服务中心', source: 'auto' }])
    expect((await t.db.selectFrom('report_links').selectAll().execute()).map(l => [l.earlier_report_id, l.later_report_id])).toEqual([
      [earlier, later],
    ])
  })

  it('a report filed in another unit tree is not linked and reminds nobody there (the outside attack sent 16 notices into another tree); filed above, it links', async () => {
    const treeA = (await createUnit(t.db, { name: '甲区', parentId: unitId })).id
    const treeB = (await createUnit(t.db, { name: '乙区', parentId: unitId })).id
    const earlier = await ingest('changde_2017.txt', pair('changde_2017.txt'), treeA)
    // an open task of tree A on last year's report
    const item = await t.db.selectFrom('report_items').select(['id', 'title']).where('report_id', '=', earlier).executeTakeFirstOrThrow()
    await t.db
      .insertInto('tasks')
      .values({
        id: 'task-a',
        report_id: earlier,
        item_id: item.id,
        kind: 'plan',
        title: item.title,
        text: '',
        unit_id: treeA,
        owner_id: null,
        due_date: '2018-12-31',
        priority: 'normal',
        status: 'unassigned',
        deadline_version: 1,
        created_by: null,
        created_at: '2018-01-01T00:00:00.000Z',
        updated_at: '2018-01-01T00:00:00.000Z',
        closed_at: null,
      })
      .execute()
    // someone in tree B files "next year's report" of the same agency
    const forged = await ingest('made_changde_2018.txt', pair('made_changde_2018.txt'), treeB)
    expect(await t.db.selectFrom('report_links').selectAll().execute()).toEqual([])
    expect(await t.db.selectFrom('notifications').selectAll().execute()).toEqual([])
    // the same report filed by the office above both trees is linked
    await t.db.deleteFrom('reports').where('id', '=', forged).execute()
    const later = await ingest('made_changde_2018.txt', Buffer.concat([pair('made_changde_2018.txt'), Buffer.from('\n')]), unitId)
    expect(
      (await t.db.selectFrom('report_links').select(['earlier_report_id', 'later_report_id']).execute()).map(l => [
        l.earlier_report_id,
        l.later_report_id,
      ]),
    ).toEqual([[earlier, later]])
  })

  it('two agencies of one city with near-identical reports (教育局 / 卫生健康委员会) are not linked', async () => {
    const edu = await ingest('edu_2017.txt', renamed('changde_2017.txt', '常德市人民政府政务服务中心', '常德市教育局'))
    const health = await ingest('health_2018.txt', renamed('made_changde_2018.txt', '常德市政务服务中心', '常德市卫生健康委员会'))
    const names = await t.db.selectFrom('reports').select(['id', 'agency_name']).execute()
    expect(Object.fromEntries(names.map(r => [r.id, r.agency_name]))).toEqual({ [edu]: '常德市教育局', [health]: '常德市卫生健康委员会' })
    expect(await agencyOf(edu)).not.toBe(await agencyOf(health))
    expect(await t.db.selectFrom('report_links').selectAll().execute()).toEqual([])
    expect(await suggestions()).toEqual([])
  })

  it("a report that names no agency (a traditional-script mirror with no title) is linked by the engine's match", async () => {
    const earlier = await ingest('c01_2012.txt')
    const later = await ingest('c01_2013.txt')
    expect(await agencyOf(earlier)).not.toBeNull()
    expect(await agencyOf(later)).toBeNull()
    expect((await t.db.selectFrom('report_links').selectAll().execute()).map(l => [l.earlier_report_id, l.later_report_id])).toEqual([
      [earlier, later],
    ])
  })

  /** The made 2018 report moved on by `years` (every year it names, so its own year too). */
  const shifted = (years: number) =>
    Buffer.from(
      pair('made_changde_2018.txt')
        .toString('utf8')
        .replace(/20(1\d)(?=年)/g, (_, y) => String(2000 + Number(y) + years)),
    )
  const yearOf = async (id: string) => (await t.db.selectFrom('reports').select('year').where('id', '=', id).executeTakeFirstOrThrow()).year
  const links = async () => (await t.db.selectFrom('report_links').selectAll().execute()).map(l => [l.earlier_report_id, l.later_report_id])

  it('links over a missing year: 2019 follows up 2017 when 2018 is absent, whichever arrives first, with evidence', async () => {
    const later = await ingest('changde_2019.txt', shifted(1))
    expect(await yearOf(later)).toBe(2019)
    const earlier = await ingest('changde_2017.txt')
    expect(await links()).toEqual([[earlier, later]])
    const found = await suggestions()
    expect(found.some(s => s.kind === 'evidence' && s.earlier_text.includes('市民之家'))).toBe(true)
    expect(found.every(s => s.later_report_id === later)).toBe(true)
    // running the step again (an agency merge) adds nothing
    expect(await linkReport(t.db, earlier)).toEqual({ links: 0, suggestions: 0 })
    expect(await linkReport(t.db, later)).toEqual({ links: 0, suggestions: 0 })
  })

  it('does not skip a year that is there, nor reach beyond two missing years', async () => {
    const y2017 = await ingest('changde_2017.txt')
    const y2018 = await ingest('made_changde_2018.txt')
    const y2019 = await ingest('changde_2019.txt', shifted(1))
    expect((await links()).sort()).toEqual(
      [
        [y2017, y2018],
        [y2018, y2019],
      ].sort(),
    )
    const y2022 = await ingest('changde_2022.txt', shifted(4))
    expect(await yearOf(y2022)).toBe(2022)
    expect((await links()).filter(l => l.includes(y2022))).toEqual([[y2019, y2022]])
    const y2026 = await ingest('changde_2026.txt', shifted(8))
    expect((await links()).filter(l => l.includes(y2026))).toEqual([])
  })

  describe('as worker jobs on a real Redis', () => {
    let prefix: string
    let redis: Redis
    const children: ChildProcess[] = []
    beforeEach(() => {
      prefix = uniquePrefix()
      redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
    })
    afterEach(async () => {
      for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
      await redis.quit()
      await deletePrefix(prefix)
    })
    const linked = async () => (await t.db.selectFrom('report_links').selectAll().execute()).length > 0
    const followUpDone = async (id: string) =>
      (await t.db.selectFrom('reports').select('followup_done_at').where('id', '=', id).executeTakeFirstOrThrow()).followup_done_at

    it('the reports worker queues the follow-up job, which links and marks the report done', async () => {
      const queue = createReportsQueue(redis, prefix)
      const reports = startReportsWorker({ db: t.db, connection: redis, prefix })
      const followups = startFollowupWorker({ db: t.db, connection: redis, prefix })
      try {
        const ids: string[] = []
        for (const name of ['changde_2017.txt', 'made_changde_2018.txt']) {
          const { report } = await storeReport(t.db, { bytes: pair(name), filename: name, unitId, uploadedBy: null })
          await enqueueReportProcessing(queue, report.id)
          ids.push(report.id)
        }
        await waitFor(async () => (await Promise.all(ids.map(followUpDone))).every(Boolean), { what: 'follow-up done' })
        expect(await linked()).toBe(true)
        expect((await suggestions()).length).toBeGreaterThan(0)
      } finally {
        await reports.close()
        await followups.close()
        await queue.close()
      }
    })

    it('a crash between the extraction commit and the follow-up: the worker queues it again on start', async () => {
      // processReport alone is what a worker killed right after the commit leaves behind
      const ids: string[] = []
      for (const name of ['changde_2017.txt', 'made_changde_2018.txt']) {
        const { report } = await storeReport(t.db, { bytes: pair(name), filename: name, unitId, uploadedBy: null })
        expect(await processReport(t.db, report.id)).toBe('extracted')
        ids.push(report.id)
      }
      expect(await linked()).toBe(false)
      const env = { ...process.env, ...t.env, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, RESYNC_EVERY_MS: '1000' }
      const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
        env,
        stdio: process.env.TEST_DEBUG ? 'inherit' : 'ignore',
      })
      children.push(child)
      await waitFor(async () => (await Promise.all(ids.map(followUpDone))).every(Boolean), {
        what: 'follow-up done after restart',
        timeoutMs: 40_000,
      })
      expect(await linked()).toBe(true)
      expect((await suggestions()).length).toBeGreaterThan(0)
    }, 60_000)
  })
})
