// npm run bench:formats [-- --formats docx,pdf] [--verbose]
// The same reports in the formats offices publish: the corpus texts are converted with LibreOffice
// (`soffice --headless --convert-to docx|pdf`, package libreoffice-writer-nogui; converted once into
// a cache under the system temp directory) and each format is read as an upload is read and scored
// like the corpus scorer scores. Prints micro F1 per format and its difference from the text figure;
// --verbose lists the reports whose items differ from the text's.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadCorpus, FIXTURES } from '../../app/cli/corpus'
import { readDocument } from '../../app/cli/read-document'
import { extractReportStrict } from '../../app/extract/index'
import { add, emptyCounts, f1, scoreKind, type Counts } from '../../app/extract/learn/score'

const { values } = parseArgs({
  options: { formats: { type: 'string', default: 'docx,pdf' }, verbose: { type: 'boolean', default: false } },
})
const formats = values.formats!.split(',').filter(Boolean)
const corpus = await loadCorpus()
const sources = corpus.map(r => path.join(FIXTURES, 'corpus', `${r.name}.txt`))
const digest = createHash('sha256')
for (const f of sources) digest.update(fs.readFileSync(f))
const cache = path.join(os.tmpdir(), `ft-formats-${digest.digest('hex').slice(0, 12)}`)

function convert(format: string): string {
  const dir = path.join(cache, format)
  const missing = sources.filter(f => !fs.existsSync(path.join(dir, `${path.basename(f, '.txt')}.${format}`)))
  if (missing.length) {
    fs.mkdirSync(dir, { recursive: true })
    console.error(`converting ${missing.length} reports to .${format} with LibreOffice…`)
    execFileSync('soffice', ['--headless', '--infilter=Text (encoded):UTF8', '--convert-to', format, '--outdir', dir, ...missing], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, HOME: path.join(cache, 'home') },
    })
  }
  return dir
}

type Result = { counts: Counts; items: Map<string, string[]> }
async function score(format: string): Promise<Result> {
  const dir = format === 'txt' ? path.join(FIXTURES, 'corpus') : convert(format)
  let counts = emptyCounts()
  const items = new Map<string, string[]>()
  for (const r of corpus) {
    const file = path.join(dir, `${r.name}.${format}`)
    let text = ''
    try {
      text = (await readDocument(file)).text
    } catch (e) {
      console.error(`${r.name}.${format}: ${(e as Error).message}`)
    }
    const x = extractReportStrict(text)
    items.set(
      r.name,
      x.items.map(i => `${i.kind}:${i.text.replace(/\s+/g, '')}`),
    )
    for (const kind of ['problem', 'plan'] as const)
      counts = add(
        counts,
        scoreKind(
          kind === 'problem' ? r.problems : r.plans,
          x.items.filter(i => i.kind === kind).map(i => i.text),
        ),
      )
  }
  return { counts, items }
}

const base = await score('txt')
const fmt = (c: Counts) => {
  const s = f1(c)
  return `micro F1 ${s.F.toFixed(3)} (P ${s.P.toFixed(3)} R ${s.R.toFixed(3)})`
}
console.log(`txt : ${fmt(base.counts)} over ${corpus.length} reports`)
for (const format of formats) {
  const r = await score(format)
  console.log(
    `${format.padEnd(4)}: ${fmt(r.counts)}  (${f1(r.counts).F - f1(base.counts).F >= 0 ? '+' : ''}${(f1(r.counts).F - f1(base.counts).F).toFixed(3)} against txt)`,
  )
  if (values.verbose) {
    for (const [name, its] of r.items) {
      const want = base.items.get(name)!
      const lost = want.filter(x => !its.includes(x))
      const extra = its.filter(x => !want.includes(x))
      if (lost.length || extra.length)
        console.log(
          `  ${name}: ${lost.length} differ\n${lost.map(x => `    txt: ${x.slice(0, 70)}`).join('\n')}\n${extra.map(x => `    ${format}: ${x.slice(0, 70)}`).join('\n')}`,
        )
    }
  }
}
