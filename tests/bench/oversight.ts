// Oversight and search at province scale: server time of the overview, the agency page and a search.
//   npm run bench:oversight [-- --agencies 10000 --years 5 --items 8 --requests 50 --engines sqlite,postgres --keep]
// Generates agencies (each with its own unit in a tree: province › cities › districts › agency),
// one report per agency and year with its text, items (half problems, half commitments), one task
// per item in varied statuses, returns, follow-up links and suggestions (evidence and recurrences,
// confirmed, pending or rejected). The rows are bulk-loaded before the oversight and search
// migrations, so their backfills (the task rollup, the search index) run on the full data set as an
// upgrade would. Then each measured call runs `--requests` times in-process (the data functions the
// pages call, without HTTP) and p50/p95 are printed. SQLite in a temporary file; PostgreSQL
// (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test) in a
// schema of its own that is dropped afterwards.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import SQLite from 'better-sqlite3'
import { Migrator, sql, type MigrationProvider } from 'kysely'
import pg from 'pg'
import { createDb, migrateToLatest, type DB } from '../../db/db'
import { migrations } from '../../db/migrations/index'
import { agency, oversightUnits, oversightYears, overview, type OverviewFilters } from '../../app/oversight/oversight.server'
import { search } from '../../app/search/search.server'
import type { SearchInput } from '../../app/search/query'
import type { Actor } from '../../app/auth/scope'

const args = process.argv.slice(2)
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : dflt
}
const AGENCIES = Number(opt('--agencies', '10000'))
const YEARS = Number(opt('--years', '5'))
const ITEMS = Number(opt('--items', '8'))
const REQUESTS = Number(opt('--requests', '50'))
const ENGINES = opt('--engines', 'sqlite,postgres').split(',')
/** Keep the SQLite file and the PostgreSQL schema (both printed) to look at plans afterwards. */
const KEEP = args.includes('--keep')
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
/** The last migration before the oversight rollup and the search index: data is loaded here. */
const LOAD_AT = '2026-11-30-agency-matching'
const FIRST_YEAR = 2019
const LAST_YEAR = FIRST_YEAR + YEARS - 1
// Fixed "today" so overdue figures do not depend on the day the bench runs.
const TODAY = `${LAST_YEAR + 1}-09-30`
const TARGET_MS = 200

// ─── Deterministic data ─────────────────────────────────────────────────────────────────────────

let seed = 20261203
const rand = () => {
  seed |= 0
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]
const weighted = <T>(xs: readonly (readonly [T, number])[]): T => {
  let r = rand()
  for (const [x, w] of xs) if ((r -= w) < 0) return x
  return xs[xs.length - 1][0]
}
const pad = (n: number) => String(n).padStart(2, '0')

