// The report pipeline against a real database and a real Redis: store → queue → worker → items.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createUnit } from '../../app/org/org.server'
import { MAX_PROCESS_ATTEMPTS, processReport, storeReport, storeReportsIn } from '../../app/reports/reports.server'
import { decodeDocument } from '../../app/documents/decode'
import { extractReport } from '../../app/extract/index'
import { createReportsQueue, enqueueReportProcessing } from '../../app/jobs/queues.server'
import { startReportsWorker } from '../../workers/reports-worker'
import { createTestDb, engines, uniquePrefix, type TestDb } from '../support/db'
import { deletePrefix, TEST_REDIS_URL, waitFor } from '../support/redis'

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures', name))
const FIXTURE = '001_ea721f8e1b4d740a.txt'

async function expectedExtraction(bytes: Buffer, filename: string) {
  const decoded = await decodeDocument({ bytes: new Uint8Array(bytes), filename })
  return extractReport(decoded.text)
}

describe.each(engines)('report processing on %s', engine => {
  let t: TestDb
  let unitId: string
  let prefix: string
  let redis: Redis
  const children: ChildProcess[] = []

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
  })
  afterAll(async () => {
    await redis.quit()
  })
  // A fresh database per test: one test's unfinished report must not be picked up by another's worker.
  beforeEach(async () => {
    t = await createTestDb(engine)
    unitId = (await createUnit(t.db, { name: '测试单位' })).id
  })
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
    await deletePrefix(prefix)
    await t.cleanup()
  })

  const statusOf = async (id: string) =>
    await t.db.selectFrom('reports').select(['status', 'error']).where('id', '=', id).executeTakeFirstOrThrow()
  const itemsOf = (id: string) =>
    t.db
      .selectFrom('report_items')
      .select(['seq', 'kind', 'text', 'start_offset', 'end_offset'])
      .where('report_id', '=', id)
      .orderBy('seq')
      .execute()

  it('a stored report reaches extracted with the items the extractor finds, at their offsets', async () => {
    prefix = uniquePrefix()
    const bytes = fixture(FIXTURE)
    const { report, duplicate } = await storeReport(t.db, { bytes, filename: FIXTURE, unitId, uploadedBy: null })
    expect(duplicate).toBe(false)
    expect(report.status).toBe('queued')
    const queue = createReportsQueue(redis, prefix)
    const worker = startReportsWorker({ db: t.db, connection: redis, prefix })
    try {
      await enqueueReportProcessing(queue, report.id)
      await enqueueReportProcessing(queue, report.id) // same business key: queued once
      await waitFor(async () => (await statusOf(report.id)).status === 'extracted', { what: 'extracted' })
      const expected = await expectedExtraction(bytes, FIXTURE)
      const items = await itemsOf(report.id)
      expect(items.map(i => [i.kind, i.text])).toEqual(expected.items.map(i => [i.kind, i.text]))
      const row = await t.db
        .selectFrom('reports')
        .select(['text', 'year', 'encoding'])
        .where('id', '=', report.id)
        .executeTakeFirstOrThrow()
      expect(row.year).toBe(expected.year)
      expect(row.encoding).toBe('UTF-8')
      for (const i of items) expect(row.text!.slice(i.start_offset, i.end_offset)).toBe(i.text)
    } finally {
      await worker.close()
      await queue.close()
    }
  })

  it('recognises identical content and does not store it twice', async () => {
    prefix = uniquePrefix()
    const bytes = fixture('002_fcc5a5b647381c8e.txt')
    const first = await storeReport(t.db, { bytes, filename: 'a.txt', unitId, uploadedBy: null })
    const second = await storeReport(t.db, { bytes, filename: 'b.txt', unitId, uploadedBy: null })
    expect(second.duplicate).toBe(true)
    expect(second.report.id).toBe(first.report.id)
    const count = await t.db
      .selectFrom('reports')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where(
        'sha256',
        '=',
        (await t.db.selectFrom('reports').select('sha256').where('id', '=', first.report.id).executeTakeFirstOrThrow()).sha256,
      )
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(1)

    // Many at once (a batch import's group), with a copy inside the group and one already stored;
    // and the same new bytes stored by five requests at the same moment: one report.
    const fresh = (n: number) => Buffer.concat([bytes, Buffer.from(`\n第${n}份`)])
    const group = await t.db.transaction().execute(trx =>
      storeReportsIn(
        trx,
        [fresh(1), bytes, fresh(2), fresh(1)].map((b, i) => ({ bytes: b, filename: `g${i}.txt`, unitId, uploadedBy: null })),
      ),
    )
    expect(group.map(g => g.duplicate)).toEqual([false, true, false, true])
    expect(group[1].report.id).toBe(first.report.id)
    expect(group[3].report.id).toBe(group[0].report.id)
    expect(new Set(group.map(g => g.report.id)).size).toBe(3)
    const sources = await t.db
      .selectFrom('report_sources')
      .select('report_id')
      .where(
        'report_id',
        'in',
        group.map(g => g.report.id),
      )
      .execute()
    expect(sources).toHaveLength(3)
    const racing = await Promise.all(
      Array.from({ length: 5 }, (_, i) => storeReport(t.db, { bytes: fresh(3), filename: `r${i}.txt`, unitId, uploadedBy: null })),
    )
    expect(racing.filter(r => !r.duplicate)).toHaveLength(1)
    expect(new Set(racing.map(r => r.report.id)).size).toBe(1)
    // Deterministically: another transaction inserted the same bytes and has not committed yet; this
    // store waits for it (PostgreSQL: on the unique sha256; SQLite: for the writer) and finds its report.
    const other = await t.db.startTransaction().execute()
    const [held] = await storeReportsIn(other, [{ bytes: fresh(4), filename: 'held.txt', unitId, uploadedBy: null }])
    const waiting = storeReport(t.db, { bytes: fresh(4), filename: 'waiting.txt', unitId, uploadedBy: null })
    await new Promise(r => setTimeout(r, 200))
    await other.commit().execute()
    expect(await waiting).toEqual({ report: { id: held.report.id, status: 'queued', filename: 'held.txt' }, duplicate: true })
  })

  it('processing directly: counts each attempt, skips a finished report, gives up at the limit, a retry clears leftovers', async () => {
    const bytes = fixture(FIXTURE)
    const expected = await expectedExtraction(bytes, FIXTURE)
    const attemptsOf = async (id: string) =>
      (await t.db.selectFrom('reports').select('attempts').where('id', '=', id).executeTakeFirstOrThrow()).attempts

    // First attempt: the bytes are read, the items written once, the agency filed.
    const { report } = await storeReport(t.db, { bytes, filename: FIXTURE, unitId, uploadedBy: null })
    expect(await processReport(t.db, report.id)).toBe('extracted')
    expect(await attemptsOf(report.id)).toBe(1)
    expect((await itemsOf(report.id)).map(i => i.text)).toEqual(expected.items.map(i => i.text))
    const filed = await t.db.selectFrom('reports').select('agency_id').where('id', '=', report.id).executeTakeFirstOrThrow()
    expect(filed.agency_id).not.toBeNull()
    // Finished: skipped, not counted.
    expect(await processReport(t.db, report.id)).toBe('skipped')
    expect(await attemptsOf(report.id)).toBe(1)
    expect(await processReport(t.db, 'no-such-report')).toBe('skipped')

    // A retry (an earlier attempt was counted) after items were somehow left behind: written once.
    const again = await storeReport(t.db, {
      bytes: Buffer.concat([bytes, Buffer.from('\n')]),
      filename: 'again.txt',
      unitId,
      uploadedBy: null,
    })
    await t.db.updateTable('reports').set({ status: 'processing', attempts: 1 }).where('id', '=', again.report.id).execute()
    const stale = (await itemsOf(report.id))[0]
    await t.db
      .insertInto('report_items')
      .values({
        id: 'stale-item',
        report_id: again.report.id,
        seq: 999,
        kind: stale.kind,
        title: 'stale',
        text: stale.text,
        start_offset: 0,
        end_offset: 1,
        answers: '[]',
        due_date: null,
        created_at: new Date().toISOString(),
      })
      .execute()
    expect(await processReport(t.db, again.report.id)).toBe('extracted')
    expect(await attemptsOf(again.report.id)).toBe(2)
    expect((await itemsOf(again.report.id)).map(i => i.seq)).toEqual(expected.items.map((_, i) => i))
    // Filed under the same agency, found without resolving again.
    expect(
      (await t.db.selectFrom('reports').select('agency_id').where('id', '=', again.report.id).executeTakeFirstOrThrow()).agency_id,
    ).toBe(filed.agency_id)

    // At the limit: failed with the reason, not processed.
    const poison = await storeReport(t.db, {
      bytes: Buffer.concat([bytes, Buffer.from('\n\n')]),
      filename: 'poison.txt',
      unitId,
      uploadedBy: null,
    })
    await t.db
      .updateTable('reports')
      .set({ status: 'processing', attempts: MAX_PROCESS_ATTEMPTS })
      .where('id', '=', poison.report.id)
      .execute()
    expect(await processReport(t.db, poison.report.id)).toBe('failed')
    expect(await statusOf(poison.report.id)).toEqual({
      status: 'failed',
      error: expect.stringContaining(`已尝试处理 ${MAX_PROCESS_ATTEMPTS} 次`),
    })
    expect(await itemsOf(poison.report.id)).toHaveLength(0)

    // Stored bytes gone: failed with the reason.
    const lost = await storeReport(t.db, {
      bytes: Buffer.concat([bytes, Buffer.from('\n\n\n')]),
      filename: 'lost.txt',
      unitId,
      uploadedBy: null,
    })
    await t.db.deleteFrom('report_sources').where('report_id', '=', lost.report.id).execute()
    expect(await processReport(t.db, lost.report.id)).toBe('failed')
    expect(await statusOf(lost.report.id)).toEqual({ status: 'failed', error: '原始文件缺失，无法处理。' })
  })

  it('a file that cannot be decoded ends failed with a readable Chinese reason', async () => {
    prefix = uniquePrefix()
    const { report } = await storeReport(t.db, {
      bytes: Buffer.from('%PDF-1.4 this is not really a pdf'),
      filename: 'broken.pdf',
      unitId,
      uploadedBy: null,
    })
    const queue = createReportsQueue(redis, prefix)
    const worker = startReportsWorker({ db: t.db, connection: redis, prefix })
    try {
      await enqueueReportProcessing(queue, report.id)
      const s = await waitFor(
        async () => {
          const s = await statusOf(report.id)
          return s.status === 'failed' ? s : null
        },
        { what: 'failed' },
      )
      expect(s.error).toMatch(/[\u4e00-\u9fff]/)
      expect(await itemsOf(report.id)).toHaveLength(0)
    } finally {
      await worker.close()
      await queue.close()
    }
  })

  it('kill -9 of the worker in the middle of processing, then a restart: processed exactly once', async () => {
    prefix = uniquePrefix()
    const bytes = fixture('003_776da8aeca5ceb7c.txt')
    const { report } = await storeReport(t.db, { bytes, filename: 'killed.txt', unitId, uploadedBy: null })
    const env = {
      ...process.env,
      ...t.env,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      WORKER_LOCK_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      RESYNC_EVERY_MS: '1000',
    }
    const startWorker = (extra: Record<string, string>) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
        env: { ...env, ...extra },
        stdio: process.env.TEST_DEBUG ? 'inherit' : 'ignore',
      })
      children.push(child)
      return child
    }
    // The first worker holds its transaction open long enough to be killed inside it.
    const first = startWorker({ WORKER_PROCESS_DELAY_MS: '60000' })
    await waitFor(async () => (await statusOf(report.id)).status === 'processing', { what: 'processing', timeoutMs: 30_000 })
    await new Promise(r => setTimeout(r, 500))
    first.kill('SIGKILL')
    await new Promise(r => first.once('exit', r))
    expect((await statusOf(report.id)).status).toBe('processing')
    expect(await itemsOf(report.id)).toHaveLength(0) // the transaction never committed

    startWorker({})
    await waitFor(async () => (await statusOf(report.id)).status === 'extracted', { what: 'extracted after restart', timeoutMs: 40_000 })
    const expected = await expectedExtraction(bytes, 'killed.txt')
    const items = await itemsOf(report.id)
    expect(items).toHaveLength(expected.items.length)
    expect(new Set(items.map(i => i.seq)).size).toBe(items.length)
    const attempts = await t.db.selectFrom('reports').select('attempts').where('id', '=', report.id).executeTakeFirstOrThrow()
    expect(attempts.attempts).toBeGreaterThanOrEqual(2)
  }, 90_000)
})
