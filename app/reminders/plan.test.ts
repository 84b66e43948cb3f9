import { describe, expect, it } from 'vitest'
import { dateOfDay, dayNumber, isoWeek, localTime } from './calendar'
import { DEFAULT_REMINDER_CONFIG, parseDuration, reminderConfigFromEnv, type ReminderConfig } from './config'
import { emailFor } from '../notify/message'
import { reminderMessage } from './messages'
import {
  buildScope,
  candidateDueDates,
  planPriorYearReminders,
  planReminders,
  summariseWorkload,
  sweepWindow,
  type Person,
  type PlanTask,
  type Reminder,
} from './plan'

const config = DEFAULT_REMINDER_CONFIG

// Units: /r/ (province) › /r/c/ (county); /x/ elsewhere.
const people: Person[] = [
  { id: 'o1', role: 'staff', unitPath: '/r/c/', active: true },
  { id: 'o2', role: 'staff', unitPath: '/r/c/', active: true },
  { id: 'gone', role: 'staff', unitPath: '/r/c/', active: false },
  { id: 's1', role: 'supervisor', unitPath: '/r/c/', active: true },
  { id: 's0', role: 'supervisor', unitPath: '/r/', active: true },
  { id: 'v0', role: 'oversight', unitPath: '/r/', active: true },
  { id: 'vx', role: 'oversight', unitPath: '/x/', active: true },
  { id: 'adm', role: 'admin', unitPath: '/r/', active: true },
]

/** A Shanghai wall-clock time as an instant ("2026-11-25 10:00" → 02:00Z). */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)

// Wednesday 2026-11-25, 10:00 in Shanghai; the previous sweep ran five minutes earlier.
const NOW = sh('2026-11-25 10:00')
const STEADY = new Date(NOW.getTime() - 5 * 60_000)
const day = (offset: number) => dateOfDay(dayNumber('2026-11-25') + offset)

const task = (over: Partial<PlanTask> = {}): PlanTask => ({
  id: 't',
  title: '加强政府信息主动公开',
  status: 'in_progress',
  dueDate: day(1),
  deadlineVersion: 1,
  ownerId: 'o1',
  unitPath: '/r/c/',
  ...over,
})

/** Keys without the day prefix and the task id for brevity: kind:version:recipient:period (the prefix has its own test). */
const keys = (rs: Reminder[]) => rs.map(r => r.dedupeKey.replace(/^\d{4}-\d{2}-\d{2}:/, '').replace(/:t:/, ':')).sort()
const plan = (t: PlanTask, now = NOW, since: Date | null = STEADY, cfg: ReminderConfig = config) =>
  keys(planReminders({ tasks: [t], people, now, since, config: cfg, workloads: [] }))