const CITIES = [
  '东川',
  '西岭',
  '南湖',
  '北原',
  '青山',
  '白水',
  '临江',
  '安平',
  '长宁',
  '永和',
  '兴华',
  '清河',
  '明溪',
  '云阳',
  '金川',
  '石门',
  '龙泉',
  '凤城',
  '桃源',
  '梅岭',
  '松江',
  '玉溪口',
  '定远',
  '宁海',
  '丰泽',
]
const DISTRICTS = ['城关区', '新城区', '开发区', '东山县', '西河县', '南屏县', '北塘县', '高新区']
const DEPARTMENTS = [
  '教育局',
  '公安局',
  '民政局',
  '司法局',
  '财政局',
  '人力资源和社会保障局',
  '自然资源和规划局',
  '生态环境局',
  '住房和城乡建设局',
  '交通运输局',
  '水利局',
  '农业农村局',
  '商务局',
  '文化广电旅游局',
  '卫生健康委员会',
  '退役军人事务局',
  '应急管理局',
  '审计局',
  '市场监督管理局',
  '统计局',
  '医疗保障局',
  '城市管理局',
  '林业局',
  '体育局',
  '信访局',
  '发展和改革委员会',
  '工业和信息化局',
  '科学技术局',
  '民族宗教事务局',
  '档案馆',
  '气象局',
  '税务局',
  '政务服务中心',
  '机关事务管理局',
  '国有资产监督管理委员会',
  '粮食和物资储备局',
  '人民防空办公室',
  '供销合作社',
  '残疾人联合会',
  '住房公积金管理中心',
  '行政审批局',
  '大数据局',
  '乡村振兴局',
  '营商环境局',
]
// Problems and commitments in the words real reports use; each item picks one and varies it.
const PROBLEMS = [
  '政策解读形式单一，图解、音视频等解读方式运用不够',
  '主动公开内容不够全面，部分重点领域信息更新不及时',
  '依申请公开答复不够规范，个别答复超过法定期限',
  '政府网站栏目设置不够合理，部分栏目长期未更新',
  '工作人员业务能力有待提高，对条例理解不够深入',
  '政务新媒体运维不够规范，信息发布频次偏低',
  '回应社会关切不够及时，舆情处置能力有待提升',
  '基层政务公开标准化规范化建设进展不平衡',
  '考核评估机制不够完善，督促检查力度不够',
  '规范性文件公开不够及时，文件清理工作不到位',
  '政府信息公开指南和目录更新不及时',
  '财政预决算信息公开不够细化，部分表格缺失',
  '重大建设项目信息公开不够全面',
  '政务公开培训覆盖面不广，基层人员参训较少',
  '公众参与渠道不够畅通，意见征集反馈不及时',
  '政府数据开放程度不高，数据格式不便于利用',
  '保密审查机制不够健全，审查流程不够规范',
  '年度报告编写质量有待提高，数据统计口径不一致',
  '政务公开专区建设滞后，线下查阅点服务不足',
  '解读材料与政策文件同步发布率不高',
]
const PLANS = [
  '丰富政策解读形式，推出图解、音视频等多样化解读产品',
  '加强业务培训，提升工作人员依法公开能力',
  '规范依申请公开办理流程，严格落实答复时限',
  '优化政府网站栏目设置，建立栏目更新责任制',
  '完善考核评估机制，将政务公开纳入绩效考核',
  '加强政务新媒体管理，定期开展检查通报',
  '及时回应社会关切，健全舆情收集研判回应机制',
  '推进基层政务公开标准化规范化建设',
  '细化财政预决算公开内容，按时公开相关表格',
  '健全保密审查制度，落实先审查后公开',
  '拓宽公众参与渠道，及时反馈意见采纳情况',
  '提升政府数据开放水平，统一数据格式',
  '及时更新政府信息公开指南和目录',
  '开展规范性文件清理，做到应公开尽公开',
  '加强政务公开专区建设，完善线下查阅服务',
  '引入第三方评估，查找问题补齐短板',
]
const VARIANTS = ['', '部分单位', '个别科室', '少数乡镇（街道）', '有的业务部门']
const OVERVIEW_SENTENCES = [
  '本机关认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外。',
  '全年主动公开政府信息{n}条，其中政策文件{m}件，政策解读{k}篇。',
  '全年共收到政府信息公开申请{n}件，均在法定期限内予以答复。',
  '因政府信息公开工作被申请行政复议{k}件、提起行政诉讼{k}件。',
  '通过政府网站、政务新媒体发布信息{n}条，召开新闻发布会{k}场。',
  '组织政务公开业务培训{k}期，参训人员{m}人次。',
  '严格执行保密审查制度，未发生泄密事件。',
  '持续推进决策、执行、管理、服务、结果公开。',
]

interface Cols {
  name: string
  /** PostgreSQL array types for the unnest loader, in column order. */
  types: string[]
  columns: string[]
  rows: unknown[][]
}
const table = (name: string, spec: Record<string, 'text' | 'int' | 'real'>): Cols => ({
  name,
  columns: Object.keys(spec),
  types: Object.values(spec).map(t => (t === 'int' ? 'integer' : t === 'real' ? 'double precision' : 'text')),
  rows: [],
})

