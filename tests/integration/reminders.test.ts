// Reminders against a real database and a real Redis: the sweep records exactly what is due,
// never twice (again, in two workers at once, after kill -9 and a restart), and the prior-year hook.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newId, nowIso } from '../../db/ids'
import type { Role, TaskStatus } from '../../db/schema'
import { createUnit } from '../../app/org/org.server'
import { dateOfDay, dayNumber, isoWeekday, localTime } from '../../app/reminders/calendar'
import { DEFAULT_REMINDER_CONFIG } from '../../app/reminders/config'
import { notifyOpenPriorYearTasks } from '../../app/reminders/prior-year.server'
import { recordReminders } from '../../app/reminders/record.server'
import { runSweep, SWEPT_UNTIL_KEY, type SweepResult } from '../../app/reminders/sweep.server'
import { decodeDocument } from '../../app/documents/decode'
import { extractReport } from '../../app/extract/index'
import { processReport, storeReport } from '../../app/reports/reports.server'
import { resolveAgency } from '../../app/agencies/registry.server'
import { runFollowUp } from '../../app/followup/link.server'
import { createTestDb, engines, uniquePrefix, type TestDb } from '../support/db'
import { deletePrefix, TEST_REDIS_URL, waitFor } from '../support/redis'

const config = DEFAULT_REMINDER_CONFIG
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)