describe('planReminders: one task, the sweep a few minutes after the last (Wednesday 10:00 Shanghai)', () => {
  const cases: [string, Partial<PlanTask>, string[]][] = [
    ['30 days before: the owner', { dueDate: day(30) }, ['due_soon:1:o1:30']],
    ['7 days before: the owner', { dueDate: day(7) }, ['due_soon:1:o1:7']],
    ['1 day before: the owner', { dueDate: day(1) }, ['due_soon:1:o1:1']],
    ['2 days before: nothing', { dueDate: day(2) }, []],
    ['29 days before: nothing', { dueDate: day(29) }, []],
    ['31 days before: nothing', { dueDate: day(31) }, []],
    ['due today: nothing new', { dueDate: day(0) }, []],
    ['the day after: owner and supervisor', { dueDate: day(-1) }, ['overdue:1:o1:0', 'overdue:1:s1:0']],
    ['2 days overdue: nothing', { dueDate: day(-2) }, []],
    ['8 days overdue: the weekly notice, period 1', { dueDate: day(-8) }, ['overdue:1:o1:1', 'overdue:1:s1:1']],
    ['15 days overdue: period 2', { dueDate: day(-15) }, ['overdue:1:o1:2', 'overdue:1:s1:2']],
    ['30 days overdue: nothing', { dueDate: day(-30) }, []],
    ['day 31 overdue: escalation to oversight of that scope (not /x/)', { dueDate: day(-31) }, ['escalation:1:v0:0']],
    ['36 days overdue: weekly notice continues', { dueDate: day(-36) }, ['overdue:1:o1:5', 'overdue:1:s1:5']],
    ['38 days overdue: weekly escalation, period 1', { dueDate: day(-38) }, ['escalation:1:v0:1']],
    ['pending review still reminds the owner', { status: 'pending_review', dueDate: day(7) }, ['due_soon:1:o1:7']],
    ['unassigned: the supervisors instead of an owner', { status: 'unassigned', ownerId: null, dueDate: day(7) }, ['due_soon:1:s1:7']],
    ['unassigned and overdue: the supervisors', { status: 'unassigned', ownerId: null, dueDate: day(-1) }, ['overdue:1:s1:0']],
    ['inactive owner: the supervisors', { ownerId: 'gone', dueDate: day(1) }, ['due_soon:1:s1:1']],
    [
      'no supervisor in the unit: the nearest one up the chain',
      { unitPath: '/r/', dueDate: day(-1) },
      ['overdue:1:o1:0', 'overdue:1:s0:0'],
    ],
    ['reassigned: the new owner, a new key', { ownerId: 'o2', dueDate: day(1) }, ['due_soon:1:o2:1']],
    ['deadline changed: the new version re-plans', { deadlineVersion: 2, dueDate: day(7) }, ['due_soon:2:o1:7']],
    ['closed: nothing', { status: 'closed', dueDate: day(1) }, []],
    ['closed and overdue: nothing', { status: 'closed', dueDate: day(-1) }, []],
    ['cancelled: nothing', { status: 'cancelled', dueDate: day(-8) }, []],
    ['ongoing (长期坚持): nothing', { status: 'ongoing', dueDate: day(-1) }, []],
    ['no deadline: nothing', { dueDate: null }, []],
  ]
  it.each(cases)('%s', (_name, over, expected) => {
    expect(plan(task(over))).toEqual(expected.sort())
  })

  it('the reminder says how many days are left or overdue, and links to the task', () => {
    const [soon] = planReminders({ tasks: [task({ dueDate: day(7) })], people, now: NOW, since: STEADY, config, workloads: [] })
    expect(soon).toMatchObject({ kind: 'due_soon', daysLeft: 7, dueDate: day(7), taskTitle: '加强政府信息主动公开' })
    const m = reminderMessage(soon)
    expect(m.title).toContain('7 天')
    expect(m.link).toBe('/tasks/t')
    const mail = emailFor(m, 'https://zgzg.example.gov.cn/app/')
    expect(mail.emailText).toContain('查看任务：https://zgzg.example.gov.cn/app/tasks/t')
    expect(mail.emailText).toContain(day(7))
    const [late] = planReminders({ tasks: [task({ dueDate: day(-8) })], people, now: NOW, since: STEADY, config, workloads: [] })
    expect(reminderMessage(late).title).toContain('逾期 8 天')
  })
})

describe('prior-year notices when a new report arrives', () => {
  const report = { id: 'r2025', agency: '某市教育局', year: 2025 }
  it('one notice per person for all of their open tasks, keyed by report and person', () => {
    const tasks = [
      task({ id: 'a', title: '甲', ownerId: 'o1' }),
      task({ id: 'b', title: '乙', ownerId: 'o1' }),
      task({ id: 'c', title: '丙', ownerId: 'o1' }),
      task({ id: 'd', title: '丁', ownerId: 'o1' }),
      task({ id: 'e', title: '戊', ownerId: 'o2' }),
      task({ id: 'f', status: 'closed' }),
      task({ id: 'g', status: 'unassigned', ownerId: null }),
    ]
    const reminders = planPriorYearReminders(tasks, buildScope(people), report)
    expect(reminders.map(r => [r.userId, r.dedupeKey, r.tasks?.map(t => t.id).join('')])).toEqual([
      ['o1', 'prior_year_open:r2025:o1', 'abcd'],
      ['s1', 'prior_year_open:r2025:s1', 'abcdeg'],
      ['o2', 'prior_year_open:r2025:o2', 'e'],
    ])
    const [four, , one] = reminders
    expect(four.taskId).toBeNull()
    const m = reminderMessage(four)
    expect(m.title).toBe('往年整改任务尚未办结：共 4 项')
    expect(m.body).toContain('「甲」（期限 2026-11-26）、「乙」')
    expect(m.link).toBe('/tasks')
    // a single task is named and linked as before
    expect(one.taskId).toBe('e')
    expect(reminderMessage(one)).toMatchObject({ title: '往年整改任务尚未办结：戊', link: '/tasks/e' })
  })
})

