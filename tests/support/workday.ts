// A small organisation for the workday tests: a city office with two departments, a supervisor,
// staff in each department, an oversight user and a neighbouring city; a confirmed report whose
// tasks are unassigned in the first department.
import { newId, nowIso } from '../../db/ids'
import type { DB } from '../../db/db'
import type { Role } from '../../db/schema'
import type { SessionUser } from '../../app/auth/session.server'
import { createUnit, createUser } from '../../app/org/org.server'
import { confirmReport } from '../../app/tasks/tasks.server'

export interface Org {
  root: { id: string; path: string }
  dept: { id: string; path: string }
  dept2: { id: string; path: string }
  other: { id: string; path: string }
  sup: SessionUser
  staff: SessionUser
  staff2: SessionUser
  oversight: SessionUser
  otherSup: SessionUser
  admin: SessionUser
}

export async function makeOrg(db: DB): Promise<Org> {
  const root = await createUnit(db, { name: '市政务公开办' })
  const dept = await createUnit(db, { name: '市教育局', parentId: root.id })
  const dept2 = await createUnit(db, { name: '市民政局', parentId: root.id })
  const other = await createUnit(db, { name: '邻市政务公开办' })
  const units = { [root.id]: root, [dept.id]: dept, [dept2.id]: dept2, [other.id]: other }
  const names = { [root.id]: '市政务公开办', [dept.id]: '市教育局', [dept2.id]: '市民政局', [other.id]: '邻市政务公开办' }
  const mk = async (username: string, role: Role, unitId: string): Promise<SessionUser> => {
    const { id } = await createUser(db, {
      username,
      displayName: `${username}名`,
      password: 'password-1',
      role,
      unitId,
      email: `${username}@example.gov.cn`,
    })
    return { id, username, displayName: `${username}名`, role, unitId, unitName: names[unitId], unitPath: units[unitId].path }
  }
  return {
    root,
    dept,
    dept2,
    other,
    sup: await mk('sup', 'supervisor', root.id),
    staff: await mk('staff', 'staff', dept.id),
    staff2: await mk('staff2', 'staff', dept2.id),
    oversight: await mk('ov', 'oversight', root.id),
    otherSup: await mk('othersup', 'supervisor', other.id),
    admin: await mk('admin', 'admin', root.id),
  }
}

/** A report of `n` plan items filed at `unitId`, confirmed by `by`: its tasks (unassigned, in the report's unit), in item order. */
export async function makeTasks(
  db: DB,
  by: SessionUser,
  unitId: string,
  n: number,
  opts: { status?: 'extracted' } = {},
): Promise<{ reportId: string; taskIds: string[] }> {
  const reportId = newId()
  const now = nowIso()
  await db
    .insertInto('reports')
    .values({
      id: reportId,
      filename: `r-${reportId}.txt`,
      format: 'txt',
      size_bytes: 1,
      sha256: `sha-${reportId}`,
      encoding: 'UTF-8',
      text: '措施。'.repeat(n),
      status: 'extracted',
      error: null,
      agency_id: null,
      agency_name: '市教育局',
      year: 2025,
      published_at: null,
      title: null,
      unit_id: unitId,
      uploaded_by: by.id,
      created_at: now,
      updated_at: now,
      processed_at: now,
    })
    .execute()
  for (let i = 0; i < n; i++) {
    await db
      .insertInto('report_items')
      .values({
        id: newId(),
        report_id: reportId,
        seq: i,
        kind: 'plan',
        title: `措施${i + 1}`,
        text: `措施${i + 1}。`,
        start_offset: i * 3,
        end_offset: i * 3 + 3,
        answers: '[]',
        due_date: '2030-12-31',
        unit_id: unitId,
        owner_id: null,
        created_at: now,
      })
      .execute()
  }
  if (opts.status === 'extracted') return { reportId, taskIds: [] }
  await confirmReport(db, by, reportId)
  const taskIds = (
    await db
      .selectFrom('tasks')
      .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
      .select('tasks.id')
      .where('tasks.report_id', '=', reportId)
      .orderBy('report_items.seq')
      .execute()
  ).map(r => r.id)
  return { reportId, taskIds }
}
