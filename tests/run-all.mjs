#!/usr/bin/env node
// `npm test`: every stage runs even when an earlier one fails, so one run shows everything.
// Stages: typecheck, lint (ESLint's layering rules, Prettier's format), build, unit + integration (vitest; some tests start the built web server),
// end-to-end (Playwright in /usr/bin/chromium).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'

fs.rmSync('test-results', { recursive: true, force: true })
fs.mkdirSync('test-results', { recursive: true })
const stages = [
  ['typecheck', 'npx', ['tsc']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['build', 'npx', ['remix', 'build']],
  ['unit and integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']],
  ['end-to-end', 'npx', ['playwright', 'test']],
]
const results = {}
for (const [name, cmd, args] of stages) {
  if (name === 'end-to-end' && results.build !== 0) {
    results[name] = 1
    continue
  }
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  results[name] = r.status ?? 1
}
fs.writeFileSync('test-results/stages.json', JSON.stringify(results, null, 2))
console.log('\n=== stages')
for (const [name, code] of Object.entries(results)) console.log(`${code === 0 ? 'ok  ' : 'FAIL'} ${name}`)
const { summary } = await import('./summary.mjs')
console.log(summary())
process.exit(Object.values(results).every(c => c === 0) ? 0 : 1)