describe('time zone: calendar days are Shanghai days (midnight there is 16:00 UTC)', () => {
  const before = new Date('2026-11-24T15:59:59Z') // 23:59:59 on the 24th in Shanghai
  const after = new Date('2026-11-24T16:00:00Z') // 00:00 on the 25th in Shanghai, still the 24th in UTC
  const cases: [string, Date, string, string[]][] = [
    ['23:59: due on the 25th is 1 day away', before, '2026-11-25', ['due_soon:1:o1:1']],
    ['23:59: due on the 26th is 2 days away', before, '2026-11-26', []],
    ['23:59: due on the 24th is due today', before, '2026-11-24', []],
    ['00:00: due on the 26th is 1 day away', after, '2026-11-26', ['due_soon:1:o1:1']],
    ['00:00: due on the 24th is overdue', after, '2026-11-24', ['overdue:1:o1:0', 'overdue:1:s1:0']],
    ['00:00: due on the 25th is due today', after, '2026-11-25', []],
  ]
  it.each(cases)('%s', (_name, now, due, expected) => {
    expect(plan(task({ dueDate: due }), now, now)).toEqual(expected)
  })

  it('another configured zone moves the boundary', () => {
    const utc = { ...config, timeZone: 'UTC' }
    expect(plan(task({ dueDate: '2026-11-26' }), after, after, utc)).toEqual([])
    expect(plan(task({ dueDate: '2026-11-25' }), after, after, utc)).toEqual(['due_soon:1:o1:1'])
  })
})

describe('catch-up after the worker was down: the most recent reminder of each kind, not every missed one', () => {
  const SUNDAY = sh('2026-11-22 10:00')
  const cases: [string, Partial<PlanTask>, Date, string[]][] = [
    ['7-day notice fell on Monday: sent on Wednesday', { dueDate: day(5) }, SUNDAY, ['due_soon:1:o1:7']],
    ['7-day notice before the outage, 1-day today: only the 1-day', { dueDate: day(1) }, SUNDAY, ['due_soon:1:o1:1']],
    ['first overdue day fell on Sunday: sent now', { dueDate: day(-4) }, SUNDAY, ['overdue:1:o1:0', 'overdue:1:s1:0']],
    [
      'overdue days 1 and 8 both missed: only period 1',
      { dueDate: day(-11) },
      sh('2026-11-10 10:00'),
      ['overdue:1:o1:1', 'overdue:1:s1:1'],
    ],
    [
      'a month down, 20 days overdue: only the latest weekly notice',
      { dueDate: day(-20) },
      sh('2026-10-25 10:00'),
      ['overdue:1:o1:2', 'overdue:1:s1:2'],
    ],
    [
      'a month down, 33 days overdue: latest overdue and the escalation',
      { dueDate: day(-33) },
      sh('2026-10-25 10:00'),
      ['escalation:1:v0:0', 'overdue:1:o1:4', 'overdue:1:s1:4'],
    ],
    [
      'the deadline passed during the outage: overdue, no stale due-soon',
      { dueDate: day(-2) },
      SUNDAY,
      ['overdue:1:o1:0', 'overdue:1:s1:0'],
    ],
  ]
  it.each(cases)('%s', (_name, over, since, expected) => {
    expect(plan(task(over), NOW, since)).toEqual(expected.sort())
  })

  it('a key starts with the day its reminder fell due, not the day it was sent', () => {
    const full = (t: PlanTask, since: Date) =>
      planReminders({ tasks: [t], people, now: NOW, since, config, workloads: [] })
        .map(r => r.dedupeKey)
        .sort()
    // 7 days before a deadline on Monday 30th: Monday 23rd; sent on Wednesday after the outage.
    expect(full(task({ dueDate: day(5) }), SUNDAY)).toEqual([`${day(-2)}:due_soon:t:1:o1:7`])
    // Due Saturday 21st: first overdue day Sunday 22nd.
    expect(full(task({ dueDate: day(-4) }), SUNDAY)).toEqual([`${day(-3)}:overdue:t:1:o1:0`, `${day(-3)}:overdue:t:1:s1:0`])
    // 33 days overdue: escalation on day 31 (Monday 23rd), latest weekly overdue notice on day 29 (period 4).
    expect(full(task({ dueDate: day(-33) }), sh('2026-10-25 10:00'))).toEqual(
      [`${day(-4)}:overdue:t:1:o1:4`, `${day(-4)}:overdue:t:1:s1:4`, `${day(-2)}:escalation:t:1:v0:0`].sort(),
    )
    // The same reminder planned by a later sweep keeps its key.
    expect(full(task({ dueDate: day(5) }), sh('2026-11-23 08:00'))).toEqual([`${day(-2)}:due_soon:t:1:o1:7`])
  })

  it('a first sweep with no predecessor looks back one day', () => {
    expect(plan(task({ dueDate: day(6) }), NOW, null)).toEqual(['due_soon:1:o1:7'])
    expect(plan(task({ dueDate: day(5) }), NOW, null)).toEqual([])
  })

  it('a since in the future (clock skew) still covers today', () => {
    expect(plan(task({ dueDate: day(1) }), NOW, new Date(NOW.getTime() + 3_600_000))).toEqual(['due_soon:1:o1:1'])
  })
})

