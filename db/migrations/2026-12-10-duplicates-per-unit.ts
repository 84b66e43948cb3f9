import { type Kysely, PostgresAdapter, sql } from 'kysely'

// A report's sha256 was unique across the whole system, so one tree's upload of a public report made
// every other tree's upload of it a "duplicate" of a report it cannot open (issue 18, decision 022).
// Now the same bytes may be stored once per unit: unique on (sha256, unit_id), which also serves the
// duplicate lookup (sha256 first); whether an upload is a duplicate is decided within the uploader's
// subtree (app/reports/reports.server.ts).
//
// PostgreSQL drops the constraint. SQLite cannot drop a column's UNIQUE: the table is rebuilt as
// SQLite's "generalized ALTER TABLE" procedure says (foreign keys off, new table, copy, drop, rename,
// then its indexes and triggers recreated from their own saved SQL, so the search and oversight
// triggers on reports come back exactly as they were; triggers on other tables that read reports
// are untouched and work against the renamed table).

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

const UNIQUE_COLUMN = '"sha256" text not null unique'
const PLAIN_COLUMN = '"sha256" text not null'

/** SQLite: rebuilds `reports` from its CREATE TABLE statement as changed by `edit`. */
async function rebuildReportsSqlite(db: Kysely<any>, edit: (createSql: string) => string): Promise<void> {
  const table = (await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'reports'`.execute(db)).rows[0]
    ?.sql
  if (!table) throw new Error('reports table not found')
  const changed = edit(table)
  if (changed === table) throw new Error('reports: the sha256 column is not declared as expected; nothing changed')
  // Indexes and triggers of reports (not the automatic indexes of its constraints, which the new table makes itself).
  const dependents = (
    await sql<{
      sql: string
    }>`select sql from sqlite_master where tbl_name = 'reports' and type in ('index', 'trigger') and sql is not null order by type, name`.execute(
      db,
    )
  ).rows
  // Outside any transaction, where it has an effect: the drop must not cascade to report_items & co.
  await sql`PRAGMA foreign_keys = OFF`.execute(db)
  try {
    await db.transaction().execute(async trx => {
      await sql.raw(changed.replace(/^CREATE TABLE "reports"/, 'CREATE TABLE "reports_rebuilt"')).execute(trx)
      await sql`INSERT INTO reports_rebuilt SELECT * FROM reports`.execute(trx)
      await sql`DROP TABLE reports`.execute(trx)
      // Legacy rename: the triggers of other tables that read reports are neither checked nor rewritten
      // while reports is missing (they name "reports", which the renamed table is again).
      await sql`PRAGMA legacy_alter_table = ON`.execute(trx)
      await sql`ALTER TABLE reports_rebuilt RENAME TO reports`.execute(trx)
      await sql`PRAGMA legacy_alter_table = OFF`.execute(trx)
      for (const d of dependents) await sql.raw(d.sql).execute(trx)
      const broken = (await sql`PRAGMA foreign_key_check`.execute(trx)).rows
      if (broken.length) throw new Error(`reports rebuild: ${broken.length} foreign key violations`)
    })
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db)
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    const rows = (
      await sql<{
        name: string
      }>`select c.conname as name from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
        where c.conrelid = 'reports'::regclass and c.contype = 'u' and a.attname = 'sha256' and array_length(c.conkey, 1) = 1`.execute(db)
    ).rows
    for (const r of rows) await sql`alter table reports drop constraint ${sql.id(r.name)}`.execute(db)
  } else {
    await rebuildReportsSqlite(db, s => s.replace(UNIQUE_COLUMN, PLAIN_COLUMN))
  }
  await db.schema.createIndex('reports_sha256_unit_uq').on('reports').columns(['sha256', 'unit_id']).unique().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  const copies = await db
    .selectFrom('reports')
    .select('sha256')
    .groupBy('sha256')
    .having(eb => eb.fn.countAll(), '>', 1)
    .limit(1)
    .execute()
  if (copies.length)
    throw new Error('cannot restore a system-wide unique sha256: some reports are stored in more than one unit; remove the copies first')
  await db.schema.dropIndex('reports_sha256_unit_uq').execute()
  if (isPostgres(db)) await sql`alter table reports add constraint reports_sha256_key unique (sha256)`.execute(db)
  else await rebuildReportsSqlite(db, s => s.replace(PLAIN_COLUMN, UNIQUE_COLUMN))
}
