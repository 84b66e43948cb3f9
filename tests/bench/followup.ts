// Speed of the follow-up engine's comparison of two reports (what the worker runs for each link).
//   npm run bench:followup [-- --rounds 5]
// Every ordered pair of the fixture reports (corpus, fixtures, year pairs) is compared; prints the
// best round's milliseconds per pair and a digest of every result, so a change meant to be only
// faster can be checked to give the same suggestions (the digest must not move).
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { extractReport } from '../../app/extract/index'
import { followUp } from '../../app/followup/index'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } })
const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..')
const dirs = ['tests/fixtures/corpus', 'tests/fixtures', 'tests/fixtures/pairs'].map(d => path.join(root, d))
const reports = dirs
  .flatMap(d =>
    fs
      .readdirSync(d)
      .filter(f => f.endsWith('.txt'))
      .sort()
      .map(f => fs.readFileSync(path.join(d, f), 'utf8')),
  )
  .map(text => ({ text, extraction: extractReport(text) }))

const digest = createHash('sha256')
let pairs = 0
let evidence = 0
let recurring = 0
let best = Infinity
for (let round = 0; round < Number(values.rounds); round++) {
  const t0 = performance.now()
  for (const a of reports)
    for (const b of reports) {
      const r = followUp(a, b)
      if (round > 0) continue
      digest.update(JSON.stringify(r))
      pairs++
      evidence += r.evidence.length
      recurring += r.recurring.length
    }
  best = Math.min(best, performance.now() - t0)
}
console.log(`bench:followup — ${reports.length} reports, ${pairs} ordered pairs, best of ${values.rounds} rounds`)
console.log(`${(best / pairs).toFixed(3)} ms a pair (${Math.round(pairs / (best / 1000))} pairs/s on one core)`)
console.log(`results: ${evidence} evidence passages, ${recurring} recurring problems; digest ${digest.digest('hex').slice(0, 16)}`)