function generate() {
  seed = 20261203
  const T = {
    units: table('units', { id: 'text', name: 'text', parent_id: 'text', path: 'text', created_at: 'text' }),
    users: table('users', {
      id: 'text',
      username: 'text',
      display_name: 'text',
      email: 'text',
      password_hash: 'text',
      role: 'text',
      unit_id: 'text',
      active: 'int',
      created_at: 'text',
    }),
    agencies: table('agencies', { id: 'text', name: 'text', normalized_name: 'text', unit_id: 'text', created_at: 'text' }),
    agency_aliases: table('agency_aliases', {
      id: 'text',
      agency_id: 'text',
      alias: 'text',
      normalized_alias: 'text',
      source: 'text',
      created_at: 'text',
    }),
    reports: table('reports', {
      id: 'text',
      filename: 'text',
      format: 'text',
      size_bytes: 'int',
      sha256: 'text',
      encoding: 'text',
      text: 'text',
      status: 'text',
      error: 'text',
      attempts: 'int',
      agency_id: 'text',
      agency_name: 'text',
      year: 'int',
      published_at: 'text',
      title: 'text',
      unit_id: 'text',
      uploaded_by: 'text',
      created_at: 'text',
      updated_at: 'text',
      processed_at: 'text',
      followup_done_at: 'text',
      followup_generation: 'int',
    }),
    report_items: table('report_items', {
      id: 'text',
      report_id: 'text',
      seq: 'int',
      kind: 'text',
      title: 'text',
      text: 'text',
      start_offset: 'int',
      end_offset: 'int',
      answers: 'text',
      due_date: 'text',
      unit_id: 'text',
      owner_id: 'text',
      priority: 'text',
      created_at: 'text',
    }),
    tasks: table('tasks', {
      id: 'text',
      report_id: 'text',
      item_id: 'text',
      kind: 'text',
      title: 'text',
      text: 'text',
      unit_id: 'text',
      owner_id: 'text',
      due_date: 'text',
      priority: 'text',
      status: 'text',
      progress: 'int',
      deadline_version: 'int',
      created_by: 'text',
      created_at: 'text',
      updated_at: 'text',
      closed_at: 'text',
    }),
    task_events: table('task_events', {
      id: 'text',
      task_id: 'text',
      actor_id: 'text',
      type: 'text',
      before: 'text',
      after: 'text',
      note: 'text',
      created_at: 'text',
    }),
    report_links: table('report_links', { earlier_report_id: 'text', later_report_id: 'text', score: 'real', created_at: 'text' }),
    followup_suggestions: table('followup_suggestions', {
      id: 'text',
      dedupe_key: 'text',
      kind: 'text',
      earlier_report_id: 'text',
      later_report_id: 'text',
      earlier_item_id: 'text',
      later_item_id: 'text',
      passage: 'text',
      start_offset: 'int',
      end_offset: 'int',
      score: 'real',
      status: 'text',
      decided_by: 'text',
      decided_at: 'text',
      created_at: 'text',
    }),
  }
  const now = `${FIRST_YEAR}-01-01T00:00:00.000Z`
  const unit = (name: string, parent: { id: string; path: string } | null) => {
    const id = randomUUID()
    const u = { id, path: `${parent?.path ?? '/'}${id}/` }
    T.units.rows.push([id, name, parent?.id ?? null, u.path, now])
    return u
  }
  const user = (username: string, role: string, unitId: string) => {
    const id = randomUUID()
    T.users.rows.push([id, username, username, null, 'x', role, unitId, 1, now])
    return id
  }
  const root = unit('省人民政府办公厅（政务公开办）', null)
  const oversightId = user('bench-oversight', 'oversight', root.id)
  interface Agency {
    id: string
    name: string
    unit: { id: string; path: string }
    owner: string
    supervisor: string
  }
  const agencies: Agency[] = []
  const cities: { id: string; path: string; name: string; supervisor: string }[] = []
  outer: for (let c = 0; ; c++) {
    const cityName = `${CITIES[c % CITIES.length]}${c >= CITIES.length ? Math.floor(c / CITIES.length) + 1 : ''}市`
    const city = unit(`${cityName}人民政府办公室`, root)
    const supervisor = user(`bench-sup-${c}`, 'supervisor', city.id)
    cities.push({ ...city, name: cityName, supervisor })
    const places: [string, { id: string; path: string }][] = [[cityName, city]]
    for (const d of DISTRICTS) places.push([`${cityName}${d}`, unit(`${cityName}${d}人民政府办公室`, city)])
    for (const [place, parent] of places) {
      for (const dept of ['人民政府', ...DEPARTMENTS]) {
        if (agencies.length >= AGENCIES) break outer
        const name = `${place}${dept}`
        const u = unit(name, parent)
        const id = randomUUID()
        T.agencies.rows.push([id, name, name, null, now])
        T.agency_aliases.rows.push([randomUUID(), id, name, name, 'auto', now])
        agencies.push({ id, name, unit: u, owner: user(`bench-staff-${agencies.length}`, 'staff', u.id), supervisor })
      }
    }
  }
  // Year-major, as reports arrive: every agency's 2019 report, then 2020's, …
  const itemsOf = new Map<string, { id: string; kind: 'problem' | 'plan'; text: string; reportId: string }[]>()
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    for (const a of agencies) {
      const reportId = randomUUID()
      const created = `${year + 1}-02-${pad(1 + Math.floor(rand() * 27))}T02:00:00.000Z`
      const title = `${a.name}${year}年政府信息公开工作年度报告`
      const fill = (s: string) =>
        s
          .replace('{n}', String(100 + Math.floor(rand() * 5000)))
          .replace('{m}', String(10 + Math.floor(rand() * 300)))
          .replace('{k}', String(Math.floor(rand() * 20)))
      let text = `${title}\n一、总体情况\n${Array.from({ length: 6 }, () => fill(pick(OVERVIEW_SENTENCES))).join('')}\n二、主动公开政府信息情况\n${fill(OVERVIEW_SENTENCES[1])}\n三、收到和处理政府信息公开申请情况\n${fill(OVERVIEW_SENTENCES[2])}\n四、政府信息公开行政复议、行政诉讼情况\n${fill(OVERVIEW_SENTENCES[3])}\n五、存在的主要问题及改进情况\n`
      const items: { id: string; kind: 'problem' | 'plan'; title: string; text: string; start: number; end: number }[] = []
      const problems = Math.ceil(ITEMS / 2)
      for (let s = 0; s < ITEMS; s++) {
        const kind = s < problems ? 'problem' : 'plan'
        const base = kind === 'problem' ? pick(PROBLEMS) : pick(PLANS)
        const body = `${kind === 'problem' ? pick(VARIANTS) : ''}${base}${rand() < 0.3 ? `，${year}年${pick(['仍有反映', '尚未完全解决', '需持续推进', '列入重点任务'])}` : ''}。`
        const marker = `${'一二三四五六七八九十'[s % problems] ?? s + 1}是`
        text += marker
        items.push({ id: randomUUID(), kind, title: base.split('，')[0], text: body, start: text.length, end: text.length + body.length })
        text += `${body}\n`
      }
      text += '六、其他需要报告的事项\n本机关无其他需要报告的事项。\n'
      const published = weighted([
        [`${year + 1}-01-${pad(5 + Math.floor(rand() * 25))}`, 0.6],
        [`${year + 1}-03-${pad(1 + Math.floor(rand() * 28))}`, 0.25],
        [null, 0.15],
      ] as const)
      T.reports.rows.push([
        reportId,
        `${title}.txt`,
        'txt',
        text.length * 3,
        reportId,
        'UTF-8',
        text,
        'confirmed',
        null,
        1,
        a.id,
        a.name,
        year,
        published,
        title,
        a.unit.id,
        a.supervisor,
        created,
        created,
        created,
        created,
        1,
      ])
      const past = year + 1 < Number(TODAY.slice(0, 4))
      for (const [seq, it] of items.entries()) {
        const due =
          rand() < 0.05
            ? null
            : rand() < 0.8
              ? `${year + 1}-12-31`
              : `${year + 1}-${pad(3 + Math.floor(rand() * 9))}-${pad(1 + Math.floor(rand() * 28))}`
        T.report_items.rows.push([
          it.id,
          reportId,
          seq,
          it.kind,
          it.title,
          it.text,
          it.start,
          it.end,
          '[]',
          due,
          null,
          null,
          'normal',
          created,
        ])
        const status = weighted(
          past
            ? ([
                ['closed', 0.72],
                ['cancelled', 0.04],
                ['ongoing', 0.08],
                ['unassigned', 0.02],
                ['in_progress', 0.1],
                ['pending_review', 0.04],
              ] as const)
            : ([
                ['closed', 0.25],
                ['cancelled', 0.03],
                ['ongoing', 0.07],
                ['unassigned', 0.1],
                ['in_progress', 0.4],
                ['pending_review', 0.15],
              ] as const),
        )
        const taskId = randomUUID()
        const owner = status === 'unassigned' ? null : a.owner
        const closedAt =
          status === 'closed' ? `${due && rand() < 0.7 ? due : `${year + 2}-0${1 + Math.floor(rand() * 9)}-15`}T08:00:00.000Z` : null
        T.tasks.rows.push([
          taskId,
          reportId,
          it.id,
          it.kind,
          it.title,
          it.text,
          a.unit.id,
          owner,
          due,
          'normal',
          status,
          status === 'closed' ? 100 : Math.floor(rand() * 90),
          1,
          a.supervisor,
          created,
          closedAt ?? created,
          closedAt,
        ])
        if (rand() < 0.05)
          T.task_events.rows.push([
            randomUUID(),
            taskId,
            a.supervisor,
            'return',
            '{"status":"pending_review"}',
            '{"status":"in_progress"}',
            '佐证材料不足',
            created,
          ])
      }
      const prev = itemsOf.get(a.id)
      if (prev) {
        const prevReport = prev[0].reportId
        T.report_links.rows.push([prevReport, reportId, 0.9, created])
        const decide = () =>
          weighted([
            ['confirmed', 0.5],
            ['pending', 0.3],
            ['rejected', 0.2],
          ] as const)
        for (const plan of prev.filter(p => p.kind === 'plan').slice(0, 2)) {
          const st = decide()
          T.followup_suggestions.rows.push([
            randomUUID(),
            `evidence:${plan.id}:${reportId}:0`,
            'evidence',
            prevReport,
            reportId,
            plan.id,
            null,
            plan.text.slice(0, 20),
            0,
            20,
            0.8,
            st,
            st === 'pending' ? null : a.supervisor,
            st === 'pending' ? null : created,
            created,
          ])
        }
        const earlier = prev.find(p => p.kind === 'problem')!
        const later = items.find(i => i.kind === 'problem')!
        const st = decide()
        T.followup_suggestions.rows.push([
          randomUUID(),
          `recurring:${earlier.id}:${reportId}:${later.id}`,
          'recurring',
          prevReport,
          reportId,
          earlier.id,
          later.id,
          null,
          null,
          null,
          0.7,
          st,
          st === 'pending' ? null : a.supervisor,
          st === 'pending' ? null : created,
          created,
        ])
      }
      itemsOf.set(
        a.id,
        items.map(i => ({ id: i.id, kind: i.kind, text: i.text, reportId })),
      )
    }
  }
  return { tables: Object.values(T), oversightId, root, agencies, cities }
}