describe('weekly digest: Monday 09:00 Shanghai, once per ISO week, for users with open work', () => {
  const tasks: PlanTask[] = [
    task({ id: 'a', dueDate: '2026-11-20' }), // o1, overdue
    task({ id: 'b', dueDate: '2026-12-03' }), // o1, due within 7 days of Monday 30th
    task({ id: 'c', status: 'unassigned', ownerId: null, dueDate: '2027-03-01' }), // s1 to assign
    task({ id: 'd', status: 'pending_review', ownerId: 'o2', dueDate: '2027-03-01' }), // o2 owns, s1 reviews
    task({ id: 'e', status: 'closed', ownerId: 'o2' }),
  ]
  const digests = (now: Date, since: Date | null) =>
    planReminders({ tasks, people, now, since, config })
      .filter(r => r.kind === 'digest')
      .map(r => r.dedupeKey)
      .sort()

  const cases: [string, Date, Date | null, string[]][] = [
    [
      'Monday 09:00 exactly',
      sh('2026-11-30 09:00'),
      sh('2026-11-30 08:55'),
      ['digest:o1:2026-W49', 'digest:o2:2026-W49', 'digest:s1:2026-W49'],
    ],
    ['Monday 08:59: not yet', sh('2026-11-30 08:59'), sh('2026-11-30 08:54'), []],
    ['Monday 09:05 after the 09:00 sweep: already done', sh('2026-11-30 09:05'), sh('2026-11-30 09:00'), []],
    ['Sunday 09:00: nothing', sh('2026-11-29 09:00'), sh('2026-11-29 08:55'), []],
    [
      'Tuesday, worker down since Monday 08:00: caught up',
      sh('2026-12-01 10:00'),
      sh('2026-11-30 08:00'),
      ['digest:o1:2026-W49', 'digest:o2:2026-W49', 'digest:s1:2026-W49'],
    ],
    ['Monday 09:00 UTC is 17:00 Shanghai: no second digest', new Date('2026-11-30T09:00:00Z'), new Date('2026-11-30T08:55:00Z'), []],
  ]
  it.each(cases)('%s', (_name, now, since, expected) => {
    expect(digests(now, since)).toEqual(expected)
  })

  it('counts what each user has: owned, overdue, due soon, to assign, to review', () => {
    const w = sweepWindow(sh('2026-11-30 09:00'), sh('2026-11-30 08:55'), config)
    const loads = summariseWorkload(tasks, buildScope(people), w.today)
    expect(loads).toEqual([
      { userId: 'o1', owned: 2, overdue: 1, dueSoon: 1, toAssign: 0, toReview: 0 },
      { userId: 'o2', owned: 1, overdue: 0, dueSoon: 0, toAssign: 0, toReview: 0 },
      { userId: 's1', owned: 0, overdue: 0, dueSoon: 0, toAssign: 1, toReview: 1 },
    ])
  })

  it('configurable weekday and hour', () => {
    const friday = { ...config, digest: { weekday: 5, hour: 17 } }
    const r = planReminders({ tasks, people, now: sh('2026-11-27 17:00'), since: sh('2026-11-27 16:55'), config: friday }).filter(
      r => r.kind === 'digest',
    )
    expect(r.map(d => d.week)).toEqual(['2026-W48', '2026-W48', '2026-W48'])
  })
})

