// One agency with two years of reports, worked through the real workflow functions, for the
// paperwork and public-page tests: the 2023 report's tasks in every interesting state (closed with
// evidence, in progress with notes, submitted, overdue and unassigned, ongoing), a supervisor-confirmed
// follow-up finding in the 2024 report, and another tree's report that nobody here may see.
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import { decideSuggestion } from '../../app/followup/suggestions.server'
import { createUnit, createUser } from '../../app/org/org.server'
import { confirmReport } from '../../app/tasks/tasks.server'
import { addEvidenceFile, addEvidenceLink, addProgress, transitionTask, updateTask } from '../../app/tasks/workflow.server'
import type { Actor } from '../../app/auth/scope'

export interface PaperworkWorld {
  sup: Actor & { username: string; displayName: string; unitName: string }
  staff: Actor
  otherSup: Actor & { username: string; displayName: string; unitName: string }
  agencyId: string
  earlierReportId: string
  laterReportId: string
  otherReportId: string
  /** 2023 tasks in item order: closed, in progress, pending review, overdue unassigned, ongoing. */
  earlierTasks: string[]
  laterTasks: string[]
  /** Names that must never be public. */
  people: string[]
  evidenceNames: string[]
}

const ITEMS_2023 = [
  ['problem', '政务公开栏目更新不及时', '部分栏目更新不及时，信息发布滞后。', '[]', '2024-12-31'],
  ['problem', '依申请公开答复质量有待提高', '依申请公开答复文书不够规范，答复质量有待提高。', '[]', '2024-12-31'],
  ['plan', '建立栏目更新台账', '建立栏目更新台账，每月检查一次。', '[0]', '2024-06-30'],
  ['plan', '加强答复文书培训', '加强业务培训，规范答复文书。', '[1]', '2024-03-31'],
  ['plan', '持续做好政策解读', '持续做好政策解读工作。', '[]', '2024-12-31'],
] as const
const ITEMS_2024 = [
  ['problem', '政策解读形式较为单一', '政策解读形式较为单一，图解、视频解读较少。', '[]', '2025-12-31'],
  ['plan', '丰富政策解读形式', '丰富政策解读形式，增加图解和视频解读。', '[0]', '2025-12-31'],
] as const

async function insertReport(
  db: DB,
  unitId: string,
  by: string,
  agency: { id: string; name: string },
  year: number,
  items: readonly (readonly [string, string, string, string, string])[],
) {
  const id = newId()
  const now = nowIso()
  const text = `${agency.name}${year}年政府信息公开工作年度报告。我局建立栏目更新台账，每月检查栏目，已于2024年5月完成整改。`
  await db
    .insertInto('reports')
    .values({
      id,
      filename: `${year}.txt`,
      format: 'txt',
      size_bytes: text.length,
      sha256: newId(),
      encoding: 'UTF-8',
      text,
      status: 'extracted',
      error: null,
      agency_id: agency.id,
      agency_name: agency.name,
      year,
      published_at: null,
      title: null,
      unit_id: unitId,
      uploaded_by: by,
      created_at: now,
      updated_at: now,
      processed_at: now,
    })
    .execute()
  const itemIds: string[] = []
  for (const [seq, [kind, title, body, answers, due]] of items.entries()) {
    const itemId = newId()
    itemIds.push(itemId)
    await db
      .insertInto('report_items')
      .values({
        id: itemId,
        report_id: id,
        seq,
        kind: kind as 'problem' | 'plan',
        title,
        text: body,
        start_offset: 0,
        end_offset: 10,
        answers,
        due_date: due,
        created_at: now,
      })
      .execute()
  }
  return { id, itemIds }
}

