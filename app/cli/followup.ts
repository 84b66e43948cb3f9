// CLI: follow up an agency's earlier report with a later one.
//   npm run -s followup -- --json EARLIER LATER   one JSON object (see issue 6)
//   npm run -s followup -- EARLIER LATER          a readable summary in Chinese
// Evidence offsets point into the decoded text of LATER.
import { extractReport } from '../extract/index'
import { readDocument, readError } from './read-document'
import { followUp, type ReportForFollowUp } from '../followup/index'

const args = process.argv.slice(2)
const json = args.includes('--json')
const files = args.filter(a => a !== '--json' && a !== '--')

if (files.length !== 2) {
  console.error('用法: npm run -s followup -- [--json] 上一年度报告 下一年度报告')
  process.exit(2)
}

async function load(file: string): Promise<ReportForFollowUp> {
  const decoded = await readDocument(file)
  return { text: decoded.text, extraction: extractReport(decoded.text) }
}

const short = (s: string, n = 40) => {
  const t = s.replace(/\s+/g, '')
  return t.length > n ? t.slice(0, n) + '…' : t
}

async function main() {
  const reports: ReportForFollowUp[] = []
  for (const file of files) {
    try {
      reports.push(await load(file))
    } catch (e) {
      const error = readError(file, e)
      if (json) process.stdout.write(JSON.stringify({ file, error }) + '\n')
      else process.stderr.write(`✗ ${file}\n  ${error}\n`)
      process.exitCode = 1
      return
    }
  }
  const r = followUp(reports[0], reports[1])
  if (json) {
    const o = {
      earlier: r.earlier,
      later: r.later,
      sameAgency: r.sameAgency,
      recurring: r.recurring.map(x => ({ earlier: x.earlier, later: x.later, score: x.score })),
      evidence: r.evidence.map(e => ({ plan: e.plan, passage: e.passage, start: e.start, end: e.end, score: e.score })),
      notMentioned: r.notMentioned,
    }
    process.stdout.write(JSON.stringify(o) + '\n')
    return
  }
  const who = (x: { agency: string | null; year: number | null }) => `${x.agency ?? '（机关未识别）'} ${x.year ?? '（年度未识别）'}年度`
  const out: string[] = []
  out.push(`■ 上一年度：${who(r.earlier)}  （${files[0]}）`)
  out.push(`■ 下一年度：${who(r.later)}  （${files[1]}）`)
  out.push(`  同一机关：${r.sameAgency.match ? '是' : '否'}（相似度 ${r.sameAgency.score}）`)
  out.push('')
  out.push(`  改进措施落实佐证：找到 ${r.evidence.length} 条，未提及 ${r.notMentioned.length} 条`)
  for (const e of r.evidence) {
    out.push(`  ✓ ${short(e.plan)}`)
    out.push(`      → “${short(e.passage, 80)}”（${e.start}–${e.end}，得分 ${e.score}）`)
  }
  for (const p of r.notMentioned) out.push(`  ○ 未提及：${short(p)}`)
  out.push('')
  out.push(`  复现问题：${r.recurring.length} 对`)
  for (const x of r.recurring) out.push(`  ↻ ${short(x.earlier, 30)}  ⇄  ${short(x.later, 30)}（得分 ${x.score}）`)
  process.stdout.write(out.join('\n') + '\n')
}

main().catch(e => {
  console.error(e)
  process.exit(1)
})