describe('candidateDueDates: the sweep loads only tasks that can have a reminder', () => {
  it('lists exactly the dates the planner can act on (steady state), for every due date over 5 years', () => {
    const w = sweepWindow(NOW, STEADY, config)
    const c = candidateDueDates(w, config, day(-1500))
    expect(c.dates).not.toBeNull()
    const dates = new Set(c.dates)
    expect(
      dates.has(day(30)) && dates.has(day(7)) && dates.has(day(1)) && dates.has(day(-1)) && dates.has(day(-8)) && dates.has(day(-31)),
    ).toBe(true)
    expect(dates.has(day(2)) || dates.has(day(0)) || dates.has(day(-2))).toBe(false)
    for (let d = -1500; d <= 400; d++) {
      const has = plan(task({ dueDate: day(d) })).length > 0
      expect([d, dates.has(day(d))]).toEqual([d, has])
    }
  })

  it('after an outage: a superset of what the planner needs', () => {
    for (const since of [sh('2026-11-22 10:00'), sh('2026-11-20 23:00')]) {
      const w = sweepWindow(NOW, since, config)
      const c = candidateDueDates(w, config, day(-400))
      for (let d = -400; d <= 60; d++) {
        if (plan(task({ dueDate: day(d) }), NOW, since).length === 0) continue
        expect(c.dates === null ? day(d) <= c.upTo : c.dates.includes(day(d))).toBe(true)
      }
    }
  })

  it('a window of a week or more loads by range', () => {
    const w = sweepWindow(NOW, sh('2026-11-01 10:00'), config)
    expect(candidateDueDates(w, config, day(-100))).toEqual({ dates: null, upTo: day(30) })
  })
})

describe('config', () => {
  it('defaults as in PRODUCT.md', () => {
    expect(reminderConfigFromEnv({})).toEqual({
      beforeDays: [1, 7, 30],
      overdueEveryDays: 7,
      escalateAfterDays: 30,
      digest: { weekday: 1, hour: 9 },
      timeZone: 'Asia/Shanghai',
    })
  })
  it('reads every setting from the environment', () => {
    expect(
      reminderConfigFromEnv({
        REMINDER_BEFORE_DAYS: '14, 3',
        REMINDER_OVERDUE_EVERY_DAYS: '3',
        REMINDER_ESCALATE_AFTER_DAYS: '10',
        DIGEST_WEEKDAY: '5',
        DIGEST_HOUR: '17',
        APP_TIME_ZONE: 'UTC',
      }),
    ).toEqual({ beforeDays: [3, 14], overdueEveryDays: 3, escalateAfterDays: 10, digest: { weekday: 5, hour: 17 }, timeZone: 'UTC' })
  })
  it('refuses nonsense with a message naming the variable', () => {
    expect(() => reminderConfigFromEnv({ REMINDER_BEFORE_DAYS: '7,x' })).toThrow(/REMINDER_BEFORE_DAYS/)
    expect(() => reminderConfigFromEnv({ DIGEST_HOUR: '24' })).toThrow(/DIGEST_HOUR/)
    expect(() => reminderConfigFromEnv({ APP_TIME_ZONE: 'Mars/Olympus' })).toThrow(/APP_TIME_ZONE/)
  })
  it.each([
    ['2s', 2000],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['250ms', 250],
    ['1500', 1500],
  ])('duration %s = %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms))
  it('rejects a bad duration', () => expect(() => parseDuration('5 minutes')).toThrow())
})

describe('calendar', () => {
  it('ISO weeks at year boundaries', () => {
    expect(isoWeek(dayNumber('2026-11-30'))).toBe('2026-W49')
    expect(isoWeek(dayNumber('2026-01-01'))).toBe('2026-W01')
    expect(isoWeek(dayNumber('2027-01-01'))).toBe('2026-W53')
    expect(isoWeek(dayNumber('2025-12-29'))).toBe('2026-W01')
  })
  it('local time in Shanghai', () => {
    const t = localTime(new Date('2026-11-24T16:30:00Z'), 'Asia/Shanghai')
    expect(dateOfDay(t.day)).toBe('2026-11-25')
    expect(t.hour).toBe(0)
  })
})
