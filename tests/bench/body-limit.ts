// npm run bench:body — the web process (app/cli/web.ts on the built app) against oversized bodies:
// one 300 MB POST to /login, then four at once. Prints how long each refusal took, how much of the
// body had been sent by then, and the web process's resident memory before and after (from /proc).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort, startWeb, stop } from '../hardening/support/processes'
import { sendLargeBody } from '../support/raw-http'

const MB = 1024 * 1024
const status = (pid: number, key: string) =>
  Number(new RegExp(`${key}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-bench-body-'))
const port = await freePort()
const web = await startWeb({ DATA_DIR: dir, SEED_DEMO: '0' }, port)
const send = () =>
  sendLargeBody('127.0.0.1', port, '/login', 300 * MB, {
    Origin: `http://127.0.0.1:${port}`,
    'Content-Type': 'application/x-www-form-urlencoded',
  })
try {
  await fetch(`http://127.0.0.1:${port}/login`).then(r => r.text())
  const before = status(web.pid, 'VmRSS')
  const one = await send()
  const afterOne = status(web.pid, 'VmRSS')
  const four = await Promise.all([0, 1, 2, 3].map(send))
  const afterFour = status(web.pid, 'VmRSS')
  const t0 = performance.now()
  await fetch(`http://127.0.0.1:${port}/healthz`)
  const healthMs = performance.now() - t0
  const mb = (n: number) => (n / MB).toFixed(0)
  console.log(`date ${new Date().toISOString()} · ${os.cpus().length} cores · node ${process.version}`)
  console.log(`one 300 MB POST /login: ${one.status} after ${one.ms.toFixed(0)} ms, ${mb(one.sent)} MB of the body sent by then`)
  console.log(`four at once: ${four.map(r => `${r.status} after ${r.ms.toFixed(0)} ms (${mb(r.sent)} MB sent)`).join('; ')}`)
  console.log(
    `web RSS: ${before.toFixed(0)} MB before, ${afterOne.toFixed(0)} MB after one (+${(afterOne - before).toFixed(1)}), ${afterFour.toFixed(0)} MB after four (+${(afterFour - before).toFixed(1)}); peak ${status(web.pid, 'VmHWM').toFixed(0)} MB`,
  )
  console.log(`/healthz right after: ${healthMs.toFixed(0)} ms`)
} finally {
  await stop(web)
  fs.rmSync(dir, { recursive: true, force: true })
}
