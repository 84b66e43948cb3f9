// Publishing a report's rectification progress on a public page, and withdrawing it: supervisors
// (and admins) of the report's scope, each a report event. The public side reads only through
// loadPublicProgress, which selects nothing but the fields the page may show.
import { randomBytes } from 'node:crypto'
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import { can } from '../auth/permissions'
import { AppError, notFound } from '../errors'
import type { Actor } from '../auth/scope'
import { buildPublicProgress, type PublicProgress, type PublishedTaskRow } from './public'
import { inSubtree } from '../auth/scope.server'

export const mayPublish = (role: Actor['role']) => can(role, 'report:review')

async function scopedReport(db: DB, actor: Actor, reportId: string) {
  let q = db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select(['reports.id', 'reports.status'])
    .where('reports.id', '=', reportId)
  q = q.where(inSubtree(actor, 'units.path'))
  const r = await q.executeTakeFirst()
  if (!r) throw notFound()
  return r
}

/** The live publication of a report in scope, if any. */
export async function publicationOf(db: DB, actor: Actor, reportId: string) {
  const report = await scopedReport(db, actor, reportId)
  const live = await db
    .selectFrom('report_publications')
    .select(['token', 'published_at'])
    .where('report_id', '=', reportId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst()
  const events = await db
    .selectFrom('report_events')
    .leftJoin('users', 'users.id', 'report_events.actor_id')
    .select(['report_events.type', 'report_events.created_at', 'users.display_name as actor_name'])
    .where('report_events.report_id', '=', reportId)
    .orderBy('report_events.created_at', 'desc')
    .limit(20)
    .execute()
  return { confirmed: report.status === 'confirmed', live: live ?? null, events, canPublish: mayPublish(actor.role) }
}

export async function publishReport(db: DB, actor: Actor, reportId: string): Promise<{ token: string; created: boolean }> {
  if (!mayPublish(actor.role)) throw new AppError(403, '只有督办人可以公开整改进展。')
  return db.transaction().execute(async trx => {
    const report = await scopedReport(trx, actor, reportId)
    if (report.status !== 'confirmed') throw new AppError(409, '报告确认并生成整改任务后才能公开整改进展。')
    const live = await trx
      .selectFrom('report_publications')
      .select('token')
      .where('report_id', '=', reportId)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst()
    if (live) return { token: live.token, created: false }
    const token = randomBytes(32).toString('base64url')
    const now = nowIso()
    await trx
      .insertInto('report_publications')
      .values({
        id: newId(),
        report_id: reportId,
        token,
        published_by: actor.id,
        published_at: now,
        withdrawn_by: null,
        withdrawn_at: null,
      })
      .execute()
    await trx
      .insertInto('report_events')
      .values({ id: newId(), report_id: reportId, actor_id: actor.id, type: 'published', after: null, created_at: now })
      .execute()
    return { token, created: true }
  })
}

export async function withdrawPublication(db: DB, actor: Actor, reportId: string): Promise<{ withdrawn: boolean }> {
  if (!mayPublish(actor.role)) throw new AppError(403, '只有督办人可以撤回公开。')
  return db.transaction().execute(async trx => {
    await scopedReport(trx, actor, reportId)
    const now = nowIso()
    const res = await trx
      .updateTable('report_publications')
      .set({ withdrawn_at: now, withdrawn_by: actor.id })
      .where('report_id', '=', reportId)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) return { withdrawn: false }
    await trx
      .insertInto('report_events')
      .values({ id: newId(), report_id: reportId, actor_id: actor.id, type: 'withdrawn', after: null, created_at: now })
      .execute()
    return { withdrawn: true }
  })
}

/** The public view of a live publication, or null (unknown or withdrawn token). No session, no scope: the token is the permission. */
export async function loadPublicProgress(db: DB, token: string): Promise<PublicProgress | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null
  const pub = await db
    .selectFrom('report_publications')
    .innerJoin('reports', 'reports.id', 'report_publications.report_id')
    .select(['reports.id as report_id', 'reports.agency_name', 'reports.year', 'report_publications.published_at'])
    .where('report_publications.token', '=', token)
    .where('report_publications.withdrawn_at', 'is', null)
    .executeTakeFirst()
  if (!pub) return null
  const tasks = await db
    .selectFrom('tasks')
    .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
    .select([
      'tasks.id',
      'tasks.kind',
      'tasks.title',
      'tasks.status',
      'tasks.progress',
      'tasks.due_date',
      'tasks.closed_at',
      'tasks.owner_id',
    ])
    .where('tasks.report_id', '=', pub.report_id)
    .orderBy('report_items.seq')
    .execute()
  const evidence = tasks.length
    ? await db
        .selectFrom('task_evidence')
        .select(['task_id', 'kind', 'filename', 'title', 'uploaded_by'])
        .where(
          'task_id',
          'in',
          tasks.map(t => t.id),
        )
        .orderBy('created_at')
        .execute()
    : []
  // The people who worked on it, so a title naming one of them is masked (the names never leave this function otherwise).
  const peopleIds = [...new Set([...tasks.map(t => t.owner_id), ...evidence.map(e => e.uploaded_by)].filter((x): x is string => !!x))]
  const people = peopleIds.length
    ? (await db.selectFrom('users').select('display_name').where('id', 'in', peopleIds).execute()).map(u => u.display_name)
    : []
  const rows: PublishedTaskRow[] = tasks.map(t => ({
    taskId: t.id,
    kind: t.kind,
    title: t.title,
    status: t.status,
    progress: t.progress,
    dueDate: t.due_date,
    closedAt: t.closed_at,
    evidence: evidence.filter(e => e.task_id === t.id).map(e => ({ kind: e.kind, filename: e.filename, title: e.title })),
  }))
  return buildPublicProgress(token, { agencyName: pub.agency_name, year: pub.year, publishedAt: pub.published_at }, rows, people)
}
