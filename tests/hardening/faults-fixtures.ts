// Data for the fault tests, written through the app's own functions where they exist (store,
// confirm), so what the faults interrupt is what production does.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import { engines, type Engine } from '../support/db'
import { createUnit, createUser } from '../../app/org/org.server'
import { confirmReport } from '../../app/tasks/tasks.server'
import type { SessionUser } from '../../app/auth/session.server'

/** SQLite always; PostgreSQL too (when TEST_DATABASE_URL is set) in the full run. */
export const faultEngines: Engine[] = process.env.HARDENING_FULL ? engines : ['sqlite']

export interface Org {
  root: { id: string; path: string }
  child: { id: string; path: string }
  supervisor: SessionUser
  staff: SessionUser
}

export async function seedOrg(db: DB): Promise<Org> {
  const root = await createUnit(db, { name: '示范市人民政府办公室' })
  const child = await createUnit(db, { name: '示范市发展和改革委员会', parentId: root.id })
  const sup = await createUser(db, {
    username: 'supervisor',
    displayName: '张督办',
    role: 'supervisor',
    unitId: root.id,
    password: 'pw-123456',
    email: 'supervisor@example.test',
  })
  const staff = await createUser(db, {
    username: 'staff',
    displayName: '李责任',
    role: 'staff',
    unitId: child.id,
    password: 'pw-123456',
    email: 'staff@example.test',
  })
  const user = (id: string, username: string, displayName: string, role: 'supervisor' | 'staff', unit: typeof root): SessionUser => ({
    id,
    username,
    displayName,
    role,
    unitId: unit.id,
    unitName: unit.name,
    unitPath: unit.path,
  })
  return {
    root,
    child,
    supervisor: user(sup.id, 'supervisor', '张督办', 'supervisor', root),
    staff: user(staff.id, 'staff', '李责任', 'staff', child),
  }
}

const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url))
const fixtureNames = fs
  .readdirSync(FIXTURES)
  .filter(f => /^00\d_.*\.txt$/.test(f))
  .sort()

/** A real report file made unique (the store recognises identical content) by a last line. */
export function uniqueReportBytes(n: number, tag: string): { filename: string; bytes: Buffer } {
  const name = fixtureNames[n % fixtureNames.length]
  const bytes = Buffer.concat([fs.readFileSync(path.join(FIXTURES, name)), Buffer.from(`\n\n（编号：${tag}-${n}）\n`)])
  return { filename: `${tag}-${n}-${name}`, bytes }
}

/** An extracted report with `items` items (each optionally with an owner set during review). */
export async function addExtractedReport(
  db: DB,
  org: Org,
  items: number,
  opts: { ownerId?: string | null; unitId?: string; due?: string | null } = {},
): Promise<{ reportId: string; itemIds: string[] }> {
  const reportId = newId()
  const now = nowIso()
  const text = Array.from({ length: items }, (_, i) => `问题${i + 1}：信息发布不够及时。`).join('\n')
  await db.transaction().execute(async trx => {
    await trx
      .insertInto('reports')
      .values({
        id: reportId,
        filename: `r-${reportId}.txt`,
        format: 'txt',
        size_bytes: Buffer.byteLength(text),
        sha256: createHash('sha256').update(reportId).digest('hex'),
        encoding: 'UTF-8',
        text,
        status: 'extracted',
        error: null,
        agency_id: null,
        agency_name: '示范市发展和改革委员会',
        year: 2025,
        published_at: null,
        title: null,
        unit_id: org.root.id,
        uploaded_by: org.supervisor.id,
        created_at: now,
        updated_at: now,
        processed_at: now,
        followup_done_at: now,
      })
      .execute()
    await trx
      .insertInto('report_sources')
      .values({ report_id: reportId, bytes: Buffer.from(text) })
      .execute()
  })
  const itemIds: string[] = []
  let offset = 0
  for (let i = 0; i < items; i++) {
    const line = `问题${i + 1}：信息发布不够及时。`
    const id = newId()
    itemIds.push(id)
    await db
      .insertInto('report_items')
      .values({
        id,
        report_id: reportId,
        seq: i,
        kind: i % 2 ? 'plan' : 'problem',
        title: `第${i + 1}项`,
        text: line,
        start_offset: offset,
        end_offset: offset + line.length,
        answers: '[]',
        due_date: opts.due ?? null,
        unit_id: opts.unitId ?? null,
        owner_id: opts.ownerId ?? null,
        created_at: now,
      })
      .execute()
    offset += line.length + 1
  }
  return { reportId, itemIds }
}

/** A confirmed report whose `n` tasks belong to the staff member, due on `due`. */
export async function addConfirmedTasks(db: DB, org: Org, n: number, due: string): Promise<string[]> {
  const { reportId } = await addExtractedReport(db, org, n, { ownerId: org.staff.id, unitId: org.child.id, due })
  await confirmReport(db, org.supervisor, reportId)
  return (await db.selectFrom('tasks').select('id').where('report_id', '=', reportId).execute()).map(t => t.id)
}

/** A personal API token for the JSON API (stored as the app stores it: only its sha256). */
export async function apiToken(db: DB, userId: string): Promise<string> {
  const token = `ft_${randomBytes(32).toString('base64url')}`
  await db
    .insertInto('api_tokens')
    .values({
      id: newId(),
      user_id: userId,
      name: 'faults',
      token_hash: createHash('sha256').update(token).digest('hex'),
      created_at: nowIso(),
      last_used_at: null,
      revoked_at: null,
    })
    .execute()
  return token
}

/** Tomorrow in Beijing time (a due-soon reminder is due today for it). */
export function tomorrowInShanghai(): string {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
  return new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10)
}
