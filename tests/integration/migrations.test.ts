// Upgrading an installation that already holds data: the search index built by 2026-12-03 (one
// table for every kind) is rebuilt per kind by 2026-12-05 from the source rows, nothing lost, and
// going back down restores the earlier table with the same documents. 2026-12-09 makes a report's
// bytes unique per unit instead of system-wide (on SQLite by rebuilding the reports table): rows,
// indexes, search and oversight triggers and foreign keys come through it unchanged.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { Migrator, sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { createDb, migrateToLatest, type DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import { migrations } from '../../db/migrations'
import { search } from '../../app/search/search.server'
import { confirmReport } from '../../app/tasks/tasks.server'
import { engines } from '../support/db'

interface Bare {
  db: DB
  migrator: Migrator
  schema?: string
  cleanup: () => Promise<void>
}

/** An empty database with no migration run yet. */
async function bare(engine: string): Promise<Bare> {
  if (engine === 'postgres') {
    const schema = `t_${randomBytes(6).toString('hex')}`
    const db = createDb({ url: process.env.TEST_DATABASE_URL!, schema })
    await db.schema.createSchema(schema).execute()
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema })
    return {
      db,
      migrator,
      schema,
      cleanup: async () => {
        await sql.raw(`drop schema if exists ${schema} cascade`).execute(db)
        await db.destroy()
      },
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-migr-'))
  const db = createDb({ url: path.join(dir, 'db.sqlite') })
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  return {
    db,
    migrator,
    cleanup: async () => {
      await db.destroy()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

const supervisor = {
  id: 'sup',
  role: 'supervisor' as const,
  unitId: 'u',
  unitPath: '/u/',
  displayName: '督办',
  username: 'sup',
  unitName: '升级市',
}

for (const engine of engines) {
  describe(`migrations (${engine})`, () => {
    let b: Bare | undefined
    afterEach(async () => {
      await b?.cleanup()
      b = undefined
    })

    it('2026-12-05 rebuilds the search index per kind from existing rows; down restores the single table', async () => {
      b = await bare(engine)
      const { db, migrator } = b
      const to = await migrator.migrateTo('2026-12-04-imports')
      expect(to.error).toBeUndefined()
      const now = nowIso()
      await db.insertInto('units').values({ id: 'u', name: '升级市', parent_id: null, path: '/u/', created_at: now }).execute()
      await db
        .insertInto('users')
        .values({
          id: 'sup',
          username: 'sup',
          display_name: '督办',
          email: null,
          password_hash: 'x',
          role: 'supervisor',
          unit_id: 'u',
          created_at: now,
        })
        .execute()
      const reportIds: string[] = []
      for (const [n, year] of [2021, 2022].entries()) {
        const id = newId()
        reportIds.push(id)
        const text = `升级市${year}年报告\n五、存在的主要问题及改进情况\n升级检验问题${n}。`
        await db
          .insertInto('reports')
          .values({
            id,
            filename: `升级${year}.txt`,
            format: 'txt',
            size_bytes: text.length,
            sha256: id,
            encoding: 'UTF-8',
            text,
            status: 'extracted',
            error: null,
            agency_id: null,
            agency_name: '升级市',
            year,
            published_at: null,
            title: `升级市${year}年报告`,
            unit_id: 'u',
            uploaded_by: null,
            created_at: now,
            updated_at: now,
            processed_at: now,
          })
          .execute()
        const start = text.indexOf('升级检验')
        await db
          .insertInto('report_items')
          .values({
            id: newId(),
            report_id: id,
            seq: 0,
            kind: 'problem',
            title: `升级检验问题${n}`,
            text: `升级检验问题${n}。`,
            start_offset: start,
            end_offset: start + 7,
            answers: '[]',
            due_date: `${year + 1}-06-30`,
            unit_id: null,
            owner_id: null,
            created_at: now,
          })
          .execute()
      }
      // the first report confirmed: its item is a task; the second is still in review (an item)
      await confirmReport(db, supervisor, reportIds[0])
      const before = await db
        .selectFrom('search_documents' as any)
        .select(['kind', 'ref_id'])
        .orderBy('kind')
        .execute()
      expect(before.map((r: any) => r.kind)).toEqual(['item', 'report', 'report', 'task'])

      await migrateToLatest(db, { schema: b.schema })
      // 2026-12-06 counted the existing tasks into the per-agency-year table and the open deadlines
      const ay = await db.selectFrom('oversight_agency_year').selectAll().execute()
      expect(ay).toEqual([expect.objectContaining({ agency_id: '', year: 2021, unit_id: 'u', problem_unassigned: 1, plan_unassigned: 0 })])
      const rollup = await db.selectFrom('oversight_task_rollup').select(['due_date', 'problem_unassigned']).execute()
      const due = await db.selectFrom('oversight_open_due').select(['due_date', 'open']).execute()
      expect(due).toHaveLength(1)
      expect(due).toEqual(rollup.filter(r => r.due_date !== '').map(r => ({ due_date: r.due_date, open: r.problem_unassigned })))
      const kinds = ['report', 'item', 'task'] as const
      const docs = (k: (typeof kinds)[number]) =>
        db.selectFrom(`search_docs_${k}`).select(['ref_id', 'year', 'status', 'unit_id']).execute()
      const after = { report: await docs('report'), item: await docs('item'), task: await docs('task') }
      expect(after.report.map(r => r.year).sort()).toEqual([2021, 2022])
      expect(after.item).toHaveLength(1)
      expect(after.task).toEqual([expect.objectContaining({ year: 2021, status: 'unassigned', unit_id: 'u' })])
      expect(new Set(kinds.flatMap(k => after[k].map(r => r.ref_id)))).toEqual(new Set(before.map((r: any) => r.ref_id)))
      const found = await search(db, supervisor, { q: '升级检验' }, '2024-01-01')
      expect(Object.fromEntries(found.groups.map(g => [g.kind, g.total]))).toEqual({ report: 2, item: 1, task: 1 })
      // old table gone; new writes reach the new tables
      await expect(
        db
          .selectFrom('search_documents' as any)
          .selectAll()
          .execute(),
      ).rejects.toThrow()

      const down = await migrator.migrateTo('2026-12-04-imports')
      expect(down.error).toBeUndefined()
      const restored = await db
        .selectFrom('search_documents' as any)
        .select(['kind', 'ref_id'])
        .orderBy('kind')
        .execute()
      expect(new Set(restored.map((r: any) => `${r.kind}:${r.ref_id}`))).toEqual(new Set(before.map((r: any) => `${r.kind}:${r.ref_id}`)))
    })

    it('2026-12-09 lets the same bytes be stored once per unit, keeping rows, indexes, triggers and foreign keys; down restores the system-wide unique', async () => {
      b = await bare(engine)
      const { db, migrator } = b
      expect((await migrator.migrateTo('2026-12-08-login-throttle')).error).toBeUndefined()
      const now = nowIso()
      for (const [id, path] of [
        ['u', '/u/'],
        ['v', '/v/'],
      ])
        await db
          .insertInto('units')
          .values({ id, name: `单位${id}`, parent_id: null, path, created_at: now })
          .execute()
      await db
        .insertInto('users')
        .values({
          id: 'sup',
          username: 'sup',
          display_name: '督办',
          email: null,
          password_hash: 'x',
          role: 'supervisor',
          unit_id: 'u',
          created_at: now,
        })
        .execute()
      const report = (id: string, unit: string, sha: string) => ({
        id,
        filename: `${id}.txt`,
        format: 'txt' as const,
        size_bytes: 10,
        sha256: sha,
        encoding: 'UTF-8',
        text: `升级市2021年报告\n升级检验问题${id}。`,
        status: 'extracted' as const,
        error: null,
        agency_id: null,
        agency_name: '升级市',
        year: 2021,
        published_at: null,
        title: `报告${id}`,
        unit_id: unit,
        uploaded_by: null,
        created_at: now,
        updated_at: now,
        processed_at: now,
      })
      await db
        .insertInto('reports')
        .values(report('r1', 'u', 'same'))
        .execute()
      await db
        .insertInto('report_sources')
        .values({ report_id: 'r1', bytes: Buffer.from('x') })
        .execute()
      await db
        .insertInto('report_items')
        .values({
          id: 'i1',
          report_id: 'r1',
          seq: 0,
          kind: 'problem',
          title: '升级检验问题',
          text: '升级检验问题。',
          start_offset: 0,
          end_offset: 7,
          answers: '[]',
          due_date: '2022-06-30',
          unit_id: null,
          owner_id: null,
          created_at: now,
        })
        .execute()
      await confirmReport(db, supervisor, 'r1')
      // the old rule
      await expect(
        db
          .insertInto('reports')
          .values(report('r2', 'v', 'same'))
          .execute(),
      ).rejects.toThrow()
      // SQLite: the table's own statement loses only the column's UNIQUE; its indexes and triggers are as they were.
      const objects = async () =>
        engine === 'sqlite'
          ? (
              await sql<{
                sql: string
              }>`select sql from sqlite_master where tbl_name = 'reports' and sql is not null and name <> 'reports_sha256_unit_uq' order by name`.execute(
                db,
              )
            ).rows.map(r => r.sql)
          : []
      const before = { objects: await objects(), tasks: await db.selectFrom('search_docs_task').select(['ref_id', 'year']).execute() }

      expect((await migrator.migrateTo('2026-12-10-duplicates-per-unit')).error).toBeUndefined()
      expect(await objects()).toEqual(before.objects.map(s => s.replace('"sha256" text not null unique', '"sha256" text not null')))
      expect(await db.selectFrom('search_docs_task').select(['ref_id', 'year']).execute()).toEqual(before.tasks)
      // the same bytes in another unit: stored; twice in one unit: refused
      await db
        .insertInto('reports')
        .values(report('r2', 'v', 'same'))
        .execute()
      await expect(
        db
          .insertInto('reports')
          .values(report('r3', 'u', 'same'))
          .execute(),
      ).rejects.toThrow()
      // the search triggers on reports (insert, update, move) and on tasks (reading reports) still run
      expect(await db.selectFrom('search_docs_report').select('ref_id').where('ref_id', '=', 'r2').execute()).toHaveLength(1)
      await db.updateTable('reports').set({ title: '改名报告', year: 2022 }).where('id', '=', 'r1').execute()
      expect(
        (await db.selectFrom('search_docs_report').select('title').where('ref_id', '=', 'r1').executeTakeFirstOrThrow()).title,
      ).toContain('改名报告')
      expect((await db.selectFrom('search_docs_task').select('year').executeTakeFirstOrThrow()).year).toBe(2022)
      const found = await search(db, { ...supervisor, role: 'admin' }, { q: '改名' }, '2024-01-01')
      expect(found.groups.find(g => g.kind === 'report')?.total).toBe(1)
      // foreign keys are enforced and cascade as before
      await expect(
        db
          .insertInto('report_sources')
          .values({ report_id: 'missing', bytes: Buffer.from('x') })
          .execute(),
      ).rejects.toThrow()
      await db
        .insertInto('report_sources')
        .values({ report_id: 'r2', bytes: Buffer.from('y') })
        .execute()
      await db.deleteFrom('reports').where('id', '=', 'r2').execute()
      expect(await db.selectFrom('report_sources').select('report_id').where('report_id', '=', 'r2').execute()).toEqual([])
      expect(await db.selectFrom('search_docs_report').select('ref_id').where('ref_id', '=', 'r2').execute()).toEqual([])

      // down refuses while copies exist, then restores the old rule
      await db
        .insertInto('reports')
        .values(report('r2', 'v', 'same'))
        .execute()
      expect((await migrator.migrateTo('2026-12-08-login-throttle')).error).toBeDefined()
      await db.deleteFrom('reports').where('id', '=', 'r2').execute()
      expect((await migrator.migrateTo('2026-12-08-login-throttle')).error).toBeUndefined()
      expect(await objects()).toEqual(before.objects)
      await expect(
        db
          .insertInto('reports')
          .values(report('r2', 'v', 'same'))
          .execute(),
      ).rejects.toThrow()
      expect(await db.selectFrom('reports').select('id').execute()).toEqual([{ id: 'r1' }])
    })
  })
}
