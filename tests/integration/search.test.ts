// Search on real databases (SQLite, and PostgreSQL with TEST_DATABASE_URL): Chinese substrings of
// every length, highlights that point at the words, scope (another tree finds nothing of ours),
// the index following edits made through the app's own functions, and queries that look like SQL
// or FTS syntax, which are plain text and never an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import type { Role } from '../../db/schema'
import { AppError } from '../../app/errors'
import { editItem } from '../../app/reports/review.server'
import { search, searchUnits, type SearchGroup, type SearchInput } from '../../app/search/search.server'
import { confirmReport } from '../../app/tasks/tasks.server'
import { transitionTask, updateTask } from '../../app/tasks/workflow.server'
import type { Actor } from '../../app/auth/scope'
import { createTestDb, engines, type TestDb } from '../support/db'

// Two trees: 示范市 (root → 教育局 → 办公室) and 邻市 (root → 卫健委).
const UNITS = [
  { id: 'ua', name: '示范市政务公开办', path: '/ua/' },
  { id: 'ua1', name: '示范市教育局', path: '/ua/ua1/' },
  { id: 'ua11', name: '示范市教育局办公室', path: '/ua/ua1/ua11/' },
  { id: 'ua2', name: '示范市审计局', path: '/ua/ua2/' },
  { id: 'ub', name: '邻市政务公开办', path: '/ub/' },
  { id: 'ub1', name: '邻市卫生健康委员会', path: '/ub/ub1/' },
]
const USERS: { id: string; role: Role; unit: string }[] = [
  { id: 'admin', role: 'admin', unit: 'ua' },
  { id: 'sup', role: 'supervisor', unit: 'ua' },
  { id: 'oversight', role: 'oversight', unit: 'ua' },
  { id: 'edustaff', role: 'staff', unit: 'ua1' },
  { id: 'othersup', role: 'supervisor', unit: 'ub' },
]
const actor = (id: string): Actor & { displayName: string; username: string; unitName: string } => {
  const u = USERS.find(x => x.id === id)!
  const unit = UNITS.find(x => x.id === u.unit)!
  return { id: u.id, role: u.role, unitId: unit.id, unitPath: unit.path, displayName: u.id, username: u.id, unitName: unit.name }
}

interface ItemSpec {
  kind: 'problem' | 'plan'
  title: string
  text: string
}

async function addReport(db: DB, r: { unit: string; agency: string; year: number; items: ItemSpec[]; extra?: string }) {
  const id = newId()
  const now = nowIso()
  const text = `${r.agency}${r.year}年政府信息公开工作年度报告\n一、总体情况\n${r.extra ?? ''}\n五、存在的主要问题及改进情况\n${r.items.map(i => i.text).join('\n')}`
  await db
    .insertInto('reports')
    .values({
      id,
      filename: `${r.agency}${r.year}.txt`,
      format: 'txt',
      size_bytes: text.length,
      sha256: id,
      encoding: 'UTF-8',
      text,
      status: 'extracted',
      error: null,
      agency_id: null,
      agency_name: r.agency,
      year: r.year,
      published_at: null,
      title: `${r.agency}${r.year}年政府信息公开工作年度报告`,
      unit_id: r.unit,
      uploaded_by: null,
      created_at: now,
      updated_at: now,
      processed_at: now,
    })
    .execute()
  const itemIds: string[] = []
  for (const [seq, i] of r.items.entries()) {
    const itemId = newId()
    itemIds.push(itemId)
    const start = text.indexOf(i.text)
    await db
      .insertInto('report_items')
      .values({
        id: itemId,
        report_id: id,
        seq,
        kind: i.kind,
        title: i.title,
        text: i.text,
        start_offset: start,
        end_offset: start + i.text.length,
        answers: '[]',
        due_date: null,
        unit_id: null,
        owner_id: null,
        created_at: now,
      })
      .execute()
  }
  return { id, itemIds }
}

const taskIdOf = async (db: DB, itemId: string) =>
  (await db.selectFrom('tasks').select('id').where('item_id', '=', itemId).executeTakeFirstOrThrow()).id