// ─── Loading ────────────────────────────────────────────────────────────────────────────────────

const provider: MigrationProvider = { getMigrations: async () => migrations }

async function migrateTo(db: DB, name: string) {
  const { error } = await new Migrator({ db, provider }).migrateTo(name)
  if (error) throw error
}

function loadSqlite(file: string, tables: Cols[]) {
  const raw = new SQLite(file)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = OFF')
  raw.pragma('cache_size = -1048576')
  for (const t of tables) {
    const insert = raw.prepare(`INSERT INTO ${t.name} (${t.columns.join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`)
    for (let i = 0; i < t.rows.length; i += 50_000) {
      const batch = t.rows.slice(i, i + 50_000)
      raw.transaction(() => {
        for (const r of batch) insert.run(...r)
      })()
    }
  }
  raw.pragma('wal_checkpoint(TRUNCATE)')
  raw.close()
}

async function loadPostgres(pool: pg.Pool, tables: Cols[]) {
  for (const t of tables) {
    const batch = t.name === 'reports' ? 2000 : 10_000
    for (let i = 0; i < t.rows.length; i += batch) {
      const rows = t.rows.slice(i, i + batch)
      const arrays = t.columns.map((_, c) => rows.map(r => r[c]))
      await pool.query(
        `INSERT INTO ${t.name} (${t.columns.join(', ')}) SELECT * FROM unnest(${t.types.map((ty, c) => `$${c + 1}::${ty}[]`).join(', ')})`,
        arrays,
      )
    }
  }
}

