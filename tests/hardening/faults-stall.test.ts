// The same report interrupted twice: two workers in a row die while holding it. BullMQ then fails
// the job ("stalled more than allowable limit"); the database still says the report is unfinished,
// so the worker's resync must get it processed (about 10 s).
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { storeReport } from '../../app/reports/reports.server'
import { createReportsQueue, enqueueReportProcessing } from '../../app/jobs/queues.server'
import { createTestDb, uniquePrefix, type TestDb } from '../support/db'
import { deletePrefix, TEST_REDIS_URL, waitFor } from '../support/redis'
import { faultEngines, seedOrg, uniqueReportBytes, type Org } from './faults-fixtures'
import { expectInvariants } from './support/invariants'
import { kill9, killAll, sleep, startWorker, stop, type Proc } from './support/processes'

describe.each(faultEngines)('a report whose worker dies twice on %s', engine => {
  let t: TestDb
  let org: Org
  let prefix: string
  let redis: Redis
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
  })
  afterAll(async () => {
    await redis.quit()
  })
  beforeEach(async () => {
    t = await createTestDb(engine)
    org = await seedOrg(t.db)
    prefix = uniquePrefix()
  })
  afterEach(async () => {
    await killAll()
    await deletePrefix(prefix)
    await t.cleanup()
  })

  it('is still extracted, once, by the third worker', async () => {
    const env = {
      ...t.env,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: '',
      WORKER_LOCK_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      RESYNC_EVERY_MS: '1000',
      REMINDER_SWEEP_EVERY: '1h',
    }
    const { filename, bytes } = uniqueReportBytes(0, 'stall')
    const { report } = await storeReport(t.db, { bytes, filename, unitId: org.root.id, uploadedBy: org.supervisor.id })
    const queue = createReportsQueue(redis, prefix)
    await enqueueReportProcessing(queue, report.id)
    const attempts = async () =>
      await t.db.selectFrom('reports').select(['attempts', 'status']).where('id', '=', report.id).executeTakeFirstOrThrow()
    let w: Proc | undefined
    try {
      for (let death = 1; death <= 2; death++) {
        // This worker holds the report's transaction open for a minute: it dies inside it.
        w = startWorker({ ...env, WORKER_PROCESS_DELAY_MS: '60000' })
        await waitFor(async () => (await attempts()).attempts >= death, { timeoutMs: 40_000, what: `attempt ${death}\n${w!.output()}` })
        await sleep(300)
        await kill9(w)
      }
      w = startWorker(env)
      await waitFor(async () => (await attempts()).status !== 'processing', {
        timeoutMs: 30_000,
        intervalMs: 250,
        what: `report finished after two deaths\n${w.output()}`,
      }).catch(() => {})
      const final = await t.db
        .selectFrom('reports')
        .select(['status', 'error', 'attempts'])
        .where('id', '=', report.id)
        .executeTakeFirstOrThrow()
      const job = await queue.getJob(`report-${report.id}`)
      expect(final, `job state ${job ? await job.getState() : 'none'}: ${job?.failedReason ?? ''}`).toMatchObject({
        status: 'extracted',
        error: null,
      })
      await expectInvariants(t.db, { idle: true })
      await stop(w)
    } finally {
      await queue.close()
    }
  }, 150_000)
})