describe.each(engines)('reminders on %s', engine => {
  let t: TestDb
  let prefix: string | undefined
  let root: string, county: string, reportId: string
  let o1: string, o2: string, s1: string, v0: string
  const children: ChildProcess[] = []

  const addUser = async (username: string, role: Role, unitId: string, email: string | null) => {
    const id = newId()
    await t.db
      .insertInto('users')
      .values({ id, username, display_name: username, email, password_hash: 'x', role, unit_id: unitId, created_at: nowIso() })
      .execute()
    return id
  }
  const addReport = async (over: { agencyId?: string | null; year?: number } = {}) => {
    const id = newId()
    const now = nowIso()
    await t.db
      .insertInto('reports')
      .values({
        id,
        filename: `${id}.txt`,
        format: 'txt',
        size_bytes: 1,
        sha256: id,
        encoding: 'UTF-8',
        text: '',
        status: 'confirmed',
        error: null,
        agency_id: over.agencyId ?? null,
        agency_name: '某局',
        year: over.year ?? 2025,
        published_at: null,
        title: null,
        unit_id: root,
        uploaded_by: null,
        created_at: now,
        updated_at: now,
        processed_at: now,
      })
      .execute()
    return id
  }
  /** `at`: when the task was written (created_at = updated_at). A test that sweeps at a fixed time passes a time before its sweep; only the worker tests, which sweep with the real clock, use the real clock here. */
  const addTask = async (over: {
    status?: TaskStatus
    due?: string | null
    owner?: string | null
    version?: number
    title?: string
    report?: string
    unit?: string
    at?: Date
  }) => {
    const id = newId()
    const now = over.at ? over.at.toISOString() : nowIso()
    const status = over.status ?? 'in_progress'
    await t.db
      .insertInto('tasks')
      .values({
        id,
        report_id: over.report ?? reportId,
        item_id: newId(),
        kind: 'plan',
        title: over.title ?? `任务 ${id.slice(0, 6)}`,
        text: '',
        unit_id: over.unit ?? county,
        owner_id: over.owner === undefined ? (status === 'unassigned' ? null : o1) : over.owner,
        due_date: over.due === undefined ? null : over.due,
        priority: 'normal',
        status,
        deadline_version: over.version ?? 1,
        created_by: null,
        created_at: now,
        updated_at: now,
        closed_at: null,
      })
      .execute()
    return id
  }
  const setSweptUntil = (at: Date) =>
    t.db
      .insertInto('settings')
      .values({ key: SWEPT_UNTIL_KEY, value: at.toISOString() })
      .onConflict(oc => oc.column('key').doUpdateSet({ value: at.toISOString() }))
      .execute()
  const notifications = () =>
    t.db
      .selectFrom('notifications')
      .select(['id', 'dedupe_key', 'user_id', 'task_id', 'kind', 'title', 'body'])
      .orderBy('dedupe_key')
      .execute()
  const outbox = () =>
    t.db.selectFrom('email_outbox').select(['id', 'notification_id', 'to_address', 'subject', 'body_text', 'status']).execute()
  const count = async (table: 'notifications' | 'email_outbox') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  beforeEach(async () => {
    prefix = undefined
    t = await createTestDb(engine)
    root = (await createUnit(t.db, { name: '市政务公开办' })).id
    county = (await createUnit(t.db, { name: '某县', parentId: root })).id
    o1 = await addUser('o1', 'staff', county, 'o1@example.gov.cn')
    o2 = await addUser('o2', 'staff', county, null)
    s1 = await addUser('s1', 'supervisor', county, 's1@example.gov.cn')
    v0 = await addUser('v0', 'oversight', root, 'v0@example.gov.cn')
    reportId = await addReport()
  })
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
    if (prefix) await deletePrefix(prefix)
    await t.cleanup()
  })

  // Wednesday 2026-11-25 10:00 in Shanghai; the previous sweep ran on Tuesday evening, so Wednesday
  // is a day no sweep has planned yet.
  const NOW = sh('2026-11-25 10:00')
  const TUESDAY_EVENING = sh('2026-11-24 23:58')
  /** When the fixed-time tests' tasks were written: before Tuesday evening's sweep, which planned them. */
  const TUESDAY_NOON = sh('2026-11-24 12:00')
  const day = (offset: number) => dateOfDay(dayNumber('2026-11-25') + offset)

  async function seedMixedTasks() {
    const ids = {
      tomorrow: await addTask({ due: day(1), title: '完善依申请公开工作机制', at: TUESDAY_NOON }),
      week: await addTask({ due: day(7), owner: o2, at: TUESDAY_NOON }),
      twoDays: await addTask({ due: day(2), at: TUESDAY_NOON }),
      lateDay1: await addTask({ due: day(-1), at: TUESDAY_NOON }),
      unassigned: await addTask({ status: 'unassigned', due: day(30), at: TUESDAY_NOON }),
      late31: await addTask({ status: 'pending_review', due: day(-31), at: TUESDAY_NOON }),
      closed: await addTask({ status: 'closed', due: day(1), at: TUESDAY_NOON }),
      cancelled: await addTask({ status: 'cancelled', due: day(-1), at: TUESDAY_NOON }),
      ongoing: await addTask({ status: 'ongoing', due: day(-8), at: TUESDAY_NOON }),
      noDeadline: await addTask({ due: null, at: TUESDAY_NOON }),
      moved: await addTask({ due: day(1), version: 2, at: TUESDAY_NOON }),
    }
    const expected = [
      // Every one of them falls due today (the key's first part).
      `${day(0)}:due_soon:${ids.tomorrow}:1:${o1}:1`,
      `${day(0)}:due_soon:${ids.week}:1:${o2}:7`,
      `${day(0)}:overdue:${ids.lateDay1}:1:${o1}:0`,
      `${day(0)}:overdue:${ids.lateDay1}:1:${s1}:0`,
      `${day(0)}:due_soon:${ids.unassigned}:1:${s1}:30`,
      `${day(0)}:escalation:${ids.late31}:1:${v0}:0`,
      `${day(0)}:due_soon:${ids.moved}:2:${o1}:1`,
    ].sort()
    return { ids, expected }
  }

  it('a sweep records exactly the reminders due, each with its email when the person has an address', async () => {
    const { ids, expected } = await seedMixedTasks()
    await setSweptUntil(TUESDAY_EVENING)
    const r = await runSweep(t.db, NOW, { config })
    expect(r).toMatchObject({ tasks: 6, planned: 7, recorded: 7, emails: 6, digests: 0 })
    const rows = await notifications()
    expect(rows.map(n => n.dedupe_key)).toEqual(expected)
    const soon = rows.find(n => n.task_id === ids.tomorrow)!
    expect(soon).toMatchObject({ user_id: o1, kind: 'due_soon' })
    expect(soon.title).toContain('完善依申请公开工作机制')
    expect(soon.body).toContain(day(1))

    const mails = await outbox()
    expect(mails).toHaveLength(6)
    expect(new Set(mails.map(m => m.notification_id)).size).toBe(6)
    expect(mails.every(m => m.status === 'pending')).toBe(true)
    const mail = mails.find(m => m.notification_id === soon.id)!
    expect(mail.to_address).toBe('o1@example.gov.cn')
    expect(mail.subject).toContain('完善依申请公开工作机制')
    expect(mail.body_text).toContain(`/tasks/${ids.tomorrow}`)
    expect(mail.body_text).toContain('1 天')
    // o2 has no email: the notification only.
    const o2Note = rows.find(n => n.user_id === o2)!
    expect(mails.some(m => m.notification_id === o2Note.id)).toBe(false)
    // The marker moved: the next sweep starts there.
    const marker = await t.db.selectFrom('settings').select('value').where('key', '=', SWEPT_UNTIL_KEY).executeTakeFirstOrThrow()
    expect(marker.value).toBe(NOW.toISOString())
  })

  it('running the sweep again records nothing twice; a new deadline or a new owner is reminded again', async () => {
    const { ids, expected } = await seedMixedTasks()
    await setSweptUntil(TUESDAY_EVENING)
    await runSweep(t.db, NOW, { config })
    const again = await runSweep(t.db, new Date(NOW.getTime() + 60_000), { config })
    expect(again.recorded).toBe(0)
    const third = await runSweep(t.db, NOW, { config }) // even with the very same "now"
    expect(third.recorded).toBe(0)
    expect((await notifications()).map(n => n.dedupe_key)).toEqual(expected)
    expect(await count('email_outbox')).toBe(6)

    // The deadline moves to a week from now (version 2), and the 7-day task gets a new owner.
    // (updated_at as the app sets it: the sweep re-plans, within a day it has planned, what changed.)
    const at = new Date(NOW.getTime() + 90_000).toISOString()
    await t.db
      .updateTable('tasks')
      .set({ due_date: day(7), deadline_version: 2, updated_at: at })
      .where('id', '=', ids.tomorrow)
      .execute()
    await t.db.updateTable('tasks').set({ owner_id: o1, updated_at: at }).where('id', '=', ids.week).execute()
    const later = await runSweep(t.db, new Date(NOW.getTime() + 120_000), { config })
    expect(later.recorded).toBe(2)
    const keys = (await notifications()).map(n => n.dedupe_key)
    expect(keys).toContain(`${day(0)}:due_soon:${ids.tomorrow}:2:${o1}:7`)
    expect(keys).toContain(`${day(0)}:due_soon:${ids.week}:1:${o1}:7`)
    // A closed task stops: closing the overdue one changes nothing already recorded and adds nothing.
    await t.db
      .updateTable('tasks')
      .set({ status: 'closed', updated_at: new Date(NOW.getTime() + 150_000).toISOString() })
      .where('id', '=', ids.lateDay1)
      .execute()
    expect((await runSweep(t.db, new Date(NOW.getTime() + 180_000), { config })).recorded).toBe(0)
    // The first sweep of Thursday plans every task for the new day: only the task due Friday is new.
    const thursday = await runSweep(t.db, sh('2026-11-26 00:05'), { config })
    expect(thursday.recorded).toBe(1)
    expect((await notifications()).map(n => n.dedupe_key)).toContain(`${day(1)}:due_soon:${ids.twoDays}:1:${o1}:1`)
  })

  it('a failure inside the recording transaction leaves neither the notification nor its email', async () => {
    const taskId = await addTask({ due: day(1), at: TUESDAY_NOON })
    const reminder = {
      kind: 'due_soon' as const,
      userId: o1,
      taskId,
      dedupeKey: `due_soon:${taskId}:1:${o1}:1`,
      taskTitle: 'x',
      dueDate: day(1),
      daysLeft: 1,
    }
    await expect(
      recordReminders(t.db, [reminder], {
        beforeCommit: async () => {
          throw new Error('crash before commit')
        },
      }),
    ).rejects.toThrow('crash before commit')
    expect(await count('notifications')).toBe(0)
    expect(await count('email_outbox')).toBe(0)
    expect(await recordReminders(t.db, [reminder, reminder])).toEqual({ recorded: 1, emails: 1 })
    expect(await recordReminders(t.db, [reminder])).toEqual({ recorded: 0, emails: 0 })
  })

  it('the weekly digest: once per user with open work, Monday 09:00', async () => {
    await addTask({ due: '2026-11-20', at: sh('2026-11-29 12:00') })
    await addTask({ status: 'unassigned', due: '2027-01-01', at: sh('2026-11-29 12:00') })
    await addTask({ status: 'pending_review', owner: o2, due: '2027-01-01', at: sh('2026-11-29 12:00') })
    await setSweptUntil(sh('2026-11-30 08:55'))
    const r = await runSweep(t.db, sh('2026-11-30 09:00'), { config })
    expect(r.digests).toBe(3)
    const digests = (await notifications()).filter(n => n.kind === 'digest')
    expect(digests.map(d => d.dedupe_key).sort()).toEqual(
      [`digest:${o1}:2026-W49`, `digest:${o2}:2026-W49`, `digest:${s1}:2026-W49`].sort(),
    )
    expect(digests.find(d => d.user_id === s1)!.body).toMatch(/待分派 1 项.*待核验 1 项/)
    expect((await runSweep(t.db, sh('2026-11-30 09:05'), { config })).digests).toBe(0)
    await setSweptUntil(sh('2026-11-30 08:00')) // as if the 09:00 sweeps had crashed: recorded once all the same
    expect((await runSweep(t.db, sh('2026-11-30 10:00'), { config })).recorded).toBe(0)
  })

  /** A sweep in a separate process, on its own connection (better-sqlite3 is synchronous: two in one process would wait on each other). */
  const sweepInProcess = (now: Date, batchSize: number) =>
    new Promise<SweepResult>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/run-sweep.ts', now.toISOString(), String(batchSize)], {
        env: { ...process.env, ...t.env },
      })
      children.push(child)
      let out = ''
      let err = ''
      child.stdout!.on('data', d => (out += d))
      child.stderr!.on('data', d => (err += d))
      child.on('exit', code => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`sweep process exited ${code}: ${err}`))))
    })

  it('two sweeps at once in two processes record every reminder once', async () => {
    const owners = [o1, o2]
    for (let i = 0; i < 4; i++) owners.push(await addUser(`staff${i}`, 'staff', county, `staff${i}@example.gov.cn`))
    for (let i = 0; i < 120; i++)
      await addTask({ due: day([1, 7, 30, -1, -8, -31][i % 6]), owner: owners[i % owners.length], at: TUESDAY_NOON })
    await setSweptUntil(TUESDAY_EVENING)
    const [a, b] = await Promise.all([sweepInProcess(NOW, 7), sweepInProcess(NOW, 11)])
    // (Whichever finishes first moves the marker; a sweep that starts after that has nothing to plan.)
    const expected = (120 / 6) * (1 + 1 + 1 + 2 + 2 + 1)
    expect(Math.max(a.planned, b.planned)).toBe(expected)
    const total = await count('notifications')
    expect(total).toBe(expected)
    expect(a.recorded + b.recorded).toBe(total)
    const keys = (await notifications()).map(n => n.dedupe_key)
    expect(new Set(keys).size).toBe(keys.length)
    const mails = await outbox()
    expect(a.emails + b.emails).toBe(mails.length)
    expect(new Set(mails.map(m => m.notification_id)).size).toBe(mails.length)
  }, 60_000)

  it('the prior-year hook: open tasks of the agency’s earlier reports notify owner and supervisor, once', async () => {
    const agency = await resolveAgency(t.db, '某市教育局')
    const old = await addReport({ agencyId: agency, year: 2024 })
    const open = await addTask({ report: old, due: '2025-06-30', title: '往年未完成的任务' })
    const unassigned = await addTask({ report: old, status: 'unassigned' })
    await addTask({ report: old, status: 'closed' })
    const otherAgency = await addReport({ agencyId: await resolveAgency(t.db, '某县审计局'), year: 2024 })
    await addTask({ report: otherAgency })
    const sameYear = await addReport({ agencyId: agency, year: 2025 })
    const newer = await addReport({ agencyId: agency, year: 2025 })
    await addTask({ report: sameYear }) // same year as the new report: not "prior"

    const first = await notifyOpenPriorYearTasks(t.db, newer)
    // the supervisor hears of both open tasks in one notice
    expect(first).toMatchObject({ tasks: 2, recorded: 2 })
    expect((await notifications()).map(n => n.dedupe_key)).toEqual(
      [`prior_year_open:${newer}:${o1}`, `prior_year_open:${newer}:${s1}`].sort(),
    )
    const supNotice = await t.db
      .selectFrom('notifications')
      .select(['task_id', 'title', 'body'])
      .where('user_id', '=', s1)
      .executeTakeFirstOrThrow()
    expect(supNotice).toMatchObject({ task_id: null, title: '往年整改任务尚未办结：共 2 项' })
    expect(supNotice.body).toContain('往年未完成的任务')
    expect((await notifyOpenPriorYearTasks(t.db, newer)).recorded).toBe(0)
    expect(await count('notifications')).toBe(2)
  })

  it('the follow-up step after extraction (its own job) runs the prior-year hook; only the newest report reminds', async () => {
    const name = '003_776da8aeca5ceb7c.txt'
    const bytes = fs.readFileSync(path.join(__dirname, '../fixtures', name))
    const extraction = extractReport((await decodeDocument({ bytes: new Uint8Array(bytes), filename: name })).text)
    expect(extraction.agencyNormalized && extraction.year).toBeTruthy()
    const agency = await resolveAgency(t.db, extraction.agency!)
    const old = await addReport({ agencyId: agency, year: extraction.year! - 1 })
    const open = await addTask({ report: old, due: '2025-06-30' })
    const { report } = await storeReport(t.db, { bytes, filename: name, unitId: root, uploadedBy: null })
    expect(await processReport(t.db, report.id)).toBe('extracted')
    // the extraction commit leaves the follow-up step due; the step (what the follow-up job runs) reminds
    const due = async () =>
      (await t.db.selectFrom('reports').select('followup_done_at').where('id', '=', report.id).executeTakeFirstOrThrow()).followup_done_at
    expect(await due()).toBeNull()
    expect(await notifications()).toEqual([])
    expect(await runFollowUp(t.db, report.id)).toMatchObject({ reminders: 2, done: true })
    expect(await due()).toEqual(expect.any(String))
    expect((await notifications()).map(n => n.dedupe_key).sort()).toEqual(
      [`prior_year_open:${report.id}:${o1}`, `prior_year_open:${report.id}:${s1}`].sort(),
    )
    expect(await runFollowUp(t.db, report.id)).toMatchObject({ reminders: 0, done: true })
    // a report of an earlier year filed later does not remind again: its successor already did
    await addTask({ report: await addReport({ agencyId: agency, year: extraction.year! - 3 }), due: '2025-06-30' })
    const between = await addReport({ agencyId: agency, year: extraction.year! - 2 })
    expect((await notifyOpenPriorYearTasks(t.db, between)).recorded).toBe(0)
    expect(await count('notifications')).toBe(2)
  })

  // ─── Worker processes on a real Redis ───────────────────────────────────────────────────────

  /** Tasks due relative to the real today (the worker sweeps with new Date()). */
  async function seedForWorkers(n: number) {
    const today = localTime(new Date(), config.timeZone).day
    const owners: string[] = []
    for (let i = 0; i < 5; i++) owners.push(await addUser(`w${i}`, 'staff', county, `w${i}@example.gov.cn`))
    const expected: string[] = []
    for (let i = 0; i < n; i++) {
      const owner = owners[i % owners.length]
      const offset = [1, 7, 30][i % 3]
      const id = await addTask({ due: dateOfDay(today + offset), owner })
      expected.push(`${dateOfDay(today)}:due_soon:${id}:1:${owner}:${offset}`)
      await addTask({ due: dateOfDay(today + 2), owner }) // nothing due
    }
    // No digest inside the first sweep's one-day lookback, whatever day the test runs.
    const digestWeekday = ((isoWeekday(today) + 2) % 7) + 1
    return { expected: expected.sort(), digestWeekday }
  }

  function startWorker(extra: Record<string, string>) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      env: {
        ...process.env,
        ...t.env,
        DATA_DIR: t.env.DATA_DIR ?? path.join(os.tmpdir(), `ft-reminders-${prefix}`),
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix!,
        WORKER_LOCK_MS: '2000',
        WORKER_STALLED_INTERVAL_MS: '1000',
        RESYNC_EVERY_MS: '60000',
        REMINDER_SWEEP_EVERY: '1s',
        ...extra,
      },
      stdio: process.env.TEST_DEBUG ? 'inherit' : 'ignore',
    })
    children.push(child)
    return child
  }
  const sweptUntil = async () =>
    (await t.db.selectFrom('settings').select('value').where('key', '=', SWEPT_UNTIL_KEY).executeTakeFirst())?.value ?? ''
  const stop = async (child: ChildProcess) => {
    child.kill('SIGTERM')
    if (child.exitCode === null && child.signalCode === null) await new Promise(r => child.once('exit', r))
  }

  it('two worker processes sweeping every second record every reminder once', async () => {
    prefix = uniquePrefix()
    const { expected, digestWeekday } = await seedForWorkers(30)
    const a = startWorker({ DIGEST_WEEKDAY: String(digestWeekday), REMINDER_SWEEP_BATCH: '4' })
    const b = startWorker({ DIGEST_WEEKDAY: String(digestWeekday), REMINDER_SWEEP_BATCH: '4' })
    await waitFor(async () => (await count('notifications')) >= expected.length, { what: 'all reminders recorded', timeoutMs: 40_000 })
    // Both workers swept, several times.
    await waitFor(
      async () => {
        const beats = await t.db.selectFrom('worker_heartbeats').select(['info']).where('kind', '=', 'reminders').execute()
        return beats.length === 2 && beats.every(h => h.info && JSON.parse(h.info).lastSweepAt)
      },
      { what: 'both workers swept', timeoutMs: 30_000 },
    )
    const mark = await sweptUntil()
    await waitFor(async () => (await sweptUntil()) > mark, { what: 'another sweep' })
    await Promise.all([stop(a), stop(b)])
    expect((await notifications()).map(n => n.dedupe_key)).toEqual(expected)
    const mails = await outbox()
    expect(mails).toHaveLength(expected.length)
    expect(new Set(mails.map(m => m.notification_id)).size).toBe(expected.length)
  }, 90_000)

  it('kill -9 of the worker in the middle of a sweep, then a restart: every reminder recorded and emailed once', async () => {
    prefix = uniquePrefix()
    const { expected, digestWeekday } = await seedForWorkers(24)
    // The first worker holds each recording transaction open 1.5 s, in batches of 3 tasks.
    const first = startWorker({ DIGEST_WEEKDAY: String(digestWeekday), REMINDER_SWEEP_BATCH: '3', REMINDER_RECORD_DELAY_MS: '1500' })
    await waitFor(async () => (await count('notifications')) >= 3, { what: 'a first batch recorded', timeoutMs: 40_000 })
    await new Promise(r => setTimeout(r, 700)) // inside the next batch's transaction
    first.kill('SIGKILL')
    await new Promise(r => first.once('exit', r))
    const partial = await count('notifications')
    expect(partial).toBeGreaterThan(0)
    expect(partial).toBeLessThan(expected.length)
    expect(await sweptUntil()).toBe('') // the sweep never completed
    expect(await count('email_outbox')).toBe(partial) // committed together

    const second = startWorker({ DIGEST_WEEKDAY: String(digestWeekday), REMINDER_SWEEP_BATCH: '3' })
    await waitFor(async () => (await sweptUntil()) !== '', { what: 'a completed sweep after the restart', timeoutMs: 40_000 })
    const mark = await sweptUntil()
    await waitFor(async () => (await sweptUntil()) > mark, { what: 'another sweep' })
    expect((await notifications()).map(n => n.dedupe_key)).toEqual(expected)
    // Delivered exactly once: one outbox row per notification, each sent once (as an .eml file here).
    await waitFor(async () => (await outbox()).every(m => m.status === 'sent'), { what: 'emails sent', timeoutMs: 30_000 })
    await stop(second)
    const mails = await outbox()
    expect(mails).toHaveLength(expected.length)
    expect(new Set(mails.map(m => m.notification_id)).size).toBe(expected.length)
    const emlDir = path.join(t.env.DATA_DIR ?? 'data', 'outbox')
    if (engine === 'sqlite' && fs.existsSync(emlDir))
      expect(fs.readdirSync(emlDir).filter(f => f.endsWith('.eml'))).toHaveLength(expected.length)
  }, 120_000)
})
