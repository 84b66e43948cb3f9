// Two worker processes, one database, one Redis prefix, a 500-file import through the CLI: every
// report is processed exactly once (one attempt, one job run, items not duplicated, follow-up run
// once), and no job is marked stalled although two of the files are 2 MB texts (about a second of
// extraction each, in the extraction threads) and the job locks are short (3 s), so a worker whose
// event loop stopped for long would lose its jobs.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Queue, QueueEvents } from 'bullmq'
import { Redis } from 'ioredis'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { extractReport } from '../../app/extract/index'
import { createUnit, createUser } from '../../app/org/org.server'
import { storeReport } from '../../app/reports/reports.server'
import {
  createReportsQueue,
  enqueueReportProcessing,
  enqueueReportsProcessing,
  FOLLOWUP_QUEUE,
  REPORTS_QUEUE,
} from '../../app/jobs/queues.server'
import { startReportsWorker } from '../../workers/reports-worker'
import { corpusTexts, generateReports, writeReports } from '../bench/generate-reports'
import { createTestDb, engines, uniquePrefix, type TestDb } from '../support/db'
import { deletePrefix, TEST_REDIS_URL, waitFor } from '../support/redis'

const FILES = 500
const BIG = 2

describe.each(engines)('import through two worker processes on %s', engine => {
  let t: TestDb
  let prefix: string
  let dir: string
  const children: ChildProcess[] = []
  const events: QueueEvents[] = []

  beforeEach(async () => {
    prefix = uniquePrefix()
    t = await createTestDb(engine)
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-import-workers-'))
  })
  afterEach(async () => {
    await Promise.all(
      children.splice(0).map(
        c =>
          new Promise<void>(resolve => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve()
            c.once('exit', () => resolve())
            c.kill('SIGTERM')
            setTimeout(() => c.kill('SIGKILL'), 10_000).unref()
          }),
      ),
    )
    await Promise.all(events.splice(0).map(e => e.close()))
    await deletePrefix(prefix)
    await t.cleanup()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('500 files, two workers: each report processed once, follow-up once, nothing stalled', async () => {
    const unit = await createUnit(t.db, { name: '省政务公开办' })
    const user = await createUser(t.db, {
      username: 'importer',
      displayName: '导入人',
      password: 'password-1',
      role: 'supervisor',
      unitId: unit.id,
    })
    const texts = corpusTexts()
    const generated = generateReports(FILES - BIG, { years: 2, texts })
    // Two large texts (the corpus 20 times, about 2 MB).
    const big = texts.join('\n\n').repeat(20)
    for (let i = 0; i < BIG; i++) generated.push({ path: `大文件/汇编${i}.txt`, agency: '', year: 0, text: `大型汇编${i}\n${big}` })
    writeReports(dir, generated)

    // Every job event of both queues, seen from here (another process's view of the workers).
    const env = { ...process.env, ...t.env, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix }
    const seen = {
      stalled: [] as string[],
      failed: [] as string[],
      reports: new Map<string, number>(),
      followups: new Map<string, number>(),
    }
    for (const [name, done] of [
      [REPORTS_QUEUE, seen.reports],
      [FOLLOWUP_QUEUE, seen.followups],
    ] as const) {
      const qe = new QueueEvents(name, { connection: new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }), prefix })
      qe.on('stalled', ({ jobId }) => seen.stalled.push(`${name}:${jobId}`))
      qe.on('failed', ({ jobId, failedReason }) => seen.failed.push(`${name}:${jobId}: ${failedReason}`))
      qe.on('completed', ({ jobId }) => done.set(jobId, (done.get(jobId) ?? 0) + 1))
      await qe.waitUntilReady()
      events.push(qe)
    }

    const workerEnv = { ...env, WORKER_CONCURRENCY: '2', WORKER_LOCK_MS: '60000', WORKER_STALLED_INTERVAL_MS: '1000' }
    const logs: string[] = []
    for (let w = 0; w < 2; w++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { env: workerEnv, stdio: ['ignore', 'pipe', 'pipe'] })
      child.stdout!.on('data', d => (logs[w] = (logs[w] ?? '') + d))
      child.stderr!.on('data', d => (logs[w] = (logs[w] ?? '') + d))
      children.push(child)
    }

    const cli = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/import.ts', dir, '--user', 'importer', '--poll-ms', '250'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      children.push(child)
      let out = ''
      child.stdout.on('data', d => (out += d))
      child.stderr.on('data', d => (out += d))
      child.on('error', reject)
      child.on('exit', code => resolve({ code, out }))
    })
    expect(cli.code, cli.out).toBe(0)
    expect(cli.out).toContain(`完成 ${FILES} · 失败 0 · 重复 0`)

    // The follow-up step of every report, then a moment for any late or repeated job to show.
    const pendingFollowUps = async () =>
      Number(
        (
          await t.db
            .selectFrom('reports')
            .select(eb => eb.fn.countAll<number>().as('n'))
            .where('followup_done_at', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      )
    await waitFor(async () => (await pendingFollowUps()) === 0, { what: 'every follow-up step', timeoutMs: 60_000, intervalMs: 250 })
    // …and until both queues are empty, so no late or repeated job can still come.
    const conn = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
    const queues = [REPORTS_QUEUE, FOLLOWUP_QUEUE].map(name => new Queue(name, { connection: conn, prefix }))
    const busy = async () =>
      (await Promise.all(queues.map(q => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')))).some(c =>
        Object.values(c).some(n => n > 0),
      )
    await waitFor(async () => !(await busy()), { what: 'both queues drained', timeoutMs: 60_000, intervalMs: 250 })
    await Promise.all(queues.map(q => q.close()))
    await conn.quit()

    // One job run per report, each running its report's follow-up step (none needed a job of its
    // own: that is only for a step that failed there); nothing stalled or failed.
    expect(seen.stalled, logs.join('\n')).toEqual([])
    expect(seen.failed, logs.join('\n')).toEqual([])
    expect(seen.reports.size).toBe(FILES)
    expect([...seen.reports.values()].every(n => n === 1)).toBe(true)
    expect([...seen.followups.keys()], logs.join('\n')).toEqual([])
    // Neither process reported a stall.
    for (const log of logs) expect(log ?? '').not.toMatch(/stalled/i)
    const reports = await t.db
      .selectFrom('reports')
      .select(['id', 'filename', 'status', 'attempts', 'agency_name', 'year', 'text', 'unit_id', 'uploaded_by'])
      .execute()
    expect(reports).toHaveLength(FILES)
    expect([...seen.reports.keys()].sort()).toEqual(reports.map(r => `report-${r.id}`).sort())
    const byFile = new Map(generated.map(g => [path.posix.basename(g.path), g]))
    const itemCounts = new Map(
      (
        await t.db
          .selectFrom('report_items')
          .select(eb => ['report_id', eb.fn.countAll<number>().as('n'), eb.fn.count<number>('seq').distinct().as('seqs')])
          .groupBy('report_id')
          .execute()
      ).map(r => [r.report_id, r]),
    )
    for (const r of reports) {
      const g = byFile.get(r.filename)!
      expect(r, r.filename).toMatchObject({ status: 'extracted', attempts: 1, unit_id: unit.id, uploaded_by: user.id, text: g.text })
      // What the worker stored is what the extractor reads (most generated files name their generated agency; see the links below).
      const x = extractReport(g.text)
      expect([r.agency_name, r.year], r.filename).toEqual([x.agency, x.year])
      const expected = x.items.length
      const got = itemCounts.get(r.id)
      expect(Number(got?.n ?? 0), r.filename).toBe(expected)
      expect(Number(got?.seqs ?? 0), r.filename).toBe(expected) // no item written twice
    }
    // and the generated agency is what most files are read as (so years link up as in a real province)
    expect(reports.filter(r => r.agency_name === byFile.get(r.filename)!.agency).length).toBeGreaterThan(0.9 * (FILES - BIG))
    expect(reports.some(r => r.filename.startsWith('汇编') && (itemCounts.get(r.id)?.n ?? 0) > 1000)).toBe(true)

    const links = await t.db.selectFrom('report_links').select(['earlier_report_id', 'later_report_id']).execute()
    expect(new Set(links.map(l => `${l.earlier_report_id}>${l.later_report_id}`)).size).toBe(links.length)
    expect(links.length).toBeGreaterThanOrEqual((FILES - BIG) / 2 - 5) // most agencies' two years are linked
  }, 180_000)
  it('an upload queued behind a batch import is processed before the batch', async () => {
    const unit = await createUnit(t.db, { name: '省政务公开办' })
    const texts = corpusTexts()
    const store = async (g: { path: string; text: string }) =>
      (await storeReport(t.db, { bytes: Buffer.from(g.text), filename: path.posix.basename(g.path), unitId: unit.id, uploadedBy: null }))
        .report.id
    const batch: string[] = []
    for (const g of generateReports(30, { texts })) batch.push(await store(g))
    const upload = await store({ path: 'upload.txt', text: `单独上传的报告\n${texts[0]}` })
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
    const queue = createReportsQueue(redis, prefix)
    // The batch is queued first, the upload after it; then one worker, one job at a time.
    await enqueueReportsProcessing(queue, batch)
    await enqueueReportProcessing(queue, upload)
    const worker = startReportsWorker({ db: t.db, connection: redis, prefix, concurrency: 1 })
    try {
      await waitFor(
        async () =>
          Number(
            (
              await t.db
                .selectFrom('reports')
                .select(eb => eb.fn.countAll<number>().as('n'))
                .where('status', '=', 'extracted')
                .executeTakeFirstOrThrow()
            ).n,
          ) === 31,
        { what: 'all extracted', timeoutMs: 60_000 },
      )
      const order = (await t.db.selectFrom('reports').select(['id', 'processed_at']).orderBy('processed_at').orderBy('id').execute()).map(
        r => r.id,
      )
      expect(order[0]).toBe(upload)
    } finally {
      await worker.close()
      await queue.close()
      await redis.quit()
    }
  }, 90_000)
})
