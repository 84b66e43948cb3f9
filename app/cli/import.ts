// Batch import of a directory or a .zip of reports, then a progress line until the workers have
// extracted (or failed) every file, then the failures.
//   npm run import -- DIR_OR_ZIP --user USERNAME
// Exit status: 0 all imported, 1 some files failed, 2 the import was refused or could not start.
import fs from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createDb, migrateToLatest } from '../../db/db'
import { can } from '../auth/permissions'
import { displayWidth, padColumns, progressLine } from '../reports/import'
import {
  getImportBatch,
  ImportRefused,
  importLimits,
  planDirectoryImport,
  planZipImport,
  runImport,
  type ImportBatchView,
} from '../reports/import.server'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { user: { type: 'string' }, 'poll-ms': { type: 'string' } } })
const target = positionals[0]
const fail = (msg: string): never => {
  console.error(msg)
  process.exit(2)
}
if (!target || !values.user) fail('用法: npm run import -- 目录或.zip --user 用户名（督办人、监督方或管理员；报告归入该用户的单位）')

const db = createDb()
await migrateToLatest(db)
const user = await db
  .selectFrom('users')
  .innerJoin('units', 'units.id', 'users.unit_id')
  .select(['users.id', 'users.role', 'users.unit_id', 'units.path', 'units.name'])
  .where('users.username', '=', values.user!)
  .executeTakeFirst()
if (!user) fail(`找不到用户：${values.user}`)
if (!can(user!.role, 'report:import')) fail(`用户 ${values.user} 无权批量导入（需要督办人或管理员；监督方只读）。`)

const stat = await fs.stat(target!).catch(() => null)
if (!stat) fail(`找不到：${target}`)
const limits = importLimits()
let plan
try {
  if (stat!.isDirectory()) plan = await planDirectoryImport(target!, limits)
  else {
    if (stat!.size > limits.maxTotalBytes) throw new ImportRefused(`压缩包过大，超过上限，请分批导入。`)
    plan = planZipImport(new Uint8Array(await fs.readFile(target!)), path.basename(target!), limits)
  }
} catch (err) {
  if (err instanceof ImportRefused) fail(`已拒绝导入：${err.message}\n没有保存任何文件。`)
  throw err
}

const tty = process.stdout.isTTY
const pollMs = Number(values['poll-ms'] ?? 1000)
let batchId: string | undefined
let lastLine = ''
const show = (view: ImportBatchView) => {
  const line = progressLine(view.progress)
  if (tty) process.stdout.write(`\r\x1b[2K${line}`)
  else if (line !== lastLine) process.stdout.write(`${line}\n`)
  lastLine = line
}
console.log(`导入 ${plan!.source}：${plan!.files.length} 个文件（跳过 ${plan!.skipped} 个目录或系统文件），归入 ${user!.name}`)
const scope = { role: user!.role, unitPath: user!.path }
const storing = runImport(db, { id: user!.id, unitId: user!.unit_id }, plan!, { onBatch: id => (batchId = id) })

let view: ImportBatchView | null = null
let lastSettled = -1
let stuckSince = Date.now()
let warned = false
let readMs = 0
for (;;) {
  // Every pollMs, but reading at most 2.5 % of the time: reading a large batch's progress joins each
  // of its files to its report (55 ms at 10,000 files on PostgreSQL, while the workers write).
  await new Promise(r => setTimeout(r, Math.max(pollMs, readMs * 40)))
  if (!batchId) continue
  const started = performance.now()
  view = await getImportBatch(db, batchId, scope)
  readMs = performance.now() - started
  if (!view) continue
  show(view)
  if (view.progress.finished) break
  const settled = view.progress.done + view.progress.failed + view.progress.duplicate
  if (settled !== lastSettled) ((lastSettled = settled), (stuckSince = Date.now()))
  else if (!warned && Date.now() - stuckSince > 30_000) {
    warned = true
    process.stdout.write(`${tty ? '\n' : ''}30 秒没有进展：请确认处理进程（npm run worker）正在运行。\n`)
  }
}
await storing
if (tty) process.stdout.write('\n')

const p = view!.progress
console.log(`\n结果：共 ${p.total} 个文件，完成 ${p.done}，失败 ${p.failed}，重复（已存在，未再保存）${p.duplicate}。批次 ${batchId}`)
if (view!.failures.length) {
  console.log('\n失败的文件：')
  const width = Math.min(60, Math.max(4, ...view!.failures.map(f => displayWidth(f.path))))
  console.log(`${padColumns('文件', width)}  原因`)
  for (const f of view!.failures) console.log(`${padColumns(f.path, width)}  ${f.reason}`)
  if (p.failed > view!.failures.length) console.log(`……另有 ${p.failed - view!.failures.length} 个，见导入页面。`)
}
await db.destroy()
process.exit(p.failed > 0 ? 1 : 0)
