// npm run backup / npm run restore against real databases: a populated data directory (a processed,
// confirmed report, progress, an uploaded evidence file) is backed up by the CLI while a writer keeps
// writing, restored into an empty place and compared row by row and byte by byte; restoring over
// existing data is refused and changes nothing; a corrupted backup is reported.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUnit, createUser } from '../../app/org/org.server'
import { createBackup, restoreBackup, type BackupManifest, type DatabaseTarget } from '../../app/ops/backup.server'
import { processReport, storeReport } from '../../app/reports/reports.server'
import { confirmReport } from '../../app/tasks/tasks.server'
import { addEvidenceFile, addProgress, transitionTask, updateTask } from '../../app/tasks/workflow.server'
import type { Actor } from '../../app/auth/scope'
import { createTestDb, engines, type TestDb } from '../support/db'

const pgToolsPresent = ['pg_dump', 'pg_restore'].every(t =>
  (process.env.PATH ?? '').split(':').some(d => d && fs.existsSync(path.join(d, t))),
)
const enginesHere = engines.filter(e => e === 'sqlite' || pgToolsPresent)
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p))
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** Every row of every table, each as a canonical JSON string, sorted: equal dumps mean equal tables. */
async function dumpRows(target: DatabaseTarget, tables: string[]): Promise<Record<string, string[]>> {
  const canon = (row: Record<string, unknown>) =>
    JSON.stringify(
      Object.keys(row)
        .sort()
        .map(k => [
          k,
          Buffer.isBuffer(row[k])
            ? `hex:${(row[k] as Buffer).toString('hex')}`
            : row[k] instanceof Date
              ? (row[k] as Date).toISOString()
              : row[k],
        ]),
    )
  const out: Record<string, string[]> = {}
  if (target.engine === 'sqlite') {
    const db = new SQLite(target.file, { readonly: true })
    for (const t of tables) out[t] = (db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]).map(canon).sort()
    db.close()
  } else {
    const c = new pg.Client({ connectionString: target.url })
    await c.connect()
    for (const t of tables) out[t] = (await c.query(`SELECT * FROM "${target.schema}"."${t}"`)).rows.map(canon).sort()
    await c.end()
  }
  return out
}

