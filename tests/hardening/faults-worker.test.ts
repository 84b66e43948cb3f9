// kill -9 of the worker process at seeded random moments during report processing, the reminder
// sweep and email delivery; after each kill a fresh worker is started, and once it is idle every
// invariant is checked and every report, reminder and email is counted: each exactly once.
// Replay a failure with HARDENING_SEED=<seed printed>; HARDENING_FULL=1 runs ≥ 20 rounds per fault.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Redis } from 'ioredis'
import { SMTPServer } from 'smtp-server'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { newId, nowIso } from '../../db/ids'
import { decodeDocument } from '../../app/documents/decode'
import { extractReport } from '../../app/extract/index'
import { storeReport } from '../../app/reports/reports.server'
import { createReportsQueue, enqueueReportProcessing } from '../../app/jobs/queues.server'
import { createTestDb, uniquePrefix, type TestDb } from '../support/db'
import { deletePrefix, TEST_REDIS_URL, waitFor } from '../support/redis'
import { addConfirmedTasks, faultEngines, seedOrg, tomorrowInShanghai, uniqueReportBytes, type Org } from './faults-fixtures'
import { expectInvariants } from './support/invariants'
import { freePort, kill9, killAll, rounds, runSeed, seededRandom, startWorker, stop, type Proc } from './support/processes'

const ROUNDS = rounds(1)
const figures: string[] = []