// ─── Measuring ──────────────────────────────────────────────────────────────────────────────────

interface Row {
  engine: string
  what: string
  p50: number
  p95: number
  max: number
  n: number
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}

async function measure(engine: string, what: string, calls: (() => Promise<unknown>)[], out: Row[]) {
  await calls[0]() // warm-up: statement cache, page cache
  const times: number[] = []
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now()
    await calls[i % calls.length]()
    times.push(performance.now() - t0)
  }
  const row = { engine, what, p50: pct(times, 50), p95: pct(times, 95), max: Math.max(...times), n: times.length }
  out.push(row)
  console.log(
    `  ${what.padEnd(58)} p50 ${row.p50.toFixed(1).padStart(7)} ms   p95 ${row.p95.toFixed(1).padStart(7)} ms   max ${row.max.toFixed(1).padStart(7)} ms`,
  )
}

const SEARCHES = [
  '公开',
  '解读',
  '考核',
  '培训',
  '网站',
  '政策解读',
  '依申请',
  '回应关切',
  '不够及时',
  '栏目更新',
  '保密审查',
  '预决算',
  '新媒体',
  '数据开放',
  '第三方',
  '标准化',
  '鲲鹏',
  '教育局',
  '东川市',
  '乡镇',
]

async function runQueries(engine: string, db: DB, data: ReturnType<typeof generate>, out: Row[]) {
  const oversight: Actor = { id: data.oversightId, role: 'oversight', unitId: data.root.id, unitPath: data.root.path }
  const city = data.cities[3 % data.cities.length]
  const citySupervisor: Actor = { id: city.supervisor, role: 'supervisor', unitId: city.id, unitPath: city.path }
  const range = { yearFrom: FIRST_YEAR, yearTo: LAST_YEAR }
  const page: OverviewFilters = { ...range, sort: 'overdue', dir: 'desc', page: 1, pageSize: 100 }
  const ov =
    (f: Partial<OverviewFilters>, who = oversight) =>
    () =>
      overview(db, who, { ...page, ...f }, TODAY)
  await measure(engine, 'overview: root scope, 5 years, default sort, page 1', [ov({})], out)
  await measure(
    engine,
    'overview: filter variants (sort, status, region, unit, page)',
    [
      ov({ sort: 'closedRate', dir: 'asc' }),
      ov({ status: 'overdue' }),
      ov({ region: CITIES[5] }),
      ov({ unitId: data.cities[7 % data.cities.length].id }),
      ov({ page: 40 }),
      ov({ sort: 'name', dir: 'asc', yearFrom: LAST_YEAR - 1 }),
    ],
    out,
  )
  await measure(engine, 'overview: city supervisor (own subtree)', [ov({}, citySupervisor)], out)
  await measure(
    engine,
    'overview page extras: oversightYears + oversightUnits',
    [async () => Promise.all([oversightYears(db, oversight, TODAY), oversightUnits(db, oversight)])],
    out,
  )
  const agencies = Array.from({ length: REQUESTS }, (_, i) => data.agencies[(i * 7919) % data.agencies.length])
  await measure(
    engine,
    'agency page data (agency), 5 years',
    agencies.map(a => () => agency(db, oversight, a.id, range, TODAY)),
    out,
  )
  const find = (input: Omit<SearchInput, 'q'>, who = oversight) => SEARCHES.map(q => () => search(db, who, { q, ...input }, TODAY))
  await measure(engine, 'search: root scope, all kinds (the search page)', find({}), out)
  await measure(engine, 'search: root scope, tasks only, page 3', find({ kind: 'task', page: 3 }), out)
  await measure(engine, 'search: root scope, year and status filters', find({ year: LAST_YEAR - 1, status: 'in_progress' }), out)
  await measure(engine, 'search: city supervisor (own subtree), all kinds', find({}, citySupervisor), out)
}

