// Every workflow event notifies the people it concerns, against a real database: one notification
// per recipient, one outbox email per recipient with an absolute link, nobody told of their own
// action, and a repeated or retried call (or a rolled-back one) adds nothing.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newId, nowIso } from '../../db/ids'
import { createUnit, createUser } from '../../app/org/org.server'
import { AppError } from '../../app/errors'
import { recordEventNotices } from '../../app/notify/events.server'
import { createEmailSender } from '../../app/notify/email.server'
import { deliverDueEmails } from '../../app/notify/outbox.server'
import { listTasks } from '../../app/tasks/queries.server'
import { confirmReport, getTaskForUser } from '../../app/tasks/tasks.server'
import { decideExtension, requestExtension, transitionTask, transitionTaskInTrx, updateTask } from '../../app/tasks/workflow.server'
import type { Actor } from '../../app/auth/scope'
import { createTestDb, engines, type TestDb } from '../support/db'

const APP = 'https://zgzg.example.gov.cn'

describe.each(engines)('workflow notifications on %s', engine => {
  let t: TestDb
  let citySup: Actor, deptSup: Actor, staff: Actor, staff2: Actor, otherSup: Actor
  let reportId: string
  let savedAppUrl: string | undefined
  const names = new Map<string, string>()
  const seen = new Set<string>()

  beforeEach(async () => {
    savedAppUrl = process.env.APP_URL
    process.env.APP_URL = `${APP}/`
    t = await createTestDb(engine)
    seen.clear()
    const root = await createUnit(t.db, { name: '市政务公开办' })
    const dept = await createUnit(t.db, { name: '市教育局', parentId: root.id })
    const other = await createUnit(t.db, { name: '邻市', parentId: null })
    const mk = async (username: string, role: Actor['role'], unit: { id: string; path: string }) => {
      const { id } = await createUser(t.db, {
        username,
        displayName: username,
        password: 'password-1',
        role,
        unitId: unit.id,
        email: `${username}@example.gov.cn`,
      })
      names.set(id, username)
      return { id, role, unitId: unit.id, unitPath: unit.path }
    }
    citySup = await mk('citysup', 'supervisor', root)
    deptSup = await mk('deptsup', 'supervisor', dept)
    staff = await mk('staff', 'staff', dept)
    staff2 = await mk('staff2', 'staff', dept)
    otherSup = await mk('othersup', 'supervisor', other)
    await mk('ov', 'oversight', root)
    reportId = newId()
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
        text: '问题一。措施一。措施二。',
        status: 'extracted',
        error: null,
        agency_id: null,
        agency_name: '市教育局',
        year: 2025,
        published_at: null,
        title: null,
        unit_id: dept.id,
        uploaded_by: deptSup.id,
        created_at: now,
        updated_at: now,
        processed_at: now,
      })
      .execute()
    // Two items given to staff at review, one left for assignment.
    for (const [seq, title, owner] of [
      [0, '甲：完善政策解读', staff.id],
      [1, '乙：规范依申请公开', staff.id],
      [2, '丙：更新公开目录', null],
    ] as const) {
      await t.db
        .insertInto('report_items')
        .values({
          id: newId(),
          report_id: reportId,
          seq,
          kind: 'plan',
          title,
          text: title,
          start_offset: seq * 4,
          end_offset: seq * 4 + 4,
          answers: '[]',
          due_date: '2030-12-31',
          unit_id: dept.id,
          owner_id: owner,
          created_at: now,
        })
        .execute()
    }
  })
  afterEach(async () => {
    if (savedAppUrl === undefined) delete process.env.APP_URL
    else process.env.APP_URL = savedAppUrl
    await t.cleanup()
  })

  const taskByTitle = async (prefix: string) =>
    (await t.db.selectFrom('tasks').select('id').where('title', 'like', `${prefix}%`).executeTakeFirstOrThrow()).id

  /** Notifications recorded since the last call, as "user kind", each checked against its one email. */
  async function fresh(): Promise<string[]> {
    const rows = await t.db.selectFrom('notifications').selectAll().orderBy('user_id').orderBy('kind').execute()
    const out: string[] = []
    for (const n of rows) {
      if (seen.has(n.id)) continue
      seen.add(n.id)
      const mails = await t.db.selectFrom('email_outbox').selectAll().where('notification_id', '=', n.id).execute()
      expect(mails, `one email for ${n.kind} to ${names.get(n.user_id)}`).toHaveLength(1)
      expect(mails[0]).toMatchObject({
        user_id: n.user_id,
        to_address: `${names.get(n.user_id)}@example.gov.cn`,
        status: 'pending',
        subject: `【整改跟踪】${n.title}`,
      })
      const link = n.task_id ? `${APP}/tasks/${n.task_id}` : `${APP}/tasks`
      expect(mails[0].body_text).toContain(`：${link}\n`)
      expect(mails[0].body_text).not.toMatch(/：\/tasks/)
      out.push(`${names.get(n.user_id)} ${n.kind}`)
    }
    // Never more than one notification per key, nor an email without its notification.
    const all = await t.db.selectFrom('email_outbox').select('notification_id').execute()
    expect(new Set(all.map(m => m.notification_id)).size).toBe(all.length)
    return out.sort()
  }

  const refused = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => null,
      e => e,
    )
    expect(err).toBeInstanceOf(AppError)
  }

  const sessionUser = (a: Actor) => ({ ...a, username: names.get(a.id)!, displayName: names.get(a.id)!, unitName: '' })

  it('each event tells exactly the people it concerns, once, by app and email with an absolute link', async () => {
    // Confirmation: the owner chosen at review hears once about both of his tasks.
    expect(await confirmReport(t.db, sessionUser(deptSup), reportId)).toEqual({ created: 3 })
    expect(await fresh()).toEqual(['staff assigned'])
    const grouped = await t.db.selectFrom('notifications').selectAll().where('user_id', '=', staff.id).executeTakeFirstOrThrow()
    expect(grouped).toMatchObject({ task_id: null, title: '新分派的整改任务 2 项' })
    expect(grouped.body).toContain('「甲：完善政策解读」')
    expect(await confirmReport(t.db, sessionUser(deptSup), reportId)).toEqual({ created: 0 })
    expect(await fresh()).toEqual([])

    const [a, b, c] = [await taskByTitle('甲'), await taskByTitle('乙'), await taskByTitle('丙')]

    // Assignment, then reassignment by an edit: each new owner once; a repeated call adds nothing.
    await transitionTask(t.db, deptSup, c, { action: 'assign', ownerId: staff2.id })
    expect(await fresh()).toEqual(['staff2 assigned'])
    await transitionTask(t.db, deptSup, c, { action: 'assign', ownerId: staff2.id }) // the same owner again: no news
    expect(await fresh()).toEqual([])
    await updateTask(t.db, deptSup, c, { ownerId: staff.id })
    expect(await fresh()).toEqual(['staff assigned'])
    await updateTask(t.db, deptSup, c, { ownerId: staff.id })
    expect(await fresh()).toEqual([])

    // Submission: every supervisor with scope over the unit, not the submitter, not another tree.
    await transitionTask(t.db, staff, a, { action: 'submit', reason: '已完成' })
    expect(await fresh()).toEqual(['citysup submitted', 'deptsup submitted'])
    await refused(transitionTask(t.db, staff, a, { action: 'submit', reason: '已完成' }))
    expect(await fresh()).toEqual([])

    // Return, with its reason: the owner.
    await transitionTask(t.db, deptSup, a, { action: 'return', reason: '缺少佐证材料' })
    expect(await fresh()).toEqual(['staff returned'])
    const returned = await t.db.selectFrom('notifications').select('body').where('kind', '=', 'returned').executeTakeFirstOrThrow()
    expect(returned.body).toContain('退回原因：缺少佐证材料。')
    const returnMail = await t.db
      .selectFrom('email_outbox')
      .innerJoin('notifications', 'notifications.id', 'email_outbox.notification_id')
      .select('body_text')
      .where('notifications.kind', '=', 'returned')
      .executeTakeFirstOrThrow()
    expect(returnMail.body_text).toContain('缺少佐证材料')
    await refused(transitionTask(t.db, deptSup, a, { action: 'return', reason: '缺少佐证材料' }))
    expect(await fresh()).toEqual([])
    // The owner sees 已退回 with the reason, on the task and in the list (the status stays in_progress).
    const returnedIn = async () =>
      (await listTasks(t.db, staff, { mine: true })).filter(r => r.returnedReason !== null).map(r => [r.id, r.status, r.returnedReason])
    expect(await returnedIn()).toEqual([[a, 'in_progress', '缺少佐证材料']])
    expect((await getTaskForUser(t.db, { id: a, user: sessionUser(staff) }))?.returnedReason).toBe('缺少佐证材料')

    // Extension asked: the supervisors; approved, then refused: the owner.
    await requestExtension(t.db, staff, b, { newDueDate: '2031-06-30', reason: '需要跨部门协调' }, new Date('2026-12-07T04:00:00Z'))
    expect(await fresh()).toEqual(['citysup extension_requested', 'deptsup extension_requested'])
    await refused(
      requestExtension(t.db, staff, b, { newDueDate: '2031-06-30', reason: '需要跨部门协调' }, new Date('2026-12-07T04:00:00Z')),
    )
    const first = await t.db.selectFrom('task_extensions').select('id').where('status', '=', 'pending').executeTakeFirstOrThrow()
    await decideExtension(t.db, citySup, first.id, { approve: true, note: '同意' })
    expect(await fresh()).toEqual(['staff extension_approved'])
    await refused(decideExtension(t.db, citySup, first.id, { approve: true }))
    await requestExtension(t.db, staff, b, { newDueDate: '2031-12-31', reason: '再延一次' }, new Date('2026-12-07T04:00:00Z'))
    expect(await fresh()).toEqual(['citysup extension_requested', 'deptsup extension_requested'])
    const second = await t.db.selectFrom('task_extensions').select('id').where('status', '=', 'pending').executeTakeFirstOrThrow()
    await decideExtension(t.db, deptSup, second.id, { approve: false, note: '时限不宜再延' })
    expect(await fresh()).toEqual(['staff extension_refused'])

    // Verified (closed), cancelled: the owner.
    await transitionTask(t.db, staff, a, { action: 'submit', reason: '已完成' })
    expect(await fresh()).toEqual(['citysup submitted', 'deptsup submitted'])
    expect(await returnedIn()).toEqual([])
    expect((await getTaskForUser(t.db, { id: a, user: sessionUser(staff) }))?.returnedReason).toBeNull()
    await transitionTask(t.db, deptSup, a, { action: 'verify' })
    expect(await fresh()).toEqual(['staff closed'])
    await refused(transitionTask(t.db, deptSup, a, { action: 'verify' }))
    await transitionTask(t.db, deptSup, b, { action: 'cancel', reason: '已并入其他任务' })
    expect(await fresh()).toEqual(['staff cancelled'])
    await refused(transitionTask(t.db, deptSup, b, { action: 'cancel', reason: '已并入其他任务' }))
    expect(await fresh()).toEqual([])

    // Nothing ever reached the other tree's supervisor or oversight.
    expect(await t.db.selectFrom('notifications').select('id').where('user_id', '=', otherSup.id).execute()).toEqual([])

    // Recording an event's notices again (a retried step) finds every key taken.
    const verifyEvent = await t.db
      .selectFrom('task_events')
      .selectAll()
      .where('task_id', '=', a)
      .where('type', '=', 'verify')
      .executeTakeFirstOrThrow()
    expect(await recordEventNotices(t.db, a, { id: verifyEvent.id, type: 'verify', actorId: deptSup.id }, nowIso())).toEqual({
      recorded: 0,
      emails: 0,
    })
    expect(await fresh()).toEqual([])

    // The emails leave through the ordinary outbox: one .eml each, with the absolute link.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-notify-'))
    try {
      const total = Number(
        (
          await t.db
            .selectFrom('email_outbox')
            .select(eb => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
      expect(await deliverDueEmails(t.db, createEmailSender({ dir, smtpUrl: '' }))).toMatchObject({ sent: total, failed: 0 })
      const files = fs.readdirSync(dir).filter(f => f.endsWith('.eml'))
      expect(files).toHaveLength(total)
      expect(await deliverDueEmails(t.db, createEmailSender({ dir, smtpUrl: '' }))).toMatchObject({ sent: 0 })
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('nobody hears of his own action; a rolled-back change leaves no notice', async () => {
    await confirmReport(t.db, sessionUser(deptSup), reportId)
    await fresh()
    const c = await taskByTitle('丙')
    // The supervisor takes the task himself: no notice to himself.
    await transitionTask(t.db, deptSup, c, { action: 'assign', ownerId: deptSup.id })
    expect(await fresh()).toEqual([])
    // He submits his own work: the city supervisor hears of it, he does not.
    await transitionTask(t.db, deptSup, c, { action: 'submit', reason: '已完成' })
    expect(await fresh()).toEqual(['citysup submitted'])
    // A transaction that fails after the event was written takes its notices with it.
    await expect(
      t.db.transaction().execute(async trx => {
        await transitionTaskInTrx(trx, citySup, c, { action: 'return', reason: '再补充' })
        throw new Error('crash before commit')
      }),
    ).rejects.toThrow('crash before commit')
    expect(await fresh()).toEqual([])
    await transitionTask(t.db, citySup, c, { action: 'return', reason: '再补充' })
    expect(await fresh()).toEqual(['deptsup returned'])
  })
})