function cli(
  script: 'backup' | 'restore',
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.resolve('node_modules/.bin/tsx'), [`app/cli/${script}.ts`, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => (stdout += d))
    child.stderr.on('data', d => (stderr += d))
    child.on('error', reject)
    child.on('close', code => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

describe.each(enginesHere)('backup and restore on %s', engine => {
  let t: TestDb
  let dataDir: string
  let source: DatabaseTarget
  let staff: Actor
  let taskId: string
  const dirs: string[] = []
  const schemasToDrop: string[] = []

  beforeAll(async () => {
    t = await createTestDb(engine)
    dataDir = t.env.DATA_DIR ?? tmp('ft-backup-data-')
    dirs.push(dataDir)
    process.env.DATA_DIR = dataDir // evidencePath() stores under DATA_DIR/evidence
    source = engine === 'sqlite' ? { engine, file: t.env.DATABASE_URL } : { engine, url: t.env.DATABASE_URL, schema: t.env.DATABASE_SCHEMA }
    if (engine === 'postgres') schemasToDrop.push(t.env.DATABASE_SCHEMA)

    const root = await createUnit(t.db, { name: '市政务公开办' })
    const dept = await createUnit(t.db, { name: '市教育局', parentId: root.id })
    const sup = await createUser(t.db, {
      username: 'sup',
      displayName: '督办人',
      password: 'password-1',
      role: 'supervisor',
      unitId: root.id,
    })
    const st = await createUser(t.db, { username: 'staff', displayName: '责任人', password: 'password-1', role: 'staff', unitId: dept.id })
    const supActor = { id: sup.id, role: 'supervisor' as const, unitId: root.id, unitPath: root.path }
    staff = { id: st.id, role: 'staff', unitId: dept.id, unitPath: dept.path }
    const bytes = fs.readFileSync('tests/fixtures/000_9a848439efe0aebb.txt')
    const { report } = await storeReport(t.db, {
      bytes,
      filename: '2023年政府信息公开工作年度报告.txt',
      unitId: root.id,
      uploadedBy: sup.id,
    })
    expect(await processReport(t.db, report.id)).toBe('extracted')
    const confirmed = await confirmReport(
      t.db,
      { ...supActor, username: 'sup', displayName: '督办人', unitName: '市政务公开办' },
      report.id,
    )
    expect(confirmed!.created).toBeGreaterThan(0)
    taskId = (await t.db.selectFrom('tasks').select('id').orderBy('created_at').executeTakeFirstOrThrow()).id
    await updateTask(t.db, supActor, taskId, { unitId: dept.id })
    await transitionTask(t.db, supActor, taskId, { action: 'assign', ownerId: staff.id })
    await addProgress(t.db, staff, taskId, { progress: 30, note: '已开始整改' })
    await addEvidenceFile(t.db, staff, taskId, {
      filename: '整改方案.pdf',
      bytes: new Uint8Array(Buffer.from('%PDF-1.4 整改方案 第一版\n')),
    })
  }, 60_000)

  afterAll(async () => {
    if (engine === 'postgres') {
      // Never leave a schema behind in the test database, whatever happened above.
      const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
      await c.connect()
      for (const s of schemasToDrop) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`)
      await c.end()
    }
    await t?.db.destroy().catch(() => {})
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  })

  it('backs up while the app writes, restores into an empty place, and everything matches', async () => {
    // 1. `npm run backup` in its own process while this one keeps recording progress and evidence.
    const liveDir = path.join(tmp('ft-backups-'), 'live')
    dirs.push(path.dirname(liveDir))
    let writing = true
    let writes = 0
    const writer = (async () => {
      while (writing) {
        writes++
        await addProgress(t.db, staff, taskId, { progress: writes % 100, note: `第${writes}次进展` })
        await new Promise(r => setImmediate(r)) // SQLite calls are synchronous underneath: let the child's I/O through
        if (writes % 4 === 0)
          await addEvidenceFile(t.db, staff, taskId, {
            filename: `照片${writes}.txt`,
            bytes: new Uint8Array(Buffer.from(`进展照片 ${writes}\n`)),
          })
      }
    })()
    const backup = await cli('backup', ['--out', liveDir], { ...t.env, DATA_DIR: dataDir })
    const writesDuringBackup = writes
    writing = false
    await writer
    expect(backup.stderr).toBe('')
    expect(backup.code).toBe(0)
    expect(backup.stdout).toContain('备份完成')
    expect(writesDuringBackup).toBeGreaterThan(5)
    const liveManifest = JSON.parse(fs.readFileSync(path.join(liveDir, 'manifest.json'), 'utf8')) as BackupManifest
    expect(liveManifest.migration).toMatch(/^\d{4}-\d{2}-\d{2}-/)
    expect(liveManifest.tables.tasks).toBeGreaterThan(0)

    // 2. A quiet backup, the one compared row by row with the source.
    const { dir: quietDir, manifest } = await createBackup({ database: source, dataDir, out: path.join(path.dirname(liveDir), 'quiet') })
    expect(manifest.files.length).toBe(1 + Math.floor(writes / 4))
    const tables = Object.keys(manifest.tables)
    const sourceRows = await dumpRows(source, tables)

    // PostgreSQL restores a schema under its own name: move the source aside so the name is free.
    let original = source
    let target: DatabaseTarget
    if (source.engine === 'postgres') {
      const moved = `${source.schema}_orig`
      schemasToDrop.push(moved)
      await t.db.destroy() // its pool's search_path names the old schema
      const c = new pg.Client({ connectionString: source.url })
      await c.connect()
      await c.query(`ALTER SCHEMA "${source.schema}" RENAME TO "${moved}"`)
      await c.end()
      original = { ...source, schema: moved }
      target = source
    } else {
      target = { engine: 'sqlite', file: '' }
    }
    const dropTarget = async () => {
      if (target.engine !== 'postgres') return
      const c = new pg.Client({ connectionString: target.url })
      await c.connect()
      await c.query(`DROP SCHEMA IF EXISTS "${target.schema}" CASCADE`)
      await c.end()
    }

    // 3. The backup taken under writes restores to a consistent state.
    const liveRestoreDir = tmp('ft-restore-live-')
    dirs.push(liveRestoreDir)
    if (target.engine === 'sqlite') target = { engine: 'sqlite', file: path.join(liveRestoreDir, 'follow-through.sqlite') }
    const live = await cli(
      'restore',
      [liveDir],
      target.engine === 'sqlite'
        ? { DATA_DIR: liveRestoreDir, DATABASE_URL: '' }
        : { DATA_DIR: liveRestoreDir, DATABASE_URL: target.url, DATABASE_SCHEMA: target.schema },
    )
    expect(live.stderr).toBe('')
    expect(live.code).toBe(0)
    expect(live.stdout).toContain('恢复完成并已核对')
    const restoredLive = await dumpRows(target, ['tasks', 'task_events', 'task_evidence'])
    const parse = (rows: string[]) =>
      rows.map(r => Object.fromEntries(JSON.parse(r) as [string, unknown][]) as Record<string, string | number | null>)
    const task = parse(restoredLive.tasks).find(r => r.id === taskId)!
    const progressEvents = parse(restoredLive.task_events).filter(e => e.task_id === taskId && e.type === 'progress')
    const latest = progressEvents.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at))).at(-1)!
    expect(JSON.parse(String(latest.after)).progress).toBe(task.progress) // the task and its last event come from one moment
    expect(progressEvents.length).toBeGreaterThan(1)
    for (const ev of parse(restoredLive.task_evidence).filter(e => e.kind === 'file')) {
      const file = path.join(liveRestoreDir, 'evidence', String(ev.id))
      expect(sha(fs.readFileSync(file))).toBe(ev.sha256) // every evidence row found its file
    }
    if (target.engine === 'sqlite') {
      const db = new SQLite(target.file, { readonly: true })
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(db.pragma('foreign_key_check')).toEqual([])
      db.close()
    }
    await dropTarget()

    // 4. The quiet backup restores into an empty place with every row and every file identical.
    const restoreDir = tmp('ft-restore-')
    dirs.push(restoreDir)
    if (target.engine === 'sqlite') target = { engine: 'sqlite', file: path.join(restoreDir, 'follow-through.sqlite') }
    const result = await restoreBackup({ backupDir: quietDir, database: target, dataDir: restoreDir })
    expect(result).toMatchObject({ ok: true, files: manifest.files.length })
    expect(await dumpRows(target, tables)).toEqual(sourceRows)
    expect(await dumpRows(original, tables)).toEqual(sourceRows)
    for (const f of manifest.files)
      expect(fs.readFileSync(path.join(restoreDir, f.path))).toEqual(fs.readFileSync(path.join(dataDir, f.path)))
    expect(sourceRows.report_sources.length).toBe(1) // the uploaded report's bytes travel inside the database

    // 5. Restoring again over it is refused and changes nothing.
    const evidenceFile = path.join(restoreDir, manifest.files[0].path)
    fs.writeFileSync(evidenceFile, 'changed after restore')
    const before = await dumpRows(target, tables)
    const refused = await cli(
      'restore',
      [quietDir],
      target.engine === 'sqlite'
        ? { DATA_DIR: restoreDir, DATABASE_URL: '' }
        : { DATA_DIR: restoreDir, DATABASE_URL: target.url, DATABASE_SCHEMA: target.schema },
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/不是空的|not empty/)
    expect(await dumpRows(target, tables)).toEqual(before)
    expect(fs.readFileSync(evidenceFile, 'utf8')).toBe('changed after restore')

    // 6. A backup whose file no longer matches its hash is reported, and nothing is restored.
    const corruptDir = path.join(path.dirname(liveDir), 'corrupt')
    fs.cpSync(quietDir, corruptDir, { recursive: true })
    fs.appendFileSync(path.join(corruptDir, 'files', manifest.files[0].path), 'x')
    const emptyDir = tmp('ft-restore-empty-')
    dirs.push(emptyDir)
    await dropTarget()
    const corruptTarget: DatabaseTarget =
      target.engine === 'sqlite' ? { engine: 'sqlite', file: path.join(emptyDir, 'follow-through.sqlite') } : target
    const corrupt = await restoreBackup({ backupDir: corruptDir, database: corruptTarget, dataDir: emptyDir })
    expect(corrupt).toMatchObject({ ok: false, reason: 'corrupt-backup' })
    expect(corrupt.ok ? [] : corrupt.problems.map(p => p.what)).toEqual([`文件 file ${manifest.files[0].path}`])
    expect(fs.readdirSync(emptyDir)).toEqual([])
    const check = await cli('restore', ['--check', corruptDir], {})
    expect(check.code).toBe(1)
    expect(check.stderr).toContain('备份已损坏')
  }, 180_000)
})