/** Every highlight covers one of the words, case-insensitively. */
function expectHighlightsOnWords(group: SearchGroup, words: string[]) {
  for (const hit of group.hits) {
    for (const m of [hit.title, ...(hit.snippet ? [hit.snippet] : [])]) {
      for (const h of m.highlights) expect(words.map(w => w.toLowerCase())).toContain(m.text.slice(h.start, h.end).toLowerCase())
    }
  }
}

// Both ways of matching: through the trigram index, and reading a small scope's rows directly.
const MODES = [
  { mode: 'index', scanBelow: 0 },
  { mode: 'scope scan', scanBelow: 1_000_000 },
] as const

for (const engine of engines)
  for (const { mode, scanBelow } of MODES) {
    describe(`search (${engine}, ${mode})`, () => {
      let t: TestDb
      let db: DB
      const ids: Record<string, string> = {}
      const find = (who: string, input: Partial<SearchInput> & { q: string }) => search(db, actor(who), input, '2024-06-15', { scanBelow })
      const group = (r: Awaited<ReturnType<typeof search>>, kind: string) => r.groups.find(g => g.kind === kind)!
      const titles = (g: SearchGroup) => g.hits.map(h => h.title.text)

      beforeAll(async () => {
        t = await createTestDb(engine)
        db = t.db
        const now = nowIso()
        await db
          .insertInto('units')
          .values(UNITS.map(u => ({ id: u.id, name: u.name, parent_id: u.path.split('/').at(-3) || null, path: u.path, created_at: now })))
          .execute()
        await db
          .insertInto('users')
          .values(
            USERS.map(u => ({
              id: u.id,
              username: u.id,
              display_name: u.id,
              email: null,
              password_hash: 'x',
              role: u.role,
              unit_id: u.unit,
              created_at: now,
            })),
          )
          .execute()

        // 示范市教育局 2023: confirmed, so its items are tasks.
        const edu = await addReport(db, {
          unit: 'ua1',
          agency: '示范市教育局',
          year: 2023,
          extra: '全年主动公开政府信息1200条，其中 Web 门户发布 800 条。',
          items: [
            { kind: 'problem', title: '政策解读形式单一', text: '政策解读形式单一，图解、视频等解读方式运用不够。' },
            { kind: 'plan', title: '丰富政策解读形式', text: '丰富政策解读形式，推出图解和短视频。' },
            { kind: 'problem', title: '考核机制落实不到位', text: '考核机制落实不到位' },
            { kind: 'problem', title: '特殊字符"引号"与100%达标', text: "文本含有 OR NEAR( 和 '; drop table tasks; -- 以及 a_b 与 c\\d。" },
          ],
        })
        ids.eduReport = edu.id
        ids.eduItem0 = edu.itemIds[0]
        await confirmReport(db, actor('sup'), edu.id)
        ids.eduTask0 = await taskIdOf(db, edu.itemIds[0])
        ids.eduTask2 = await taskIdOf(db, edu.itemIds[2])
        ids.eduTaskSpecial = await taskIdOf(db, edu.itemIds[3])
        await updateTask(db, actor('sup'), ids.eduTask0, { unitId: 'ua1', ownerId: 'edustaff' })

        // 示范市审计局 2022: still in review, so its items are found as items.
        const audit = await addReport(db, {
          unit: 'ua2',
          agency: '示范市审计局',
          year: 2022,
          items: [
            { kind: 'problem', title: '网站栏目更新不及时', text: '网站栏目更新不及时，部分信息发布滞后。' },
            { kind: 'plan', title: '加强人员业务培训', text: '加强人员业务培训，提高政策解读能力。' },
          ],
        })
        ids.auditReport = audit.id
        ids.auditItem0 = audit.itemIds[0]
        ids.auditItem1 = audit.itemIds[1]

        // 邻市: the other tree, with the same words.
        const other = await addReport(db, {
          unit: 'ub1',
          agency: '邻市卫生健康委员会',
          year: 2023,
          items: [
            { kind: 'problem', title: '政策解读不够深入', text: '政策解读不够深入，考核机制有待完善。' },
            { kind: 'plan', title: '网站栏目整合', text: '网站栏目整合，更新及时。' },
          ],
        })
        ids.otherReport = other.id
        await confirmReport(db, actor('othersup'), other.id)
        ids.otherTask0 = await taskIdOf(db, other.itemIds[0])
      }, 60_000)

      afterAll(async () => {
        await t?.cleanup()
      })

      it('finds a 3+ character substring in reports, items and tasks, with the words highlighted', async () => {
        const r = await find('admin', { q: '政策解读' })
        const tasks = group(r, 'task')
        expect(titles(tasks).sort()).toEqual(['丰富政策解读形式', '政策解读不够深入', '政策解读形式单一'])
        expect(tasks.total).toBe(3)
        const items = group(r, 'item')
        // the review report's plan mentions it in its text only; confirmed items are found as their tasks
        expect(items.hits.map(h => h.id)).toEqual([ids.auditItem1])
        expect(items.hits[0].href).toBe(`/reports/${ids.auditReport}#mark-${ids.auditItem1}`)
        expect(items.hits[0].snippet!.text).toContain('提高政策解读能力')
        const reports = group(r, 'report')
        expect(reports.hits.map(h => h.id).sort()).toEqual([ids.eduReport, ids.auditReport, ids.otherReport].sort())
        expect(reports.hits.every(h => h.snippet && h.snippet.highlights.length > 0)).toBe(true)
        for (const g of r.groups) expectHighlightsOnWords(g, ['政策解读'])
        const first = tasks.hits.find(h => h.id === ids.eduTask0)!
        expect(first.href).toBe(`/tasks/${ids.eduTask0}`)
        expect(first.title.highlights).toEqual([{ start: 0, end: 4 }])
        expect(first.agencyName).toBe('示范市教育局')
        expect(first.year).toBe(2023)
        expect(first.taskStatus).toBe('in_progress')
        // several words: all must occur, each is highlighted
        const both = await find('admin', { q: '政策解读  单一', kind: 'task' })
        expect(both.query.terms).toEqual(['政策解读', '单一'])
        expect(titles(group(both, 'task'))).toEqual(['政策解读形式单一'])
        expectHighlightsOnWords(group(both, 'task'), ['政策解读', '单一'])
      })

      it('finds 1 and 2 character substrings, at the start, inside and at the very end of a text', async () => {
        const twoAtEnd = await find('admin', { q: '到位', kind: 'task' })
        expect(titles(group(twoAtEnd, 'task'))).toEqual(['考核机制落实不到位'])
        expect(twoAtEnd.shortTerms).toBe(true)
        const oneAtEnd = await find('admin', { q: '位', kind: 'task' })
        expect(titles(group(oneAtEnd, 'task'))).toEqual(['考核机制落实不到位'])
        expect(group(oneAtEnd, 'task').hits[0].title.highlights).toEqual([{ start: 8, end: 9 }])
        const twoInside = await find('admin', { q: '考核' })
        expect(titles(group(twoInside, 'task')).sort()).toEqual(['政策解读不够深入', '考核机制落实不到位'])
        const oneInside = await find('admin', { q: '滞', kind: 'item' })
        expect(group(oneInside, 'item').hits.map(h => h.id)).toEqual([ids.auditItem0])
        // Latin text, any case
        const latin = await find('admin', { q: 'web', kind: 'report' })
        expect(group(latin, 'report').hits.map(h => h.id)).toEqual([ids.eduReport])
        expect(group(latin, 'report').hits[0].snippet!.text).toContain('Web 门户')
        const nothing = await find('admin', { q: '鲲' })
        expect(nothing.groups.every(g => g.total === 0 && g.hits.length === 0)).toBe(true)
      })

      it('keeps to the scope: another tree finds nothing of ours, staff only their unit, a unit filter outside scope is not found', async () => {
        const ours = [
          ids.eduReport,
          ids.auditReport,
          ids.eduTask0,
          ids.eduTask2,
          ids.eduTaskSpecial,
          ids.auditItem0,
          ids.auditItem1,
          ids.eduItem0,
        ]
        for (const q of ['政策解读', '考核', '网站栏目', '示范市', '位']) {
          const other = await find('othersup', { q })
          const seen = other.groups.flatMap(g => g.hits.map(h => h.id))
          expect(
            seen.filter(id => ours.includes(id)),
            q,
          ).toEqual([])
          expect(
            other.groups.flatMap(g => g.hits).every(h => h.unitName?.startsWith('邻市')),
            q,
          ).toBe(true)
          const mine = await find('sup', { q })
          expect(mine.groups.flatMap(g => g.hits.map(h => h.id))).not.toContain(ids.otherTask0)
          expect(mine.groups.flatMap(g => g.hits.map(h => h.id))).not.toContain(ids.otherReport)
        }
        expect(group(await find('othersup', { q: '政策解读' }), 'task').hits.map(h => h.id)).toEqual([ids.otherTask0])
        // staff of 教育局: its report and tasks, not 审计局's
        const staff = await find('edustaff', { q: '网站栏目' })
        expect(staff.groups.every(g => g.total === 0)).toBe(true)
        expect(group(await find('edustaff', { q: '政策解读', kind: 'task' }), 'task').total).toBe(2)
        // oversight reads the whole tree; the unit filter narrows it
        expect(group(await find('oversight', { q: '栏目', kind: 'item' }), 'item').total).toBe(1)
        expect(group(await find('oversight', { q: '政策解读', unitId: 'ua2' }), 'task').total).toBe(0)
        expect(group(await find('oversight', { q: '政策解读', unitId: 'ua2' }), 'item').total).toBe(1)
        await expect(find('sup', { q: '政策解读', unitId: 'ub1' })).rejects.toMatchObject({ status: 404 })
        await expect(find('sup', { q: '政策解读', unitId: 'nope' })).rejects.toBeInstanceOf(AppError)
        expect((await searchUnits(db, actor('othersup'))).map(u => u.id)).toEqual(['ub', 'ub1'])
        expect((await searchUnits(db, actor('sup'))).map(u => [u.id, u.depth])).toEqual([
          ['ua', 0],
          ['ua1', 1],
          ['ua11', 2],
          ['ua2', 1],
        ])
      })

      it('filters by year, status and kind, and pages through one kind', async () => {
        expect(group(await find('admin', { q: '政策解读', year: 2022 }), 'task').total).toBe(0)
        expect(group(await find('admin', { q: '政策解读', year: 2022 }), 'item').total).toBe(1)
        expect(group(await find('admin', { q: '政策解读', year: 2023 }), 'report').total).toBe(2)
        const byStatus = await find('admin', { q: '政策解读', status: 'in_progress' })
        expect(byStatus.groups.map(g => g.kind)).toEqual(['task'])
        expect(group(byStatus, 'task').hits.map(h => h.id)).toEqual([ids.eduTask0])
        // 25 more tasks with the same words: 20 on page 1, 5 on page 2, newest first, none twice
        const many = await addReport(db, {
          unit: 'ua2',
          agency: '示范市审计局',
          year: 2021,
          items: Array.from({ length: 25 }, (_, i) => ({
            kind: 'plan' as const,
            title: `分页测试措施${i}`,
            text: `分页测试措施${i}：公开目录。`,
          })),
        })
        await confirmReport(db, actor('sup'), many.id)
        const p1 = group(await find('sup', { q: '分页测试', kind: 'task' }), 'task')
        const p2 = group(await find('sup', { q: '分页测试', kind: 'task', page: 2 }), 'task')
        expect([p1.total, p1.pageCount, p1.hits.length, p2.page, p2.hits.length]).toEqual([25, 2, 20, 2, 5])
        expect(new Set([...p1.hits, ...p2.hits].map(h => h.id)).size).toBe(25)
        expect(p1.hits[0].title.text).toBe('分页测试措施24')
        // without a kind: a preview of each group, with the full count
        const preview = group(await find('sup', { q: '分页测试' }), 'task')
        expect([preview.total, preview.hits.length]).toEqual([25, 5])
        // a page past the end shows the last page
        expect(group(await find('sup', { q: '分页测试', kind: 'task', page: 99 }), 'task').page).toBe(2)
        // more than the count cap: "more than 200", ten pages, still newest first and none twice
        const lots = await addReport(db, {
          unit: 'ua2',
          agency: '示范市审计局',
          year: 2020,
          items: Array.from({ length: 205 }, (_, i) => ({ kind: 'plan' as const, title: `批量测试措施${i}`, text: `批量测试措施${i}。` })),
        })
        await confirmReport(db, actor('sup'), lots.id)
        const first = group(await find('sup', { q: '批量测试', kind: 'task' }), 'task')
        expect([first.total, first.capped, first.pageCount, first.hits.length]).toEqual([200, true, 10, 20])
        expect(first.hits.map(h => h.title.text).slice(0, 2)).toEqual(['批量测试措施204', '批量测试措施203'])
        const last = group(await find('sup', { q: '批量测试', kind: 'task', page: 10 }), 'task')
        expect(last.hits.map(h => h.title.text).at(-1)).toBe('批量测试措施5')
        expect(group(await find('admin', { q: '批量测试措施', kind: 'task' }), 'task').capped).toBe(true)
      })

      it('follows edits: an item title during review, a task title, and an item becoming a task', async () => {
        expect(group(await find('sup', { q: '网站栏目更新', kind: 'item' }), 'item').total).toBe(1)
        await editItem(db, actor('sup'), ids.auditReport, ids.auditItem0, { title: '门户栏目维护滞后' })
        expect(group(await find('sup', { q: '门户栏目维护', kind: 'item' }), 'item').hits.map(h => h.id)).toEqual([ids.auditItem0])
        // the old title is gone from the title; the text still has it, and now says so only in the snippet
        const old = group(await find('sup', { q: '网站栏目更新', kind: 'item' }), 'item')
        expect(old.hits[0].title.highlights).toEqual([])
        expect(old.hits[0].snippet!.highlights.length).toBe(1)

        await updateTask(db, actor('sup'), ids.eduTask2, { title: '绩效评议制度执行走样' })
        expect(group(await find('sup', { q: '评议制度', kind: 'task' }), 'task').hits.map(h => h.id)).toEqual([ids.eduTask2])
        expect(group(await find('sup', { q: '议', kind: 'task' }), 'task').hits.map(h => h.id)).toEqual([ids.eduTask2])
        const before = group(await find('sup', { q: '考核机制落实', kind: 'task' }), 'task')
        expect(before.hits.map(h => h.id)).toEqual([ids.eduTask2]) // still in its text
        expect(before.hits[0].title.highlights).toEqual([])

        // confirming the review report turns its items into tasks: found once, as tasks
        await confirmReport(db, actor('sup'), ids.auditReport)
        const after = await find('sup', { q: '门户栏目维护' })
        expect(group(after, 'item').total).toBe(0)
        expect(group(after, 'task').total).toBe(1)
      })

      it('filters follow the work: a new status, a new responsible unit, a report’s corrected year', async () => {
        const r = await addReport(db, {
          unit: 'ua1',
          agency: '示范市教育局',
          year: 2019,
          items: [{ kind: 'problem', title: '跟随筛选专项', text: '跟随筛选专项问题。' }],
        })
        await confirmReport(db, actor('sup'), r.id)
        const taskId = await taskIdOf(db, r.itemIds[0])
        const ids = async (input: Omit<SearchInput, 'q'>, who = 'sup') =>
          group(await find(who, { q: '跟随筛选', kind: 'task', ...input }), 'task').hits.map(h => h.id)
        expect(await ids({ status: 'unassigned', year: 2019 })).toEqual([taskId])
        await updateTask(db, actor('sup'), taskId, { ownerId: 'edustaff' })
        expect(await ids({ status: 'unassigned' })).toEqual([])
        expect(await ids({ status: 'in_progress' })).toEqual([taskId])
        await transitionTask(db, actor('edustaff'), taskId, { action: 'submit', reason: '已完成' })
        expect(await ids({ status: 'pending_review' })).toEqual([taskId])
        expect(await ids({ status: 'in_progress' })).toEqual([])
        // moved to 审计局: found under its unit, not under 教育局
        await updateTask(db, actor('sup'), taskId, { unitId: 'ua2', ownerId: null })
        expect(await ids({ unitId: 'ua2' })).toEqual([taskId])
        expect(await ids({ unitId: 'ua1' })).toEqual([])
        // the report's year corrected: its task, and the report, follow
        await db.updateTable('reports').set({ year: 2018 }).where('id', '=', r.id).execute()
        expect(await ids({ year: 2018 })).toEqual([taskId])
        expect(await ids({ year: 2019 })).toEqual([])
        expect(group(await find('sup', { q: '跟随筛选', kind: 'report', year: 2018 }), 'report').hits.map(h => h.id)).toEqual([r.id])
        // the other tree never sees it, whatever the filters
        expect(await ids({ year: 2018 }, 'othersup')).toEqual([])
      })

      it('treats SQL- and FTS-looking queries as text: no error, only literal matches', async () => {
        const queries = [
          '"',
          '""',
          '*',
          '* OR *',
          'OR',
          'NEAR(',
          'NEAR(a b)',
          "'; drop table tasks; --",
          '%',
          '_',
          '\\',
          'a_b',
          'c\\d',
          '100%',
          '"引号"',
          '^',
          'title:政策',
          '(',
          ')',
          '-',
          'AND',
          'NOT 政策',
          '{title}',
          '   ',
          '政策"解读',
        ]
        for (const q of queries) {
          const r = await find('admin', { q })
          const hits = r.groups.flatMap(g => g.hits)
          for (const h of hits) {
            const haystack = `${h.title.text} ${h.snippet?.text ?? ''} ${h.agencyName ?? ''} ${h.filename}`.toLowerCase()
            for (const term of r.query.terms) expect(haystack, `${q} → ${h.title.text}`).toContain(term.toLowerCase())
          }
        }
        const special = async (q: string) => group(await find('admin', { q, kind: 'task' }), 'task').hits.map(h => h.id)
        expect(await special('"引号"')).toEqual([ids.eduTaskSpecial])
        expect(await special('100%')).toEqual([ids.eduTaskSpecial])
        expect(await special('OR NEAR(')).toEqual([ids.eduTaskSpecial])
        expect(await special("'; drop table tasks; --")).toEqual([ids.eduTaskSpecial])
        expect(await special('a_b')).toEqual([ids.eduTaskSpecial])
        expect(await special('c\\d')).toEqual([ids.eduTaskSpecial])
        expect(await special('%')).toEqual([ids.eduTaskSpecial])
        expect(await special('_')).toEqual([ids.eduTaskSpecial])
        expect(await special('政策"解读')).toEqual([])
        expect((await find('admin', { q: '   ' })).groups.every(g => g.total === 0)).toBe(true)
        // the tables are all still there
        expect(
          Number(
            (
              await db
                .selectFrom('tasks')
                .select(eb => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        ).toBeGreaterThan(5)
      })
    })
  }

// A word in one script finds the other: a traditional-script mirror by a simplified query, and back.
for (const engine of engines)
  for (const { mode, scanBelow } of MODES) {
    describe(`search across scripts (${engine}, ${mode})`, () => {
      let t: TestDb
      beforeAll(async () => {
        t = await createTestDb(engine)
        const now = nowIso()
        await t.db
          .insertInto('units')
          .values(UNITS.map(u => ({ id: u.id, name: u.name, parent_id: u.path.split('/').at(-3) || null, path: u.path, created_at: now })))
          .execute()
        await t.db
          .insertInto('users')
          .values(
            USERS.map(u => ({
              id: u.id,
              username: u.id,
              display_name: u.id,
              email: null,
              password_hash: 'x',
              role: u.role,
              unit_id: u.unit,
              created_at: now,
            })),
          )
          .execute()
        const trad = await addReport(t.db, {
          unit: 'ua1',
          agency: '裕安區水利局',
          year: 2014,
          items: [{ kind: 'problem', title: '工作人員均為兼職', text: '工作人員均為兼職，人手緊張。' }],
        })
        await confirmReport(t.db, actor('sup'), trad.id)
        await addReport(t.db, {
          unit: 'ua1',
          agency: '示范市审计局',
          year: 2022,
          items: [{ kind: 'problem', title: '网站栏目更新不及时', text: '网站栏目更新不及时。' }],
        })
      })
      afterAll(async () => {
        await t.cleanup()
      })

      it('a simplified query finds traditional text (and marks it), a traditional one finds simplified', async () => {
        const r = await search(t.db, actor('sup'), { q: '工作人员 兼职', kind: 'task' }, '2024-06-15', { scanBelow })
        const tasks = r.groups.find(g => g.kind === 'task')!
        expect(tasks.hits.map(h => h.title.text)).toEqual(['工作人員均為兼職'])
        const marked = tasks.hits[0].title.highlights.map(h => tasks.hits[0].title.text.slice(h.start, h.end))
        expect(marked).toEqual(['工作人員', '兼職'])
        const back = await search(t.db, actor('sup'), { q: '欄目更新', kind: 'item' }, '2024-06-15', { scanBelow })
        expect(back.groups.find(g => g.kind === 'item')!.hits.map(h => h.title.text)).toEqual(['网站栏目更新不及时'])
      })
    })
  }