export async function buildPaperworkWorld(db: DB): Promise<PaperworkWorld> {
  const root = await createUnit(db, { name: '示范市政务公开办' })
  const dept = await createUnit(db, { name: '示范市教育局办公室', parentId: root.id })
  const otherRoot = await createUnit(db, { name: '邻市政务公开办' })
  const mk = async (username: string, displayName: string, role: Actor['role'], unit: { id: string; path: string; name: string }) => {
    const { id } = await createUser(db, { username, displayName, password: 'password-1', role, unitId: unit.id })
    return { id, role, unitId: unit.id, unitPath: unit.path, username, displayName, unitName: unit.name }
  }
  const sup = await mk('pw-sup', '张督办', 'supervisor', root)
  const staff = await mk('pw-staff', '李责任', 'staff', dept)
  const otherSup = await mk('pw-other', '赵外市', 'supervisor', otherRoot)
  const agency = { id: newId(), name: '示范市教育局' }
  await db
    .insertInto('agencies')
    .values({ id: agency.id, name: agency.name, normalized_name: `pw-${agency.id}`, unit_id: null, created_at: nowIso() })
    .execute()

  const earlier = await insertReport(db, root.id, sup.id, agency, 2023, ITEMS_2023)
  // Confirmed when each report came out: their deadlines are judged then (a deadline already past
  // at confirmation would be moved ahead, see defaultDueDate), and the documents are dated 2025-01-15.
  await confirmReport(db, sup, earlier.id, new Date('2024-01-10T02:00:00Z'))
  const earlierTasks = (
    await db
      .selectFrom('tasks')
      .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
      .select('tasks.id')
      .where('tasks.report_id', '=', earlier.id)
      .orderBy('report_items.seq')
      .execute()
  ).map(t => t.id)
  const [closed, working, submitted, overdue, ongoing] = earlierTasks
  await updateTask(db, sup, closed, { unitId: dept.id, ownerId: staff.id })
  await addProgress(db, staff, closed, { progress: 80, note: '建立了栏目更新台账，每月检查栏目更新情况' })
  await addEvidenceFile(db, staff, closed, { filename: '栏目检查记录.pdf', bytes: new TextEncoder().encode('%PDF-1.4 台账') })
  await transitionTask(db, staff, closed, { action: 'submit' })
  await transitionTask(db, sup, closed, { action: 'verify' })
  await updateTask(db, sup, working, { unitId: dept.id, ownerId: staff.id, dueDate: '2099-12-31' })
  await addProgress(db, staff, working, { progress: 50, note: '举办答复文书规范培训两期' })
  await updateTask(db, sup, submitted, { unitId: dept.id, ownerId: staff.id })
  await addEvidenceLink(db, staff, submitted, { url: 'https://example.gov.cn/zwgk/tz.html', title: '栏目整改情况公告' })
  await transitionTask(db, staff, submitted, { action: 'submit' })
  await updateTask(db, sup, overdue, { unitId: dept.id, dueDate: '2024-03-31' })
  await transitionTask(db, sup, ongoing, { action: 'ongoing' })

  const later = await insertReport(db, root.id, sup.id, agency, 2024, ITEMS_2024)
  await confirmReport(db, sup, later.id, new Date('2025-01-10T02:00:00Z'))
  const laterTasks = (
    await db
      .selectFrom('tasks')
      .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
      .select('tasks.id')
      .where('tasks.report_id', '=', later.id)
      .orderBy('report_items.seq')
      .execute()
  ).map(t => t.id)
  await db
    .insertInto('report_links')
    .values({ earlier_report_id: earlier.id, later_report_id: later.id, score: 1, created_at: nowIso() })
    .execute()
  // The 2024 report says the ledger was set up: a follow-up finding the supervisor confirms for the 2023 plan.
  const suggestionId = newId()
  await db
    .insertInto('followup_suggestions')
    .values({
      id: suggestionId,
      dedupe_key: `pw-${suggestionId}`,
      kind: 'evidence',
      earlier_report_id: earlier.id,
      later_report_id: later.id,
      earlier_item_id: earlier.itemIds[2],
      later_item_id: null,
      passage: '我局建立栏目更新台账，每月检查栏目',
      start_offset: 0,
      end_offset: 10,
      score: 0.9,
      status: 'pending',
      decided_by: null,
      decided_at: null,
      created_at: nowIso(),
    })
    .execute()
  await decideSuggestion(db, sup, suggestionId, true)

  const otherAgency = { id: newId(), name: '邻市某局' }
  await db
    .insertInto('agencies')
    .values({ id: otherAgency.id, name: otherAgency.name, normalized_name: `pw-${otherAgency.id}`, unit_id: null, created_at: nowIso() })
    .execute()
  const other = await insertReport(db, otherRoot.id, otherSup.id, otherAgency, 2023, ITEMS_2024)
  await confirmReport(db, otherSup, other.id, new Date('2024-01-10T02:00:00Z'))

  return {
    sup,
    staff,
    otherSup,
    agencyId: agency.id,
    earlierReportId: earlier.id,
    laterReportId: later.id,
    otherReportId: other.id,
    earlierTasks,
    laterTasks,
    people: ['张督办', '李责任', 'pw-sup', 'pw-staff'],
    evidenceNames: ['栏目检查记录.pdf', '栏目整改情况公告'],
  }
}

/** The visible text of a .docx, as mammoth reads it. */
export async function docxText(bytes: Uint8Array): Promise<string> {
  const mammoth = await import('mammoth')
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) })
  return value
}
