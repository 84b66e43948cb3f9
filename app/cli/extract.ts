// CLI: extract problems and commitments from report files.
//   npm run -s extract -- --json FILE...   one JSON object per line, one per file, in order
//   npm run -s extract -- FILE...          a readable summary
// Exit status 1 at the end when any file could not be read.
import fs from 'node:fs'
import path from 'node:path'
import { decodeDocument, DocumentError } from '../documents/decode'
import { extractReport } from '../extract/index'

const args = process.argv.slice(2)
const json = args.includes('--json')
const files = args.filter(a => a !== '--json' && a !== '--')

if (!files.length) {
  console.error('用法: npm run -s extract -- [--json] 文件...')
  process.exit(2)
}

function readError(file: string, e: unknown): string {
  if (e instanceof DocumentError) return e.message
  const code = (e as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') return `找不到文件“${file}”。`
  if (code === 'EISDIR') return `“${file}”是一个目录，不是文件。`
  if (code === 'EACCES') return `没有权限读取文件“${file}”。`
  return `无法读取文件“${file}”：${(e as Error)?.message ?? String(e)}`
}

async function main() {
  let failed = 0
  for (const file of files) {
    let decoded
    try {
      const bytes = new Uint8Array(fs.readFileSync(file))
      decoded = await decodeDocument({ bytes, filename: path.basename(file) })
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
        year: x.year,
        publishedAt: x.publishedAt,
        items: x.items.map(it => ({ kind: it.kind, title: it.title, text: it.text, start: it.start, end: it.end, answers: it.answers, due: it.due })),
      }
      process.stdout.write(JSON.stringify(o) + '\n')
      continue
    }
    const problems = x.items.filter(i => i.kind === 'problem')
    const plans = x.items.filter(i => i.kind === 'plan')
    const out: string[] = []
    out.push(`■ ${file}  （编码 ${decoded.encoding}）`)
    if (x.title) out.push(`  标题：${x.title}`)
    out.push(`  机关：${x.agency ?? '（未识别）'}${x.agencyNormalized && x.agencyNormalized !== x.agency ? `  〔${x.agencyNormalized}〕` : ''}`)
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
