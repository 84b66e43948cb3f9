// CLI: extract problems and commitments from report files.
//   npm run -s extract -- --json FILE...   one JSON object per line, one per file, in order
//   npm run -s extract -- FILE...          a readable summary
// Exit status 1 at the end when any file could not be read.
import { extractReport } from '../extract/index'
import { readDocument, readError } from './read-document'

const args = process.argv.slice(2)
const json = args.includes('--json')
const files = args.filter(a => a !== '--json' && a !== '--')

if (!files.length) {
  console.error('用法: npm run -s extract -- [--json] 文件...')
  process.exit(2)
}

async function main() {
  let failed = 0
  for (const file of files) {
    let decoded
    try {
      decoded = await readDocument(file)
    } catch (e) {
      failed++
      const error = readError(file, e)
      if (json) process.stdout.write(JSON.stringify({ file, error }) + '\n')
      else process.stdout.write(`✗ ${file}\n  ${error}\n\n`)
      continue
    }
    const x = extractReport(decoded.text)
    if (json) {
      const o = {
        file,
        encoding: decoded.encoding,
        agency: x.agency,
        agencyNormalized: x.agencyNormalized,
        agencyConfidence: x.agencyConfidence,
        yearConfidence: x.yearConfidence ?? null,
        year: x.year,
        publishedAt: x.publishedAt,
        items: x.items.map(it => ({
          kind: it.kind,
          title: it.title,
          text: it.text,
          start: it.start,
          end: it.end,
          answers: it.answers,
          due: it.due,
          confidence: it.confidence ?? null,
        })),
      }
      process.stdout.write(JSON.stringify(o) + '\n')
      continue
    }
    const problems = x.items.filter(i => i.kind === 'problem')
    const plans = x.items.filter(i => i.kind === 'plan')
    const out: string[] = []
    out.push(`■ ${file}  （编码 ${decoded.encoding}）`)
    if (x.title) out.push(`  标题：${x.title}`)
    out.push(
      `  机关：${x.agency ?? '（未识别）'}${x.agencyNormalized && x.agencyNormalized !== x.agency ? `  〔${x.agencyNormalized}〕` : ''}`,
    )
    out.push(`  年度：${x.year ?? '（未识别）'}    发布日期：${x.publishedAt ?? '（未识别）'}`)
    out.push(`  存在问题 ${problems.length} 条，改进措施 ${plans.length} 条`)
    x.items.forEach((it, i) => {
      const tag = it.kind === 'problem' ? '问题' : '措施'
      const ans = it.answers.length ? `  → 对应问题 ${it.answers.map(a => '#' + (a + 1)).join('、')}` : ''
      out.push(`  #${i + 1} [${tag}] ${it.title}  （${it.start}–${it.end}，期限 ${it.due ?? '—'}）${ans}`)
    })
    process.stdout.write(out.join('\n') + '\n\n')
  }
  if (failed) process.exitCode = 1
}

main().catch(e => {
  console.error(e)
  process.exit(1)
})
