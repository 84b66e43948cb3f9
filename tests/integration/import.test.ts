// Batch import end to end, against a real database, a real Redis and a real reports worker: the CLI
// imports a directory (20 corpus reports, a broken file, a duplicate, OS junk), every report is
// processed exactly once, the counts are right, running it again adds nothing; an unsafe or too
// large .zip is refused before anything is stored.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { zipSync } from 'fflate'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createUnit, createUser } from '../../app/org/org.server'
import { getImportBatch, ImportRefused, planDirectoryImport, planZipImport, runImport } from '../../app/reports/import.server'
import { createReportsQueue, enqueueReportsProcessing } from '../../app/jobs/queues.server'
import { startReportsWorker } from '../../workers/reports-worker'
import { createTestDb, engines, uniquePrefix, type TestDb } from '../support/db'
import { deletePrefix, TEST_REDIS_URL, waitFor } from '../support/redis'

const CORPUS = path.resolve(__dirname, '../fixtures/corpus')
const corpusFiles = fs.readdirSync(CORPUS).sort().slice(0, 20)
const BROKEN = Buffer.from('%PDF-1.4 this is not really a pdf')

/** 2023/ and 2024/ folders of corpus reports, a broken PDF, a copy of one report under another name, and junk to skip. */
function makeImportDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-import-'))
  for (const [i, f] of corpusFiles.entries()) {
    const sub = path.join(dir, i % 2 ? '2023' : '2024')
    fs.mkdirSync(sub, { recursive: true })
    fs.copyFileSync(path.join(CORPUS, f), path.join(sub, f))
  }
  fs.writeFileSync(path.join(dir, 'broken.pdf'), BROKEN)
  fs.copyFileSync(path.join(CORPUS, corpusFiles[0]), path.join(dir, '副本-' + corpusFiles[0]))
  fs.writeFileSync(path.join(dir, '.DS_Store'), 'junk')
  fs.mkdirSync(path.join(dir, '__MACOSX'))
  fs.writeFileSync(path.join(dir, '__MACOSX', '._broken.pdf'), 'junk')
  return dir
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/import.ts', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', d => (out += d))
    child.stderr.on('data', d => (out += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.on('error', reject)
    child.on('exit', code => {
      clearTimeout(timer)
      resolve({ code, out })
    })
  })
}

