// Issue 18, item 5: a report's bytes were unique across the whole system, so the first tree to
// upload a public report made the same upload in any other tree answer "duplicate" with an id that
// tree cannot open, and re-uploading another tree's bytes revealed that report's id and status.
// A duplicate is now only a report the uploader's unit can see (its subtree); on both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUnit } from '../../app/org/org.server'
import { storeReport, storeReportsIn } from '../../app/reports/reports.server'
import { getReportForUser } from '../../app/reports/queries.server'
import { uploadReport } from '../../app/reports/upload.server'
import type { SessionUser } from '../../app/auth/session.server'
import { newId, nowIso } from '../../db/ids'
import { createTestDb, engines, uniquePrefix, type TestDb } from '../support/db'
import { deletePrefix } from '../support/redis'

process.env.QUEUE_PREFIX = uniquePrefix()
afterAll(() => deletePrefix(process.env.QUEUE_PREFIX!))

const publicReport = new TextEncoder().encode(
  '某省人民政府办公厅2024年政府信息公开工作年度报告\n五、存在的主要问题及改进情况\n（一）信息更新不及时。\n下一步将加强培训。\n',
)
const bytesOf = (tag: string) => new TextEncoder().encode(`某局2024年政府信息公开工作年度报告（${tag}）\n存在的主要问题：更新不及时。\n`)

