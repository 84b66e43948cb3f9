// Counts test results from the runners' JSON reports: "N passed, N failed".
// Typecheck, lint and build count as one test each; a stage that crashed before reporting counts as failed.
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'

const read = f => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null)

export function summary() {
  let passed = 0
  let failed = 0
  let skipped = 0
  const stages = read('test-results/stages.json') ?? {}
  for (const s of ['typecheck', 'lint', 'build']) {
    if (!(s in stages)) continue
    stages[s] === 0 ? passed++ : failed++
  }
  const vitest = read('test-results/vitest.json')
  if (vitest) {
    passed += vitest.numPassedTests
    failed += vitest.numFailedTests + suitesThatFailedToLoad(vitest)
    skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0)
  } else if ('unit and integration' in stages) failed++
  const pw = read('test-results/playwright.json')
  if (pw) {
    passed += pw.stats.expected + (pw.stats.flaky ?? 0)
    failed += pw.stats.unexpected
    skipped += pw.stats.skipped ?? 0
    if (pw.errors?.length && pw.stats.expected + pw.stats.unexpected === 0) failed++
  } else if ('end-to-end' in stages) failed++
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`
}

// A test file that failed to load (or crashed) has no failing test of its own: count it once.
function suitesThatFailedToLoad(v) {
  return (v.testResults ?? []).filter(s => s.status === 'failed' && !(s.assertionResults ?? []).some(a => a.status === 'failed')).length
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(summary())
