// A task's whole life against a real database: confirm → assign → progress → submit → return →
// submit → verify, extensions, evidence, and refusals that change nothing.
import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newId, nowIso } from '../../db/ids'
import { createUnit, createUser } from '../../app/org/org.server'
import { confirmReport } from '../../app/tasks/tasks.server'
import {
  addEvidenceFile,
  addEvidenceLink,
  addProgress,
  decideExtension,
  getEvidenceFile,
  requestExtension,
  transitionTask,
  updateTask,
} from '../../app/tasks/workflow.server'
import type { Actor } from '../../app/auth/scope'
import { AppError } from '../../app/errors'
import { createTestDb, engines, type TestDb } from '../support/db'

describe.each(engines)('task workflow on %s', engine => {
  let t: TestDb
  let sup: Actor, staff: Actor, otherSup: Actor, oversight: Actor
  let taskIds: string[]

  beforeEach(async () => {
    t = await createTestDb(engine)
    process.env.DATA_DIR = t.env.DATA_DIR ?? fs.mkdtempSync('/tmp/ft-ev-')
    const root = await createUnit(t.db, { name: '市政务公开办' })
    const dept = await createUnit(t.db, { name: '市教育局', parentId: root.id })
    const other = await createUnit(t.db, { name: '邻市', parentId: null })
    const mk = async (username: string, role: Actor['role'], unit: { id: string; path: string }) => {
      const { id } = await createUser(t.db, { username, displayName: username, password: 'password-1', role, unitId: unit.id })
      return { id, role, unitId: unit.id, unitPath: unit.path }
    }
    sup = await mk('sup', 'supervisor', root)
    staff = await mk('staff', 'staff', dept)
    otherSup = await mk('othersup', 'supervisor', other)
    oversight = await mk('ov', 'oversight', root)
    const reportId = newId()
    const now = nowIso()
    await t.db
      .insertInto('reports')
      .values({
        id: reportId,
        filename: 'r.txt',
        format: 'txt',
        size_bytes: 1,
        sha256: 'x',
        encoding: 'UTF-8',
        text: '问题一。措施一。',
        status: 'extracted',
        error: null,
        agency_id: null,
        agency_name: '某局',
        year: 2024,
        published_at: null,
        title: null,
        unit_id: root.id,
        uploaded_by: sup.id,
        created_at: now,
        updated_at: now,
        processed_at: now,
      })
      .execute()
    for (const [seq, kind, text] of [
      [0, 'problem', '问题一。'],
      [1, 'plan', '措施一。'],
    ] as const) {
      await t.db
        .insertInto('report_items')
        .values({
          id: newId(),
          report_id: reportId,
          seq,
          kind,
          title: text,
          text,
          start_offset: seq * 4,
          end_offset: seq * 4 + 4,
          answers: '[]',
          due_date: '2025-12-31',
          created_at: now,
        })
        .execute()
    }
    expect(await confirmReport(t.db, { ...sup, username: 'sup', displayName: 'sup', unitName: '' }, reportId)).toEqual({ created: 2 })
    expect(await confirmReport(t.db, { ...sup, username: 'sup', displayName: 'sup', unitName: '' }, reportId)).toEqual({ created: 0 })
    taskIds = (await t.db.selectFrom('tasks').select('id').orderBy('created_at').execute()).map(r => r.id)
    expect(taskIds).toHaveLength(2)
    // the supervisor gives the task to the education bureau
    await updateTask(t.db, sup, taskIds[0], { unitId: dept.id })
  })
  afterEach(() => t.cleanup())

  const task = (id: string) => t.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const events = async (id: string) =>
    (await t.db.selectFrom('task_events').select(['type', 'note']).where('task_id', '=', id).orderBy('created_at').execute()).map(
      e => e.type,
    )
  const refused = async (p: Promise<unknown>, status: number) => {
    const err = await p.then(
      () => null,
      e => e,
    )
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).status).toBe(status)
  }

  it('goes from assignment to close-out with a return in between, every step in the timeline', async () => {
    const id = taskIds[0]
    await transitionTask(t.db, sup, id, { action: 'assign', ownerId: staff.id })
    await addProgress(t.db, staff, id, { progress: 60, note: '已完成栏目改版' })
    await transitionTask(t.db, staff, id, { action: 'submit' })
    await transitionTask(t.db, sup, id, { action: 'return', reason: '缺少佐证材料' })
    expect((await task(id)).status).toBe('in_progress')
    await addEvidenceLink(t.db, staff, id, { url: 'https://www.example.gov.cn/zwgk/1.html', title: '栏目截图' })
    await transitionTask(t.db, staff, id, { action: 'submit' })
    await transitionTask(t.db, sup, id, { action: 'verify' })
    const done = await task(id)
    expect(done).toMatchObject({ status: 'closed', progress: 100, owner_id: staff.id })
    expect(done.closed_at).not.toBeNull()
    expect(await events(id)).toEqual(['created', 'updated', 'assign', 'progress', 'submit', 'return', 'evidence', 'submit', 'verify'])
    const ret = await t.db
      .selectFrom('task_events')
      .select('note')
      .where('task_id', '=', id)
      .where('type', '=', 'return')
      .executeTakeFirstOrThrow()
    expect(ret.note).toBe('缺少佐证材料')
  })

  it('refuses moves that are not allowed and changes nothing', async () => {
    const id = taskIds[0]
    await refused(transitionTask(t.db, staff, id, { action: 'assign', ownerId: staff.id }), 403)
    await refused(transitionTask(t.db, sup, id, { action: 'verify' }), 409)
    await refused(transitionTask(t.db, oversight, id, { action: 'cancel', reason: 'x' }), 403)
    await refused(transitionTask(t.db, otherSup, id, { action: 'assign', ownerId: otherSup.id }), 404) // another unit's task is invisible
    await refused(transitionTask(t.db, sup, taskIds[1], { action: 'assign', ownerId: otherSup.id }), 400) // owner outside the unit
    expect((await task(id)).status).toBe('unassigned')
    expect(await events(id)).toEqual(['created', 'updated'])
  })

  it('a deadline extension, once approved, moves the deadline and bumps its version; history is kept', async () => {
    const id = taskIds[0]
    await transitionTask(t.db, sup, id, { action: 'assign', ownerId: staff.id })
    await updateTask(t.db, sup, id, { dueDate: '2026-12-31' })
    const before = await task(id)
    await refused(
      requestExtension(t.db, sup, id, { newDueDate: '2027-06-30', reason: '需要财政资金' }, new Date('2026-11-23T04:00:00Z')),
      403,
    )
    const { id: extId } = await requestExtension(
      t.db,
      staff,
      id,
      { newDueDate: '2027-06-30', reason: '需要财政资金' },
      new Date('2026-11-23T04:00:00Z'),
    )
    await refused(requestExtension(t.db, staff, id, { newDueDate: '2027-07-30', reason: '再延' }, new Date('2026-11-23T04:00:00Z')), 409)
    await refused(decideExtension(t.db, staff, extId, { approve: true }), 403)
    await decideExtension(t.db, sup, extId, { approve: true, note: '同意' })
    const after = await task(id)
    expect(after.due_date).toBe('2027-06-30')
    expect(after.deadline_version).toBe(before.deadline_version + 1)
    const history = await t.db
      .selectFrom('task_extensions')
      .select(['old_due_date', 'new_due_date', 'status'])
      .where('task_id', '=', id)
      .execute()
    expect(history).toEqual([{ old_due_date: '2026-12-31', new_due_date: '2027-06-30', status: 'approved' }])
    await refused(decideExtension(t.db, sup, extId, { approve: false }), 409)
  })

  it('stores evidence files with type and size limits and serves them only within scope', async () => {
    const id = taskIds[0]
    await transitionTask(t.db, sup, id, { action: 'assign', ownerId: staff.id })
    await refused(addEvidenceFile(t.db, staff, id, { filename: 'run.exe', bytes: new Uint8Array([1, 2, 3]) }), 415)
    const { id: evId } = await addEvidenceFile(t.db, staff, id, {
      filename: '整改报告.pdf',
      bytes: new TextEncoder().encode('%PDF-1.4 evidence'),
    })
    const file = await getEvidenceFile(t.db, sup, evId)
    expect(fs.readFileSync(file.path, 'utf8')).toBe('%PDF-1.4 evidence')
    expect(file.filename).toBe('整改报告.pdf')
    await refused(getEvidenceFile(t.db, otherSup, evId), 404)
    await refused(getEvidenceFile(t.db, sup, '../../etc/passwd'), 404)
  })
})
