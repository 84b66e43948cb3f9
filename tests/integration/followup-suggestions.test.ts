// Where follow-up suggestions are seen and decided: the supervisors' review queue (scope, filters,
// pages, decisions), the task page's evidence and recurrences, and the links of confirmed events.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linkReport } from '../../app/followup/link.server'
import { createUnit, createUser } from '../../app/org/org.server'
import { processReport, storeReport } from '../../app/reports/reports.server'
import { confirmReport } from '../../app/tasks/tasks.server'
import { updateTask } from '../../app/tasks/workflow.server'
import {
  countPendingSuggestions,
  PENDING_COUNT_CAP,
  decideSuggestion,
  followupEventLinks,
  listSuggestionQueue,
  listSuggestionsForReport,
  listSuggestionsForTask,
} from '../../app/followup/suggestions.server'
import { createTestDb, engines, type TestDb } from '../support/db'

const pair = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/pairs', name))

describe.each(engines)('follow-up suggestions on %s', engine => {
  let t: TestDb
  type Person = Awaited<ReturnType<typeof person>>
  let sup: Person, deptSup: Person, otherSup: Person, oversight: Person, staff: Person, admin: Person
  let earlierId: string, laterId: string
  let deptId: string

  async function person(username: string, role: 'admin' | 'supervisor' | 'staff' | 'oversight', unitId: string) {
    const unit = await t.db.selectFrom('units').select(['id', 'path', 'name']).where('id', '=', unitId).executeTakeFirstOrThrow()
    const u = await createUser(t.db, { username, displayName: username, password: 'password-1', role, unitId })
    return { id: u.id, username, displayName: username, role, unitId, unitPath: unit.path, unitName: unit.name }
  }
  async function ingest(name: string, unitId: string) {
    const { report } = await storeReport(t.db, { bytes: pair(name), filename: name, unitId, uploadedBy: null })
    expect(await processReport(t.db, report.id)).toBe('extracted')
    return report.id
  }
  const taskOfItem = async (itemId: string) =>
    (await t.db.selectFrom('tasks').select('id').where('item_id', '=', itemId).executeTakeFirstOrThrow()).id
  const pendingTotal = async (who: Person, kind?: 'evidence' | 'recurring') => (await listSuggestionQueue(t.db, who, { kind })).total

  beforeAll(async () => {
    t = await createTestDb(engine)
    const root = await createUnit(t.db, { name: '市政务公开办' })
    deptId = (await createUnit(t.db, { name: '市政务服务中心', parentId: root.id })).id
    const otherRoot = await createUnit(t.db, { name: '邻市政务公开办' })
    sup = await person('sup', 'supervisor', root.id)
    deptSup = await person('deptsup', 'supervisor', deptId)
    otherSup = await person('othersup', 'supervisor', otherRoot.id)
    oversight = await person('ov', 'oversight', root.id)
    staff = await person('st', 'staff', deptId)
    admin = await person('adm', 'admin', root.id)
    earlierId = await ingest('changde_2017.txt', root.id)
    expect((await confirmReport(t.db, sup, earlierId))!.created).toBeGreaterThan(0)
    laterId = await ingest('made_changde_2018.txt', root.id)
    // Linking may run inside report processing or as its own job: run it here too (it is keyed, so this adds nothing twice).
    await linkReport(t.db, laterId)
    expect((await confirmReport(t.db, sup, laterId))!.created).toBeGreaterThan(0)
  }, 120_000)
  afterAll(() => t.cleanup())

  it("the queue shows the pair's pending suggestions to its supervisors and oversight, and nothing to another tree or a sub-unit", async () => {
    const queue = await listSuggestionQueue(t.db, sup)
    expect(queue.total).toBeGreaterThanOrEqual(3)
    expect(queue.canDecide).toBe(true)
    expect(queue.groups).toHaveLength(1)
    const [g] = queue.groups
    expect([g.earlier.reportId, g.earlier.year, g.later.reportId, g.later.year]).toEqual([earlierId, 2017, laterId, 2018])
    expect(g.suggestions.every(s => s.status === 'pending')).toBe(true)
    expect(g.suggestions.some(s => s.kind === 'evidence' && s.earlier_text.includes('市民之家') && s.passage!.includes('市民之家'))).toBe(
      true,
    )
    const ov = await listSuggestionQueue(t.db, oversight)
    expect(ov.total).toBe(queue.total)
    expect(ov.canDecide).toBe(false)
    expect((await listSuggestionQueue(t.db, admin)).total).toBe(queue.total)
    for (const outsider of [otherSup, deptSup]) {
      const q = await listSuggestionQueue(t.db, outsider)
      expect([q.total, q.groups]).toEqual([0, []])
      expect(await countPendingSuggestions(t.db, outsider)).toBe(0)
      expect(await listSuggestionsForReport(t.db, outsider, laterId)).toEqual([])
    }
    await expect(listSuggestionQueue(t.db, staff)).rejects.toMatchObject({ status: 403 })
    expect(await countPendingSuggestions(t.db, sup)).toBe(queue.total)
    expect(await countPendingSuggestions(t.db, oversight)).toBe(0) // oversight decides nothing: no count in the navigation
    // The navigation's count stops at PENDING_COUNT_CAP (shown as 99+): copies of one suggestion past it.
    const one = await t.db.selectFrom('followup_suggestions').selectAll().where('status', '=', 'pending').executeTakeFirstOrThrow()
    const copies = Array.from({ length: PENDING_COUNT_CAP }, (_, i) => ({
      ...one,
      id: `${one.id}-copy${i}`,
      dedupe_key: `${one.dedupe_key}:copy${i}`,
    }))
    await t.db.insertInto('followup_suggestions').values(copies).execute()
    expect((await listSuggestionQueue(t.db, sup)).total).toBe(queue.total + PENDING_COUNT_CAP)
    expect(await countPendingSuggestions(t.db, sup)).toBe(PENDING_COUNT_CAP)
  })

  it('filters by kind and pages through the queue without losing or repeating a suggestion', async () => {
    const all = await listSuggestionQueue(t.db, sup, { pageSize: 200 })
    const evidence = await listSuggestionQueue(t.db, sup, { kind: 'evidence' })
    const recurring = await listSuggestionQueue(t.db, sup, { kind: 'recurring' })
    expect(evidence.total).toBeGreaterThanOrEqual(2)
    expect(recurring.total).toBeGreaterThanOrEqual(1)
    expect(evidence.total + recurring.total).toBe(all.total)
    expect(evidence.groups.flatMap(g => g.suggestions).every(s => s.kind === 'evidence')).toBe(true)
    const seen: string[] = []
    const first = await listSuggestionQueue(t.db, sup, { pageSize: 2 })
    expect(first.pageCount).toBe(Math.ceil(all.total / 2))
    for (let page = 1; page <= first.pageCount; page++) {
      const p = await listSuggestionQueue(t.db, sup, { pageSize: 2, page })
      expect(p.page).toBe(page)
      seen.push(...p.groups.flatMap(g => g.suggestions.map(s => s.id)))
    }
    expect(seen.sort()).toEqual(all.groups.flatMap(g => g.suggestions.map(s => s.id)).sort())
    expect((await listSuggestionQueue(t.db, sup, { pageSize: 2, page: 999 })).page).toBe(first.pageCount)
  })

  it('the task page shows the later passage in its text; decisions leave the pending filter, and oversight cannot decide', async () => {
    const before = await pendingTotal(sup)
    const suggestion = (await listSuggestionQueue(t.db, sup, { kind: 'evidence' })).groups[0].suggestions.find(s =>
      s.passage!.includes('市民之家'),
    )!
    const taskId = await taskOfItem(
      (await t.db.selectFrom('followup_suggestions').select('earlier_item_id').where('id', '=', suggestion.id).executeTakeFirstOrThrow())
        .earlier_item_id,
    )

    const onTask = await listSuggestionsForTask(t.db, sup, taskId)
    const shown = onTask.evidence.find(e => e.id === suggestion.id)!
    expect(shown.context.passage).toBe(suggestion.passage)
    expect(shown.context.before.length + shown.context.after.length).toBeGreaterThan(0)
    expect(shown.later).toMatchObject({ year: 2018, reportId: laterId })
    expect(shown.canDecide).toBe(true)
    expect((await listSuggestionsForTask(t.db, oversight, taskId)).evidence.find(e => e.id === suggestion.id)!.canDecide).toBe(false)

    await expect(decideSuggestion(t.db, oversight, suggestion.id, true)).rejects.toMatchObject({ status: 403 })
    await expect(decideSuggestion(t.db, otherSup, suggestion.id, true)).rejects.toMatchObject({ status: 404 })
    expect(await pendingTotal(sup)).toBe(before)

    expect(await decideSuggestion(t.db, sup, suggestion.id, true)).toEqual({ status: 'confirmed' })
    await expect(decideSuggestion(t.db, admin, suggestion.id, false)).rejects.toMatchObject({ status: 409 })
    expect(await pendingTotal(sup)).toBe(before - 1)
    const confirmed = await listSuggestionQueue(t.db, sup, { status: 'confirmed' })
    expect(confirmed.groups.flatMap(g => g.suggestions).map(s => [s.id, s.decided_by_name])).toEqual([[suggestion.id, 'sup']])
    expect((await listSuggestionQueue(t.db, sup, { status: 'all' })).total).toBe(before)

    // Confirmed evidence stays on the task page (no longer decidable) and joins the timeline with a link to the later report.
    const after = (await listSuggestionsForTask(t.db, sup, taskId)).evidence.find(e => e.id === suggestion.id)!
    expect([after.status, after.canDecide]).toEqual(['confirmed', false])
    const events = await t.db
      .selectFrom('task_events')
      .select(['type', 'after', 'note'])
      .where('task_id', '=', taskId)
      .where('type', '=', 'followup_evidence')
      .execute()
    expect(events).toHaveLength(1)
    expect(events[0].note).toBe(suggestion.passage)
    const links = await followupEventLinks(t.db, sup, events)
    expect(links.reports[laterId]).toEqual({ year: 2018, agency: expect.any(String), open: true })

    // The responsible unit's staff sees the evidence on their task, without a link to a report outside their unit.
    await updateTask(t.db, sup, taskId, { unitId: deptId })
    const forStaff = (await listSuggestionsForTask(t.db, staff, taskId)).evidence.find(e => e.id === suggestion.id)!
    expect(forStaff.context.passage).toBe(suggestion.passage)
    expect([forStaff.later.reportId, forStaff.canDecide]).toEqual([null, false])
    expect((await followupEventLinks(t.db, staff, events)).reports[laterId].open).toBe(false)
    await expect(listSuggestionsForTask(t.db, otherSup, taskId)).rejects.toMatchObject({ status: 404 })
  })

  it("a rejected suggestion leaves the task page; a confirmed recurrence links the two years' tasks both ways", async () => {
    const evidence = (await listSuggestionQueue(t.db, sup, { kind: 'evidence' })).groups[0].suggestions[0]
    expect(await decideSuggestion(t.db, sup, evidence.id, false)).toEqual({ status: 'rejected' })
    const rejectedTask = await taskOfItem(
      (await t.db.selectFrom('followup_suggestions').select('earlier_item_id').where('id', '=', evidence.id).executeTakeFirstOrThrow())
        .earlier_item_id,
    )
    expect((await listSuggestionsForTask(t.db, sup, rejectedTask)).evidence.map(e => e.id)).not.toContain(evidence.id)

    const rec = (await listSuggestionQueue(t.db, sup, { kind: 'recurring' })).groups[0].suggestions[0]
    expect(rec.earlier_task_id && rec.later_task_id).toBeTruthy()
    const fromEarlier = (await listSuggestionsForTask(t.db, sup, rec.earlier_task_id!)).recurring.find(r => r.id === rec.id)!
    expect(fromEarlier).toMatchObject({ thisIs: 'earlier', other: { year: 2018, taskId: rec.later_task_id, text: rec.later_text } })
    const fromLater = (await listSuggestionsForTask(t.db, sup, rec.later_task_id!)).recurring.find(r => r.id === rec.id)!
    expect(fromLater).toMatchObject({
      thisIs: 'later',
      other: { year: 2017, taskId: rec.earlier_task_id, text: rec.earlier_text },
      canDecide: true,
    })

    expect(await decideSuggestion(t.db, sup, rec.id, true)).toEqual({ status: 'confirmed' })
    const eventsOf = (taskId: string) =>
      t.db
        .selectFrom('task_events')
        .select(['type', 'after', 'note'])
        .where('task_id', '=', taskId)
        .where('type', 'in', ['recurred', 'recurs'])
        .execute()
    const [recurred] = await eventsOf(rec.earlier_task_id!)
    const [recurs] = await eventsOf(rec.later_task_id!)
    expect([recurred.type, recurred.note, recurs.type, recurs.note]).toEqual(['recurred', rec.later_text, 'recurs', rec.earlier_text])
    const links = await followupEventLinks(t.db, sup, [recurred, recurs])
    expect(links.tasks).toEqual({ [rec.later_task_id!]: true, [rec.earlier_task_id!]: true })
  })

  it("a suggestion whose earlier report lies outside the supervisor's tree is neither listed nor decidable (it would write on a task out of scope)", async () => {
    const pending = (await listSuggestionQueue(t.db, sup)).groups[0].suggestions[0]
    const before = await pendingTotal(sup)
    const outside = await createUnit(t.db, { name: '外市政务公开办' })
    await t.db.updateTable('reports').set({ unit_id: outside.id }).where('id', '=', earlierId).execute()
    try {
      expect(await pendingTotal(sup)).toBe(0)
      await expect(decideSuggestion(t.db, sup, pending.id, true)).rejects.toMatchObject({ status: 404 })
      expect((await listSuggestionQueue(t.db, admin)).total).toBe(before)
    } finally {
      await t.db.updateTable('reports').set({ unit_id: sup.unitId }).where('id', '=', earlierId).execute()
    }
    expect(await pendingTotal(sup)).toBe(before)
  })
})
