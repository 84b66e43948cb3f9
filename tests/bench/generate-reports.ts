// Generated reports for the import test and benchmark: the corpus texts (tests/fixtures) under
// varied agencies and years (the text's own agency renamed throughout), each with a title line naming its agency and year and a numbered
// closing line, so every file has its own content (and sha256) and the workers' agency matching
// and year linking see a province rather than 31 copies.
import fs from 'node:fs'
import path from 'node:path'
import { extractReport } from '../../app/extract/index'

const FIXTURES = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../fixtures')
const CITIES = [
  '青州市',
  '临川区',
  '东阳市',
  '南丰县',
  '西峡县',
  '北流市',
  '安福县',
  '宁远县',
  '平江县',
  '永新县',
  '长汀县',
  '上杭县',
  '石门县',
  '桃源县',
  '汉寿县',
  '澧县',
  '津市市',
  '慈利县',
  '桑植县',
  '沅陵县',
  '辰溪县',
  '溆浦县',
  '会同县',
  '麻阳县',
  '新晃县',
  '芷江县',
  '靖州县',
  '通道县',
  '洪江市',
  '冷水江市',
  '涟源市',
  '双峰县',
  '新化县',
  '祁阳市',
  '东安县',
  '道县',
  '江永县',
  '蓝山县',
  '新田县',
  '江华县',
]
const DEPARTMENTS = [
  '水务局',
  '财政局',
  '教育局',
  '民政局',
  '司法局',
  '审计局',
  '统计局',
  '商务局',
  '文化和旅游局',
  '卫生健康委员会',
  '应急管理局',
  '市场监督管理局',
  '医疗保障局',
  '林业局',
  '农业农村局',
  '交通运输局',
  '住房和城乡建设局',
  '自然资源局',
  '生态环境局',
  '人力资源和社会保障局',
  '退役军人事务局',
  '体育局',
  '信访局',
  '档案局',
  '政务服务中心',
]

/** The corpus texts: every .txt under tests/fixtures/corpus and tests/fixtures (each once). */
export function corpusTexts(): string[] {
  const seen = new Set<string>()
  const texts: string[] = []
  for (const dir of [path.join(FIXTURES, 'corpus'), FIXTURES]) {
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith('.txt') || seen.has(f)) continue
      seen.add(f)
      texts.push(fs.readFileSync(path.join(dir, f), 'utf8'))
    }
  }
  return texts
}

export interface GeneratedReport {
  /** Path inside the import directory (one folder per city). */
  path: string
  agency: string
  year: number
  text: string
}

/** `count` reports: about count / years agencies, each with `years` consecutive years from 2015. */
export function generateReports(
  count: number,
  { years = 2, texts = corpusTexts() }: { years?: number; texts?: string[] } = {},
): GeneratedReport[] {
  const agencies = Math.max(1, Math.ceil(count / years))
  const out: GeneratedReport[] = []
  // Each text's own agency, as the extractor reads it: renamed in the body too, so a generated
  // report names one agency throughout (as a real one does), not its own and the corpus text's.
  const own = texts.map(t => extractReport(t).agency)
  for (let i = 0; i < count; i++) {
    const a = i % agencies
    const city = CITIES[a % CITIES.length]
    const round = Math.floor(a / CITIES.length)
    const dept = DEPARTMENTS[round % DEPARTMENTS.length]
    // Past 1,000 agencies the names repeat; a numbered office keeps them apart.
    const agency = `${city}${round >= DEPARTMENTS.length ? `第${Math.floor(round / DEPARTMENTS.length) + 1}` : ''}${dept}`
    const year = 2015 + Math.floor(i / agencies)
    const source = own[i % texts.length]
    // its full name and its short forms (洲泉镇人民政府, 洲泉镇政府, 洲泉镇), longest first
    const names = source
      ? [...new Set([source, source.replace(/人民政府$/, '政府'), source.replace(/(?:人民)?政府$/, '')])].filter(n => n.length >= 2)
      : []
    const body = names.reduce((t, n) => t.split(n).join(agency), texts[i % texts.length])
    const text = `${agency}${year}年政府信息公开工作年度报告\n\n${body}\n\n（本报告编号：FT-${year}-${String(i).padStart(6, '0')}）\n`
    out.push({ path: `${city}/${agency}-${year}.txt`, agency, year, text })
  }
  return out
}

/** Writes the reports under `dir` and returns their paths there. */
export function writeReports(dir: string, reports: GeneratedReport[]): string[] {
  for (const r of reports) {
    fs.mkdirSync(path.join(dir, path.dirname(r.path)), { recursive: true })
    fs.writeFileSync(path.join(dir, r.path), r.text)
  }
  return reports.map(r => r.path)
}