describe.each(engines)('batch import on %s', engine => {
  let t: TestDb
  let prefix: string
  let redis: Redis
  let unit: { id: string; path: string }
  let user: { id: string }
  let dir: string

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
  })
  afterAll(async () => {
    await redis.quit()
  })
  beforeEach(async () => {
    prefix = uniquePrefix()
    t = await createTestDb(engine)
    unit = await createUnit(t.db, { name: '省政务公开办' })
    user = await createUser(t.db, {
      username: 'importer',
      displayName: '导入人',
      password: 'password-1',
      role: 'supervisor',
      unitId: unit.id,
    })
    dir = makeImportDir()
  })
  afterEach(async () => {
    await deletePrefix(prefix)
    await t.cleanup()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const count = async (table: 'reports' | 'report_items' | 'import_batches' | 'report_sources') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const scope = () => ({ role: 'oversight' as const, unitPath: unit.path })

  it('the CLI imports a directory through the worker: each report processed once, counts right, a second run adds nothing', async () => {
    const worker = startReportsWorker({ db: t.db, connection: redis, prefix })
    try {
      const env = { ...t.env, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix }
      const first = await runCli([dir, '--user', 'importer', '--poll-ms', '200'], env)
      expect(first.out).toContain('完成 20 · 失败 1 · 重复 1')
      expect(first.out).toMatch(/失败的文件：[\s\S]*broken\.pdf\s+\S/)
      expect(first.code, first.out).toBe(1) // a file failed

      const reports = await t.db
        .selectFrom('reports')
        .select(['filename', 'status', 'attempts', 'unit_id', 'uploaded_by', 'error'])
        .execute()
      expect(reports).toHaveLength(21) // 20 + the broken one; the copy is recognised
      expect(reports.filter(r => r.status === 'extracted')).toHaveLength(20)
      expect(reports.find(r => r.filename === 'broken.pdf')).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/[\u4e00-\u9fff]/),
      })
      for (const r of reports) expect(r, r.filename).toMatchObject({ attempts: 1, unit_id: unit.id, uploaded_by: user.id })
      const batch = await t.db.selectFrom('import_batches').selectAll().executeTakeFirstOrThrow()
      const view = (await getImportBatch(t.db, batch.id, scope()))!
      expect(view.progress).toMatchObject({ total: 22, done: 20, failed: 1, duplicate: 1, queued: 0, finished: true })
      expect(view.failures).toEqual([
        { path: 'broken.pdf', reason: expect.stringMatching(/[\u4e00-\u9fff]/), reportId: expect.any(String) },
      ])
      const items = await count('report_items')
      expect(items).toBeGreaterThan(20)

      const again = await runCli([dir, '--user', 'importer', '--poll-ms', '200'], env)
      expect(again.code, again.out).toBe(0)
      expect(again.out).toContain('重复（已存在，未再保存）22')
      expect(await count('reports')).toBe(21)
      expect(await count('report_items')).toBe(items)
      expect((await t.db.selectFrom('reports').select('attempts').execute()).every(r => r.attempts === 1)).toBe(true)
      expect(await count('import_batches')).toBe(2)
    } finally {
      await worker.close()
    }
  }, 180_000)

  it('a .zip: folders kept, junk skipped, progress from the database; another tree cannot see the batch', async () => {
    const queue = createReportsQueue(redis, prefix)
    const worker = startReportsWorker({ db: t.db, connection: redis, prefix })
    try {
      const files: Record<string, Uint8Array> = {
        '2024/': new Uint8Array(0),
        '__MACOSX/2024/._a.txt': new Uint8Array([1]),
        '2024/.DS_Store': new Uint8Array([1]),
      }
      for (const f of corpusFiles.slice(0, 5)) files[`2024/${f}`] = new Uint8Array(fs.readFileSync(path.join(CORPUS, f)))
      const plan = planZipImport(zipSync(files), '省级.zip')
      expect(plan.files.map(f => f.path)).toEqual(corpusFiles.slice(0, 5).map(f => `2024/${f}`))
      expect(plan.skipped).toBe(3)
      const batchId = await runImport(t.db, { id: user.id, unitId: unit.id }, plan, {
        enqueue: ids => enqueueReportsProcessing(queue, ids),
        groupFiles: 2,
      })
      const view = await waitFor(
        async () => {
          const v = await getImportBatch(t.db, batchId, scope())
          return v?.progress.finished ? v : null
        },
        { what: 'import finished' },
      )
      expect(view.progress).toMatchObject({ total: 5, done: 5, failed: 0, duplicate: 0, percent: 100 })
      const other = await createUnit(t.db, { name: '邻省' })
      expect(await getImportBatch(t.db, batchId, { role: 'supervisor', unitPath: other.path })).toBeNull()
    } finally {
      await worker.close()
      await queue.close()
    }
  }, 60_000)

  it('refuses, with nothing stored, a .zip with a path-traversal name, one with too many files, a broken one, and an empty directory', async () => {
    const text = new TextEncoder().encode('报告')
    const cases: Array<[Uint8Array, RegExp, Record<string, string>?]> = [
      [zipSync({ 'ok.txt': text, '../../etc/evil.txt': text }), /跳出导入目录/],
      [zipSync({ 'ok.txt': text, '/etc/evil.txt': text }), /绝对路径/],
      [
        zipSync(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`r${i}.txt`, new TextEncoder().encode(`报告 ${i}`)]))),
        /文件过多（8 个），一次最多导入 5 个/,
        { IMPORT_MAX_FILES: '5' },
      ],
      [new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]), /压缩包已损坏/],
    ]
    for (const [bytes, message, env] of cases) {
      const limits = { maxFiles: Number(env?.IMPORT_MAX_FILES ?? 10_000), maxTotalBytes: 1e9, maxFileBytes: 20e6, maxDepth: 8 }
      expect(() => planZipImport(bytes, 'x.zip', limits)).toThrow(ImportRefused)
      expect(() => planZipImport(bytes, 'x.zip', limits)).toThrow(message)
    }
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-import-empty-'))
    await expect(planDirectoryImport(empty)).rejects.toThrow(/没有找到可导入的文件/)
    fs.rmSync(empty, { recursive: true })
    // and the CLI says so, exits 2, stores nothing
    const zipPath = path.join(dir, 'evil.zip')
    fs.writeFileSync(zipPath, cases[0][0])
    const res = await runCli([zipPath, '--user', 'importer'], { ...t.env, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix })
    expect(res.code, res.out).toBe(2)
    expect(res.out).toContain('没有保存任何文件')
    expect(await count('reports')).toBe(0)
    expect(await count('report_sources')).toBe(0)
    expect(await count('import_batches')).toBe(0)
  }, 60_000)
})