for (const engine of engines) {
  describe(`duplicates are recognised only within what the uploader can see (${engine})`, () => {
    let t: TestDb
    const u: Record<string, { id: string; path: string }> = {}
    const users: Record<string, SessionUser> = {}
    beforeAll(async () => {
      t = await createTestDb(engine)
      // Two provinces (trees A and B); A has two cities.
      const provA = await createUnit(t.db, { name: '甲省' })
      const cityA1 = await createUnit(t.db, { name: '甲省一市', parentId: provA.id })
      const cityA2 = await createUnit(t.db, { name: '甲省二市', parentId: provA.id })
      const provB = await createUnit(t.db, { name: '乙省' })
      Object.assign(u, { provA, cityA1, cityA2, provB })
      for (const [name, unit] of Object.entries(u)) {
        const id = newId()
        await t.db
          .insertInto('users')
          .values({
            id,
            username: `sup-${name}`,
            display_name: name,
            email: null,
            password_hash: 'x',
            role: 'supervisor',
            unit_id: unit.id,
            created_at: nowIso(),
          })
          .execute()
        users[name] = {
          id,
          username: `sup-${name}`,
          displayName: name,
          role: 'supervisor',
          unitId: unit.id,
          unitName: name,
          unitPath: unit.path,
        }
      }
    })
    afterAll(() => t?.cleanup())

    it('the same public report uploaded in two trees is stored in each, and neither answer names the other tree’s report', async () => {
      const a = await uploadReport(t.db, users.cityA1, { kind: 'file', bytes: publicReport, filename: '公开年报.txt' })
      const b = await uploadReport(t.db, users.provB, { kind: 'file', bytes: publicReport, filename: '公开年报.txt' })
      expect(a).toMatchObject({ ok: true, duplicate: false })
      expect(b).toMatchObject({ ok: true, duplicate: false })
      if (!a.ok || !b.ok) throw new Error('unreachable')
      expect(b.report.id).not.toBe(a.report.id)
      // Each uploader can open what it was answered with.
      expect(await getReportForUser(t.db, { id: a.report.id, user: users.cityA1 })).not.toBeNull()
      expect(await getReportForUser(t.db, { id: b.report.id, user: users.provB })).not.toBeNull()
      expect(await getReportForUser(t.db, { id: a.report.id, user: users.provB })).toBeNull()
    })

    it('within the uploader’s subtree the same bytes are a duplicate, and the answer is a report the uploader can open', async () => {
      const bytes = bytesOf('subtree')
      const first = await storeReport(t.db, { bytes, filename: 'a.txt', unitId: u.cityA1.id, uploadedBy: users.cityA1.id })
      expect(first.duplicate).toBe(false)
      // again in the same unit, and from the province above it (which sees the city's reports)
      for (const unit of [u.cityA1, u.provA]) {
        const again = await storeReport(t.db, { bytes, filename: 'again.txt', unitId: unit.id, uploadedBy: null })
        expect(again, unit.path).toMatchObject({ duplicate: true, report: { id: first.report.id } })
      }
      // a sibling city and the other province see nothing of it: each stores its own copy
      for (const unit of [u.cityA2, u.provB]) {
        const own = await storeReport(t.db, { bytes, filename: 'own.txt', unitId: unit.id, uploadedBy: null })
        expect(own.duplicate, unit.path).toBe(false)
        expect(own.report.id).not.toBe(first.report.id)
        const row = await t.db.selectFrom('reports').select('unit_id').where('id', '=', own.report.id).executeTakeFirstOrThrow()
        expect(row.unit_id).toBe(unit.id)
      }
      // the province now sees two copies (its city's and a sibling's): a duplicate of one it can see
      const fromProvince = await storeReport(t.db, { bytes, filename: 'p.txt', unitId: u.provA.id, uploadedBy: null })
      expect(fromProvince.duplicate).toBe(true)
      const seen = await t.db
        .selectFrom('reports')
        .innerJoin('units', 'units.id', 'reports.unit_id')
        .select('units.path')
        .where('reports.id', '=', fromProvince.report.id)
        .executeTakeFirstOrThrow()
      expect(seen.path.startsWith(u.provA.path)).toBe(true)
    })

    it('re-uploading another tree’s bytes reveals neither its id nor its status', async () => {
      const bytes = bytesOf('probe')
      const secret = await storeReport(t.db, { bytes, filename: 'secret.txt', unitId: u.provA.id, uploadedBy: null })
      await t.db.updateTable('reports').set({ status: 'failed', error: '内部原因' }).where('id', '=', secret.report.id).execute()
      const probe = await uploadReport(t.db, users.provB, { kind: 'file', bytes, filename: 'probe.txt' })
      expect(probe).toMatchObject({ ok: true, duplicate: false, report: { status: 'queued' } })
      if (probe.ok) expect(probe.report.id).not.toBe(secret.report.id)
    })

    it('a batch import in another tree stores its own copies; the same import again in that tree stores nothing new', async () => {
      const files = ['x', 'y', 'z'].map(tag => bytesOf(`batch-${tag}`))
      const inA = await t.db.transaction().execute(trx =>
        storeReportsIn(
          trx,
          files.map((bytes, i) => ({ bytes, filename: `${i}.txt`, unitId: u.provA.id, uploadedBy: null })),
        ),
      )
      expect(inA.map(r => r.duplicate)).toEqual([false, false, false])
      const inB = await t.db.transaction().execute(trx =>
        storeReportsIn(
          trx,
          files.map((bytes, i) => ({ bytes, filename: `${i}.txt`, unitId: u.provB.id, uploadedBy: null })),
        ),
      )
      expect(inB.map(r => r.duplicate)).toEqual([false, false, false])
      expect(inB.map(r => r.report.id).filter(id => inA.some(a => a.report.id === id))).toEqual([])
      const againB = await t.db.transaction().execute(trx =>
        storeReportsIn(
          trx,
          files.map((bytes, i) => ({ bytes, filename: `${i}.txt`, unitId: u.provB.id, uploadedBy: null })),
        ),
      )
      expect(againB.map(r => [r.duplicate, r.report.id])).toEqual(inB.map(r => [true, r.report.id]))
    })

    it('simultaneous uploads of the same bytes into one unit still make one report', async () => {
      const bytes = bytesOf('race')
      const racing = await Promise.all(
        Array.from({ length: 4 }, (_, i) => storeReport(t.db, { bytes, filename: `r${i}.txt`, unitId: u.cityA2.id, uploadedBy: null })),
      )
      expect(new Set(racing.map(r => r.report.id)).size).toBe(1)
      expect(racing.filter(r => !r.duplicate)).toHaveLength(1)
    })
  })
}
