// When a report is extracted, it is linked to the same agency's neighbouring year and the follow-up
// engine's findings are stored as pending suggestions — once, whichever report arrives first.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createUnit } from '../../app/org/org.server'
import { linkReport } from '../../app/followup/link.server'
import { processReport, storeReport } from '../../app/reports/reports.server'
import { createTestDb, engines, type TestDb } from '../support/db'

const pair = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/pairs', name))

describe.each(engines)('follow-up linking on %s', engine => {
  let t: TestDb
  let unitId: string
  beforeEach(async () => {
    t = await createTestDb(engine)
    unitId = (await createUnit(t.db, { name: '市政务公开办' })).id
  })
  afterEach(() => t.cleanup())

  const ingest = async (name: string) => {
    const { report } = await storeReport(t.db, { bytes: pair(name), filename: name, unitId, uploadedBy: null })
    expect(await processReport(t.db, report.id)).toBe('extracted')
    return report.id
  }
  const suggestions = () => t.db.selectFrom('followup_suggestions').innerJoin('report_items', 'report_items.id', 'followup_suggestions.earlier_item_id').select(['followup_suggestions.kind', 'followup_suggestions.passage', 'followup_suggestions.later_report_id', 'followup_suggestions.status', 'report_items.text as earlier_text']).execute()

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
    const rows = await t.db.selectFrom('followup_suggestions').select(['passage', 'start_offset', 'end_offset']).where('kind', '=', 'evidence').execute()
    for (const r of rows) expect(laterText.slice(r.start_offset!, r.end_offset!)).toBe(r.passage)
    // Linking again (e.g. after an agency merge) adds nothing.
    expect(await linkReport(t.db, later)).toEqual({ links: 0, suggestions: 0 })
    expect(await suggestions()).toHaveLength(found.length)
  })

  it('a supervisor confirms evidence into the earlier task\'s timeline and rejects another; others cannot decide', async () => {
    const { confirmReport } = await import('../../app/tasks/tasks.server')
    const { decideSuggestion } = await import('../../app/followup/suggestions.server')
    const { createUser } = await import('../../app/org/org.server')
    const unit = await t.db.selectFrom('units').select(['id', 'path']).where('id', '=', unitId).executeTakeFirstOrThrow()
    const mk = async (username: string, role: 'supervisor' | 'staff' | 'oversight', u = unit) => ({ ...(await createUser(t.db, { username, displayName: username, password: 'password-1', role, unitId: u.id })), role, unitId: u.id, unitPath: u.path, username, displayName: username, unitName: '' })
    const sup = await mk('sup', 'supervisor')
    const earlier = await ingest('changde_2017.txt')
    expect((await confirmReport(t.db, sup, earlier))!.created).toBeGreaterThan(0)
    await ingest('made_changde_2018.txt')
    const rows = await t.db.selectFrom('followup_suggestions').select(['id', 'kind', 'earlier_item_id']).where('kind', '=', 'evidence').execute()
    expect(rows.length).toBeGreaterThanOrEqual(2)
    const [first, second] = rows
    const other = await createUnit(t.db, { name: '邻市' })
    const outsider = await mk('outsider', 'supervisor', other)
    for (const who of [await mk('ov', 'oversight'), await mk('st', 'staff')]) await expect(decideSuggestion(t.db, who, first.id, true)).rejects.toMatchObject({ status: 403 })
    await expect(decideSuggestion(t.db, outsider, first.id, true)).rejects.toMatchObject({ status: 404 })
    expect(await decideSuggestion(t.db, sup, first.id, true)).toEqual({ status: 'confirmed' })
    expect(await decideSuggestion(t.db, sup, second.id, false)).toEqual({ status: 'rejected' })
    await expect(decideSuggestion(t.db, sup, first.id, false)).rejects.toMatchObject({ status: 409 })
    const task = await t.db.selectFrom('tasks').select('id').where('item_id', '=', first.earlier_item_id).executeTakeFirstOrThrow()
    const events = await t.db.selectFrom('task_events').select(['type', 'note']).where('task_id', '=', task.id).execute()
    expect(events.filter(e => e.type === 'followup_evidence')).toHaveLength(1)
    const rejectedTask = await t.db.selectFrom('tasks').select('id').where('item_id', '=', second.earlier_item_id).executeTakeFirstOrThrow()
    expect((await t.db.selectFrom('task_events').select('type').where('task_id', '=', rejectedTask.id).execute()).map(e => e.type)).not.toContain('followup_evidence')
  })

  it('does not link two different agencies of consecutive years with similar wording', async () => {
    await ingest('changde_2017.txt')
    await ingest('suixi_2018.txt')
    expect(await t.db.selectFrom('report_links').selectAll().execute()).toEqual([])
    expect(await suggestions()).toEqual([])
  })
})