describe.each(faultEngines)('kill -9 of the worker on %s', engine => {
  let t: TestDb
  let org: Org
  let prefix: string
  let redis: Redis
  let dataDir: string

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
  })
  afterAll(async () => {
    await redis.quit()
    if (figures.length) console.log(`[hardening] worker faults on ${engine}:\n  ${figures.join('\n  ')}`)
  })
  beforeEach(async () => {
    t = await createTestDb(engine)
    org = await seedOrg(t.db)
    prefix = uniquePrefix()
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-faults-'))
  })
  afterEach(async () => {
    await killAll()
    await deletePrefix(prefix)
    await t.cleanup()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  /** The worker as `npm run worker` runs it, with short locks so a dead worker's job is taken over in seconds. */
  const worker = (extra: Record<string, string> = {}) =>
    startWorker({
      ...t.env,
      DATA_DIR: dataDir,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: '',
      WORKER_LOCK_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      RESYNC_EVERY_MS: '1000',
      REMINDER_SWEEP_EVERY: '1h',
      OUTBOX_POLL_MS: '200',
      OUTBOX_LEASE_MS: '2000',
      HEARTBEAT_EVERY_MS: '60000',
      ...extra,
    })
  const ready = (p: Proc) =>
    waitFor(async () => p.output().includes('[worker] ready'), { timeoutMs: 30_000, what: `worker ready\n${p.output()}` })

  it(
    `report processing: ${ROUNDS} kills at random points, every report extracted once with exactly its items`,
    async () => {
      const seed = runSeed(`worker kill during report processing (${engine})`)
      const rnd = seededRandom(seed)
      const queue = createReportsQueue(redis, prefix)
      const expected = new Map<string, { kind: string; text: string }[]>()
      let invariants = 0
      const started = Date.now()
      try {
        let w = worker({ WORKER_PROCESS_DELAY_MS: String(Math.floor(rnd() * 600)) })
        await ready(w)
        for (let round = 0; round < ROUNDS; round++) {
          const killAfter = Math.floor(rnd() * 1500)
          const delay = Math.floor(rnd() * 600)
          console.log(`[hardening] round ${round}: kill after ${killAfter} ms (worker commit delay ${delay} ms)`)
          for (let j = 0; j < 4; j++) {
            const { filename, bytes } = uniqueReportBytes(round * 4 + j, `w${seed}`)
            const { report } = await storeReport(t.db, { bytes, filename, unitId: org.root.id, uploadedBy: org.supervisor.id })
            const decoded = await decodeDocument({ bytes: new Uint8Array(bytes), filename })
            expected.set(
              report.id,
              extractReport(decoded.text).items.map(i => ({ kind: i.kind, text: i.text })),
            )
            await enqueueReportProcessing(queue, report.id)
          }
          await new Promise(r => setTimeout(r, killAfter))
          await kill9(w)
          w = worker({ WORKER_PROCESS_DELAY_MS: String(delay) })
          await waitFor(
            async () =>
              (await t.db.selectFrom('reports').select('id').where('status', 'in', ['queued', 'processing']).execute()).length === 0,
            { timeoutMs: 60_000, intervalMs: 200, what: `reports processed after kill in round ${round} (seed ${seed})\n${w.output()}` },
          )
          for (const [id, items] of expected) {
            const row = await t.db.selectFrom('reports').select(['status', 'error']).where('id', '=', id).executeTakeFirstOrThrow()
            expect(row, `report ${id} (seed ${seed})`).toEqual({ status: 'extracted', error: null })
            const stored = await t.db
              .selectFrom('report_items')
              .select(['kind', 'text'])
              .where('report_id', '=', id)
              .orderBy('seq')
              .execute()
            expect(stored, `items of ${id} (seed ${seed})`).toEqual(items)
          }
          invariants += await expectInvariants(
            t.db,
            {
              idle: true,
              counts: { reports: expected.size, report_items: [...expected.values()].reduce((n, i) => n + i.length, 0), tasks: 0 },
            },
            `round ${round}, seed ${seed}`,
          )
        }
        await stop(w)
      } finally {
        await queue.close()
      }
      figures.push(
        `report processing: ${ROUNDS} kills, ${expected.size} reports, ${invariants} invariant checks, ${Math.round((Date.now() - started) / 1000)} s`,
      )
    },
    60_000 + ROUNDS * 40_000,
  )

  it(
    `reminder sweep: ${ROUNDS} kills at random points, each reminder recorded once and emailed once`,
    async () => {
      const seed = runSeed(`worker kill during the reminder sweep (${engine})`)
      const rnd = seededRandom(seed)
      const due = tomorrowInShanghai()
      const tasks: string[] = []
      const emlDir = path.join(dataDir, 'outbox')
      let invariants = 0
      const started = Date.now()
      const sweeping = (delay: number) =>
        worker({ REMINDER_SWEEP_EVERY: '1s', REMINDER_SCHEDULER_REFRESH_MS: '1000', REMINDER_RECORD_DELAY_MS: String(delay) })
      let w = sweeping(Math.floor(rnd() * 800))
      await ready(w)
      for (let round = 0; round < ROUNDS; round++) {
        const killAfter = Math.floor(rnd() * 2500)
        const delay = Math.floor(rnd() * 800)
        console.log(`[hardening] round ${round}: kill after ${killAfter} ms (record delay ${delay} ms)`)
        tasks.push(...(await addConfirmedTasks(t.db, org, 25, due)))
        await new Promise(r => setTimeout(r, killAfter))
        await kill9(w)
        w = sweeping(delay)
        const dueSoon = () => t.db.selectFrom('notifications').select(['task_id', 'user_id']).where('kind', '=', 'due_soon').execute()
        await waitFor(
          async () =>
            (await dueSoon()).length >= tasks.length &&
            (await t.db.selectFrom('email_outbox').select('id').where('status', 'in', ['pending', 'sending']).execute()).length === 0,
          { timeoutMs: 60_000, intervalMs: 200, what: `reminders after kill in round ${round} (seed ${seed})\n${w.output()}` },
        )
        // Two more sweeps: nothing new may be recorded for work already done.
        await new Promise(r => setTimeout(r, 1500))
        const notes = await dueSoon()
        expect(notes.map(n => n.task_id).sort(), `one due-soon reminder per task (seed ${seed})`).toEqual([...tasks].sort())
        expect(new Set(notes.map(n => n.user_id)), 'to the owner').toEqual(new Set([org.staff.id]))
        const emails = await t.db
          .selectFrom('email_outbox')
          .innerJoin('notifications', 'notifications.id', 'email_outbox.notification_id')
          .select(['email_outbox.id', 'email_outbox.status'])
          .where('notifications.kind', '=', 'due_soon')
          .execute()
        expect(emails.length, `one email per reminder (seed ${seed})`).toBe(tasks.length)
        invariants += await expectInvariants(t.db, { idle: true, emlDir }, `round ${round}, seed ${seed}`)
      }
      await stop(w)
      figures.push(
        `reminder sweep: ${ROUNDS} kills, ${tasks.length} tasks, ${tasks.length} reminders and emails, ${invariants} invariant checks, ${Math.round((Date.now() - started) / 1000)} s`,
      )
    },
    60_000 + ROUNDS * 40_000,
  )

  it(
    `email delivery over SMTP: ${ROUNDS} kills mid-batch, every email delivered, repeats only under the same Message-ID`,
    async () => {
      const seed = runSeed(`worker kill during email delivery (${engine})`)
      const rnd = seededRandom(seed)
      const CONCURRENCY = 8
      const received: string[] = []
      const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, _session, cb) {
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          // A slow server: a batch takes long enough to be cut in the middle.
          stream.on('end', () =>
            setTimeout(
              () => {
                const id = /^Message-ID:\s*<outbox-([^@>]+)@/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1]
                received.push(id ?? '?')
                cb()
              },
              5 + Math.floor(Math.random() * 10),
            ),
          )
        },
      })
      server.on('error', () => {}) // a killed worker's connection resets: expected here
      const port = await freePort()
      await new Promise<void>(resolve => server.listen(port, '127.0.0.1', () => resolve()))
      const ids: string[] = []
      let invariants = 0
      let repeats = 0
      let maxRepeats = 0
      const started = Date.now()
      const delivering = () =>
        worker({ SMTP_URL: `smtp://127.0.0.1:${port}/?ignoreTLS=true`, OUTBOX_CONCURRENCY: String(CONCURRENCY), OUTBOX_BATCH: '50' })
      try {
        let w = delivering()
        await ready(w)
        for (let round = 0; round < ROUNDS; round++) {
          const killAfter = 100 + Math.floor(rnd() * 1500)
          console.log(`[hardening] round ${round}: kill after ${killAfter} ms`)
          const before = received.length
          const now = nowIso()
          const rows = Array.from({ length: 150 }, (_, i) => ({ n: newId(), e: newId(), i }))
          await t.db.transaction().execute(async trx => {
            await trx
              .insertInto('notifications')
              .values(
                rows.map(r => ({
                  id: r.n,
                  user_id: org.staff.id,
                  task_id: null,
                  kind: 'test',
                  title: '测试',
                  body: '测试',
                  dedupe_key: `faults:${round}:${r.i}:${r.n}`,
                  created_at: now,
                })),
              )
              .execute()
            await trx
              .insertInto('email_outbox')
              .values(
                rows.map(r => ({
                  id: r.e,
                  notification_id: r.n,
                  user_id: org.staff.id,
                  to_address: 'staff@example.test',
                  subject: `提醒 ${round}-${r.i}`,
                  body_text: '请按期完成整改。',
                  status: 'pending' as const,
                  next_attempt_at: now,
                  created_at: now,
                })),
              )
              .execute()
          })
          ids.push(...rows.map(r => r.e))
          await new Promise(r => setTimeout(r, killAfter))
          await kill9(w)
          w = delivering()
          await waitFor(
            async () => (await t.db.selectFrom('email_outbox').select('id').where('status', '!=', 'sent').execute()).length === 0,
            { timeoutMs: 60_000, intervalMs: 200, what: `emails sent after kill in round ${round} (seed ${seed})\n${w.output()}` },
          )
          const thisRound = received.slice(before)
          const distinct = new Set(thisRound)
          expect([...distinct].sort(), `every email of round ${round} delivered (seed ${seed})`).toEqual(rows.map(r => r.e).sort())
          // At-least-once over SMTP: an email sent but not yet recorded when the worker died is sent
          // again, with the same Message-ID. The sender records in groups of CONCURRENCY while up to
          // CONCURRENCY more are in flight, so a kill repeats a few groups at most, never the batch.
          const again = thisRound.length - distinct.size
          expect(again, `repeats in round ${round} (seed ${seed})`).toBeLessThanOrEqual(3 * CONCURRENCY)
          repeats += again
          maxRepeats = Math.max(maxRepeats, again)
          invariants += await expectInvariants(t.db, { idle: true }, `round ${round}, seed ${seed}`)
        }
        await stop(w)
      } finally {
        await new Promise<void>(resolve => server.close(() => resolve()))
      }
      expect(new Set(received).size).toBe(ids.length)
      figures.push(
        `email delivery (SMTP): ${ROUNDS} kills, ${ids.length} emails, ${repeats} repeated deliveries (same Message-ID; at most ${maxRepeats} after one kill), ${invariants} invariant checks, ${Math.round((Date.now() - started) / 1000)} s`,
      )
    },
    60_000 + ROUNDS * 40_000,
  )
})
