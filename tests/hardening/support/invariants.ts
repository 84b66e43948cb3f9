// What must hold in the database after any fault, whatever was interrupted: queries that run
// unchanged on SQLite and PostgreSQL. Each check returns the rows that break it, so a failure says
// which report, item, task or email is wrong.
import fs from 'node:fs'
import path from 'node:path'
import type { DB } from '../../../db/db'

export interface InvariantReport {
  /** Names of the invariants checked. */
  checked: string[]
  /** One line per violation, `invariant: detail`. Empty when everything holds. */
  violations: string[]
}

export interface InvariantOptions {
  /** Workers are idle: nothing may be left queued/processing, pending or sending. */
  idle?: boolean
  /** Expected row counts (what the test put in), e.g. { reports: 12, tasks: 40 }. */
  counts?: Partial<Record<'reports' | 'report_items' | 'tasks' | 'notifications' | 'email_outbox' | 'task_evidence', number>>
  /** The .eml directory of the outbox (no SMTP): one file per sent row, none other. */
  emlDir?: string
}

/** Every invariant at once; `expectInvariants` in a test turns violations into one readable failure. */
export async function checkInvariants(db: DB, opts: InvariantOptions = {}): Promise<InvariantReport> {
  const out: InvariantReport = { checked: [], violations: [] }
  const check = async (name: string, rows: () => Promise<string[]>) => {
    out.checked.push(name)
    for (const r of await rows()) out.violations.push(`${name}: ${r}`)
  }

  await check('item without its report', async () =>
    (
      await db
        .selectFrom('report_items')
        .leftJoin('reports', 'reports.id', 'report_items.report_id')
        .select(['report_items.id', 'report_items.report_id'])
        .where('reports.id', 'is', null)
        .execute()
    ).map(r => `item ${r.id} → missing report ${r.report_id}`),
  )
  await check('report without its source bytes', async () =>
    (
      await db
        .selectFrom('reports')
        .leftJoin('report_sources', 'report_sources.report_id', 'reports.id')
        .select('reports.id')
        .where('report_sources.report_id', 'is', null)
        .where('reports.size_bytes', '>', 0)
        .where('reports.status', '!=', 'confirmed')
        .execute()
    ).map(r => `report ${r.id}`),
  )
  await check('item seq unique per report', async () =>
    (
      await db
        .selectFrom('report_items')
        .select(['report_id', 'seq', eb => eb.fn.countAll<number>().as('n')])
        .groupBy(['report_id', 'seq'])
        .having(eb => eb.fn.countAll(), '>', 1)
        .execute()
    ).map(r => `report ${r.report_id} seq ${r.seq} ×${r.n}`),
  )
  await check('at most one task per item', async () =>
    (
      await db
        .selectFrom('tasks')
        .select(['item_id', eb => eb.fn.countAll<number>().as('n')])
        .groupBy('item_id')
        .having(eb => eb.fn.countAll(), '>', 1)
        .execute()
    ).map(r => `item ${r.item_id} has ${r.n} tasks`),
  )
  await check('task without its item or report', async () =>
    (
      await db
        .selectFrom('tasks')
        .leftJoin('report_items', 'report_items.id', 'tasks.item_id')
        .leftJoin('reports', 'reports.id', 'tasks.report_id')
        .select(['tasks.id', 'report_items.id as item', 'reports.id as report'])
        .where(eb => eb.or([eb('report_items.id', 'is', null), eb('reports.id', 'is', null)]))
        .execute()
    ).map(r => `task ${r.id}`),
  )
  await check('confirmed report has a task for every item', async () =>
    (
      await db
        .selectFrom('report_items')
        .innerJoin('reports', 'reports.id', 'report_items.report_id')
        .leftJoin('tasks', 'tasks.item_id', 'report_items.id')
        .select(['report_items.id', 'reports.id as report'])
        .where('reports.status', '=', 'confirmed')
        .where('tasks.id', 'is', null)
        .execute()
    ).map(r => `report ${r.report} item ${r.id}`),
  )
  await check('no task on an unconfirmed report', async () =>
    (
      await db
        .selectFrom('tasks')
        .innerJoin('reports', 'reports.id', 'tasks.report_id')
        .select(['tasks.id', 'reports.status'])
        .where('reports.status', '!=', 'confirmed')
        .execute()
    ).map(r => `task ${r.id} on a ${r.status} report`),
  )

  // The timeline: exactly one 'created' event per task, and replaying the events gives the task's
  // status and progress (a lost or doubled event shows here).
  const tasks = await db.selectFrom('tasks').select(['id', 'status', 'progress']).execute()
  const events = await db
    .selectFrom('task_events')
    .select(['id', 'task_id', 'type', 'after', 'created_at'])
    .orderBy('task_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  const byTask = new Map<string, typeof events>()
  for (const e of events) (byTask.get(e.task_id) ?? byTask.set(e.task_id, []).get(e.task_id)!).push(e)
  await check('one created event per task', async () =>
    tasks.flatMap(t => {
      const n = (byTask.get(t.id) ?? []).filter(e => e.type === 'created').length
      return n === 1 ? [] : [`task ${t.id} has ${n} created events`]
    }),
  )
  await check('event without its task', async () => {
    const ids = new Set(tasks.map(t => t.id))
    return [...byTask.keys()].filter(id => !ids.has(id)).map(id => `events of missing task ${id}`)
  })
  await check('task status equals its last status event', async () =>
    tasks.flatMap(t => {
      let status: string | undefined
      for (const e of byTask.get(t.id) ?? []) {
        const after = e.after ? (JSON.parse(e.after) as { status?: string }) : {}
        if (typeof after.status === 'string') status = after.status
      }
      return status === t.status ? [] : [`task ${t.id} is ${t.status}, its events say ${status}`]
    }),
  )
  await check('task progress equals its last progress event', async () =>
    tasks.flatMap(t => {
      let progress = 0
      for (const e of byTask.get(t.id) ?? []) {
        const after = e.after ? (JSON.parse(e.after) as { progress?: number }) : {}
        if (e.type === 'verify') progress = 100
        else if (typeof after.progress === 'number') progress = after.progress
      }
      return progress === Number(t.progress) ? [] : [`task ${t.id} progress ${t.progress}, its events say ${progress}`]
    }),
  )
  await check('event timestamps strictly increase per task', async () =>
    [...byTask.entries()].flatMap(([id, list]) =>
      list
        .slice(1)
        .flatMap((e, i) => (e.created_at > list[i].created_at ? [] : [`task ${id}: ${list[i].created_at} then ${e.created_at}`])),
    ),
  )

  await check('one notification per reminder key', async () =>
    (
      await db
        .selectFrom('notifications')
        .select(['dedupe_key', eb => eb.fn.countAll<number>().as('n')])
        .groupBy('dedupe_key')
        .having(eb => eb.fn.countAll(), '>', 1)
        .execute()
    ).map(r => `${r.dedupe_key} ×${r.n}`),
  )
  await check('at most one email per notification', async () =>
    (
      await db
        .selectFrom('email_outbox')
        .select(['notification_id', eb => eb.fn.countAll<number>().as('n')])
        .where('notification_id', 'is not', null)
        .groupBy('notification_id')
        .having(eb => eb.fn.countAll(), '>', 1)
        .execute()
    ).map(r => `notification ${r.notification_id} has ${r.n} emails`),
  )
  await check('email without its notification', async () =>
    (
      await db
        .selectFrom('email_outbox')
        .leftJoin('notifications', 'notifications.id', 'email_outbox.notification_id')
        .select('email_outbox.id')
        .where('email_outbox.notification_id', 'is not', null)
        .where('notifications.id', 'is', null)
        .execute()
    ).map(r => `email ${r.id}`),
  )
  await check('sent email has its sent time', async () =>
    (await db.selectFrom('email_outbox').select('id').where('status', '=', 'sent').where('sent_at', 'is', null).execute()).map(
      r => `email ${r.id}`,
    ),
  )

  if (opts.idle) {
    await check('no report left queued or processing', async () =>
      (await db.selectFrom('reports').select(['id', 'status']).where('status', 'in', ['queued', 'processing']).execute()).map(
        r => `report ${r.id} ${r.status}`,
      ),
    )
    await check('no email left pending or sending', async () =>
      (
        await db
          .selectFrom('email_outbox')
          .select(['id', 'status', 'attempts', 'last_error'])
          .where('status', 'in', ['pending', 'sending'])
          .execute()
      ).map(r => `email ${r.id} ${r.status} (attempts ${r.attempts}, ${r.last_error ?? 'no error'})`),
    )
    await check('no email failed', async () =>
      (await db.selectFrom('email_outbox').select(['id', 'last_error']).where('status', '=', 'failed').execute()).map(
        r => `email ${r.id}: ${r.last_error}`,
      ),
    )
  }

  for (const [table, expected] of Object.entries(opts.counts ?? {})) {
    await check(`row count of ${table}`, async () => {
      const row = await db
        .selectFrom(table as 'reports')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return Number(row.n) === expected ? [] : [`${row.n} rows, expected ${expected}`]
    })
  }

  if (opts.emlDir) {
    const dir = opts.emlDir
    await check('one .eml per sent email, none other', async () => {
      const files = fs.existsSync(dir) ? fs.readdirSync(dir) : []
      const eml = new Set(files.filter(f => f.endsWith('.eml')).map(f => f.slice(0, -4)))
      const sent = new Set((await db.selectFrom('email_outbox').select('id').where('status', '=', 'sent').execute()).map(r => r.id))
      return [
        ...[...sent].filter(id => !eml.has(id)).map(id => `sent email ${id} has no file`),
        ...[...eml].filter(id => !sent.has(id)).map(id => `file ${id}.eml is not a sent email`),
        ...[...eml]
          .filter(id => !fs.readFileSync(path.join(dir, `${id}.eml`), 'latin1').includes(`outbox-${id}@`))
          .map(id => `file ${id}.eml is incomplete`),
      ]
    })
  }
  return out
}

/** Throws one error listing every violation (and how many invariants were checked). */
export async function expectInvariants(db: DB, opts: InvariantOptions = {}, context = ''): Promise<number> {
  const r = await checkInvariants(db, opts)
  if (r.violations.length)
    throw new Error(
      `${r.violations.length} invariant violation(s)${context ? ` (${context})` : ''}:\n${r.violations.slice(0, 40).join('\n')}`,
    )
  return r.checked.length
}