// ─── Main ───────────────────────────────────────────────────────────────────────────────────────

const loadavg = () =>
  os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ')

async function main() {
  console.log(
    `bench:oversight — ${AGENCIES.toLocaleString('en-US')} agencies × ${YEARS} years × ${ITEMS} items; ${REQUESTS} requests per line; today = ${TODAY}`,
  )
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}; load average ${loadavg()}`,
  )
  let t0 = performance.now()
  const data = generate()
  const count = (name: string) => data.tables.find(t => t.name === name)!.rows.length
  console.log(
    `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${['units', 'users', 'agencies', 'reports', 'report_items', 'tasks', 'task_events', 'followup_suggestions'].map(n => `${count(n).toLocaleString('en-US')} ${n}`).join(', ')}`,
  )
  const rows: Row[] = []
  for (const engine of ENGINES) {
    if (engine === 'sqlite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-bench-oversight-'))
      const file = path.join(dir, 'bench.sqlite')
      try {
        console.log(`\nSQLite (${file})`)
        let db = createDb({ url: file })
        await migrateTo(db, LOAD_AT)
        await db.destroy()
        t0 = performance.now()
        loadSqlite(file, data.tables)
        console.log(`  bulk load: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
        db = createDb({ url: file })
        t0 = performance.now()
        await migrateToLatest(db)
        console.log(
          `  remaining migrations with backfills (task rollup, search index): ${((performance.now() - t0) / 1000).toFixed(1)} s; file ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MB`,
        )
        await runQueries('SQLite', db, data, rows)
        await db.destroy()
      } finally {
        if (!KEEP) fs.rmSync(dir, { recursive: true, force: true })
      }
    } else if (engine === 'postgres') {
      const probe = new pg.Pool({ connectionString: PG_URL, max: 1, connectionTimeoutMillis: 3000 })
      try {
        await probe.query('select 1')
      } catch (e) {
        console.log(`\nPostgreSQL: not reachable at ${PG_URL} (${(e as Error).message}); skipped`)
        await probe.end()
        continue
      }
      await probe.end()
      const schema = `bench_oversight_${process.pid}`
      console.log(`\nPostgreSQL (${PG_URL}, schema ${schema})`)
      let db = createDb({ url: PG_URL, schema })
      try {
        await db.schema.createSchema(schema).execute()
        await migrateTo(db, LOAD_AT)
        const pool = new pg.Pool({ connectionString: PG_URL, max: 1, options: `-c search_path=${schema}` })
        t0 = performance.now()
        await loadPostgres(pool, data.tables)
        await pool.end()
        console.log(`  bulk load: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
        t0 = performance.now()
        await migrateToLatest(db)
        console.log(`  remaining migrations with backfills (task rollup, search index): ${((performance.now() - t0) / 1000).toFixed(1)} s`)
        t0 = performance.now()
        await sql
          .raw(
            `vacuum analyze ${[...data.tables.map(t => t.name), 'search_docs_report', 'search_docs_item', 'search_docs_task', 'oversight_task_rollup'].join(', ')}`,
          )
          .execute(db)
        console.log(`  vacuum analyze (what autovacuum does after a bulk load): ${((performance.now() - t0) / 1000).toFixed(1)} s`)
        await runQueries('PostgreSQL', db, data, rows)
      } finally {
        if (KEEP) console.log(`  kept schema ${schema}`)
        else await sql.raw(`drop schema if exists ${schema} cascade`).execute(db)
        await db.destroy()
      }
    }
  }
  console.log(`\nload average at the end: ${loadavg()}\n`)
  console.log(`| engine | request | p50 (ms) | p95 (ms) | max (ms) | p95 < ${TARGET_MS} ms |`)
  console.log('|---|---|---:|---:|---:|---|')
  for (const r of rows)
    console.log(
      `| ${r.engine} | ${r.what} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.p95 < TARGET_MS ? 'yes' : '**no**'} |`,
    )
}

main().catch(e => {
  console.error(e)
  process.exit(1)
})
