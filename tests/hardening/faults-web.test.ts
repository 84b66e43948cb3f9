// kill -9 of the web process (app/cli/web.ts serving build/) at seeded random moments while a
// report is being confirmed and while task transitions are posted over HTTP. After a restart the
// action happened completely or not at all, nothing acknowledged is lost, and retrying the same
// requests converges to the intended state without a single doubled task or event.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestDb, uniquePrefix, type TestDb } from '../support/db'
import { deletePrefix, TEST_REDIS_URL } from '../support/redis'
import { addConfirmedTasks, addExtractedReport, apiToken, faultEngines, seedOrg, type Org } from './faults-fixtures'
import { expectInvariants } from './support/invariants'
import { freePort, kill9, killAll, rounds, runSeed, seededRandom, startWeb, stop, type Proc } from './support/processes'

const ROUNDS = rounds(1)
const figures: string[] = []

describe.each(faultEngines)('kill -9 of the web process on %s', engine => {
  let t: TestDb
  let org: Org
  let prefix: string
  let dataDir: string
  let port: number

  afterAll(() => {
    if (figures.length) console.log(`[hardening] web faults on ${engine}:\n  ${figures.join('\n  ')}`)
  })
  beforeEach(async () => {
    t = await createTestDb(engine)
    org = await seedOrg(t.db)
    prefix = uniquePrefix()
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-faults-web-'))
    port = await freePort()
  })
  afterEach(async () => {
    await killAll()
    await deletePrefix(prefix)
    await t.cleanup()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  const web = () => startWeb({ ...t.env, DATA_DIR: dataDir, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix }, port)
  const post = (token: string, url: string, body: unknown) =>
    fetch(`http://127.0.0.1:${port}/api/v1${url}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
  /** The answer's status, or null when the connection died with the process. */
  const attempt = async (token: string, url: string, body: unknown): Promise<number | null> => {
    try {
      const res = await post(token, url, body)
      await res.arrayBuffer()
      return res.status
    } catch {
      return null
    }
  }
  const eventsOf = async (taskId: string) =>
    (await t.db.selectFrom('task_events').select('type').where('task_id', '=', taskId).orderBy('created_at').execute()).map(e => e.type)

  it(
    `confirming a report with per-item owners and deadlines: ${ROUNDS} kills, all-or-nothing, a retry completes it once`,
    async () => {
      const seed = runSeed(`web kill during confirmation (${engine})`)
      const rnd = seededRandom(seed)
      const token = await apiToken(t.db, org.supervisor.id)
      let invariants = 0
      let halfway = 0
      let interrupted = 0
      let tasksMade = 0
      const started = Date.now()
      let w: Proc = await web()
      for (let round = 0; round < ROUNDS; round++) {
        const killAfter = Math.floor(rnd() * 400)
        console.log(`[hardening] round ${round}: kill after ${killAfter} ms`)
        const { reportId, itemIds } = await addExtractedReport(t.db, org, 20)
        const body = { items: itemIds.map(id => ({ id, ownerId: org.staff.id, dueDate: '2027-06-30' })) }
        const answer = attempt(token, `/reports/${reportId}/confirm`, body)
        await new Promise(r => setTimeout(r, killAfter))
        await kill9(w)
        const status = await answer
        if (status === null) interrupted++
        // Right after the kill: the confirmation itself (tasks and their created events) is whole or absent.
        const report = await t.db.selectFrom('reports').select('status').where('id', '=', reportId).executeTakeFirstOrThrow()
        const tasks = await t.db.selectFrom('tasks').select(['id', 'owner_id', 'due_date']).where('report_id', '=', reportId).execute()
        expect(tasks.length, `tasks after kill (seed ${seed}, round ${round})`).toBe(report.status === 'confirmed' ? itemIds.length : 0)
        if (status === 200) expect(report.status).toBe('confirmed')
        const settled = tasks.filter(x => x.owner_id === org.staff.id && x.due_date === '2027-06-30').length
        if (settled > 0 && settled < tasks.length) halfway++
        invariants += await expectInvariants(t.db, {}, `after kill, round ${round}, seed ${seed}`)

        // The client retries the same request: it completes, once.
        w = await web()
        expect(await attempt(token, `/reports/${reportId}/confirm`, body)).toBe(200)
        expect(await attempt(token, `/reports/${reportId}/confirm`, body)).toBe(200)
        const final = await t.db
          .selectFrom('tasks')
          .select(['id', 'status', 'owner_id', 'due_date'])
          .where('report_id', '=', reportId)
          .execute()
        expect(final).toHaveLength(itemIds.length)
        for (const task of final) {
          expect(task, `task ${task.id} (seed ${seed})`).toMatchObject({
            status: 'in_progress',
            owner_id: org.staff.id,
            due_date: '2027-06-30',
          })
          expect((await eventsOf(task.id)).sort(), `timeline of ${task.id} (seed ${seed})`).toEqual([
            'assign',
            'created',
            'deadline_changed',
          ])
        }
        tasksMade += final.length
        invariants += await expectInvariants(t.db, {}, `after retry, round ${round}, seed ${seed}`)
      }
      await stop(w)
      figures.push(
        `confirmation: ${ROUNDS} kills (${interrupted} cut the request), ${halfway} left the per-item settings half applied until the retry, ${tasksMade} tasks, ${invariants} invariant checks, ${Math.round((Date.now() - started) / 1000)} s`,
      )
    },
    60_000 + ROUNDS * 30_000,
  )

  it(
    `task transitions over HTTP: ${ROUNDS} kills, nothing acknowledged lost, retries never doubled`,
    async () => {
      const seed = runSeed(`web kill during task transitions (${engine})`)
      const rnd = seededRandom(seed)
      const supervisor = await apiToken(t.db, org.supervisor.id)
      const staff = await apiToken(t.db, org.staff.id)
      // Each task goes: submit (owner) → return (supervisor) → submit → verify (supervisor).
      const plan: { token: string; body: { action: string; reason?: string } }[] = [
        { token: staff, body: { action: 'submit', reason: '已完成' } },
        { token: supervisor, body: { action: 'return', reason: '材料不全' } },
        { token: staff, body: { action: 'submit', reason: '已补充' } },
        { token: supervisor, body: { action: 'verify' } },
      ]
      let invariants = 0
      let acknowledged = 0
      let cut = 0
      let retried409 = 0
      let taskCount = 0
      const started = Date.now()
      let w: Proc = await web()
      for (let round = 0; round < ROUNDS; round++) {
        const killAfter = Math.floor(rnd() * 600)
        console.log(`[hardening] round ${round}: kill after ${killAfter} ms`)
        const tasks = await addConfirmedTasks(t.db, org, 8, '2027-06-30')
        taskCount += tasks.length
        const done = new Map<string, number>() // task → steps acknowledged with 200
        const runs = tasks.map(async id => {
          let n = 0
          for (const step of plan) {
            const s = await attempt(step.token, `/tasks/${id}/transitions`, step.body)
            if (s !== 200) {
              if (s === null) cut++
              break
            }
            done.set(id, ++n)
          }
        })
        await new Promise(r => setTimeout(r, killAfter))
        await kill9(w)
        await Promise.all(runs)
        for (const id of tasks) {
          // Every acknowledged move is on the timeline; at most one unacknowledged one after it.
          const moves = (await eventsOf(id)).filter(e => e !== 'created')
          const acked = done.get(id) ?? 0
          acknowledged += acked
          expect(moves.slice(0, acked), `task ${id} keeps its acknowledged moves (seed ${seed})`).toEqual(
            plan.slice(0, acked).map(p => p.body.action),
          )
          expect(moves.length - acked, `task ${id} (seed ${seed})`).toBeLessThanOrEqual(1)
        }
        invariants += await expectInvariants(t.db, {}, `after kill, round ${round}, seed ${seed}`)

        // The clients retry from their first unacknowledged step: a move that had happened is refused (409), never doubled.
        w = await web()
        for (const id of tasks) {
          for (const step of plan.slice(done.get(id) ?? 0)) {
            const s = await attempt(step.token, `/tasks/${id}/transitions`, step.body)
            expect([200, 409], `retry on ${id} (seed ${seed})`).toContain(s)
            if (s === 409) retried409++
          }
          expect(await eventsOf(id), `timeline of ${id} (seed ${seed})`).toEqual(['created', ...plan.map(p => p.body.action)])
        }
        const statuses = await t.db.selectFrom('tasks').select('status').where('id', 'in', tasks).execute()
        expect(statuses.every(s => s.status === 'closed')).toBe(true)
        invariants += await expectInvariants(t.db, {}, `after retry, round ${round}, seed ${seed}`)
      }
      await stop(w)
      figures.push(
        `transitions: ${ROUNDS} kills, ${taskCount} tasks × ${plan.length} moves, ${acknowledged} acknowledged before the kills (all kept), ${cut} requests cut, ${retried409} retries refused as already done, ${invariants} invariant checks, ${Math.round((Date.now() - started) / 1000)} s`,
      )
    },
    60_000 + ROUNDS * 30_000,
  )
})
