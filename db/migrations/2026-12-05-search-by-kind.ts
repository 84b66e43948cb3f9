import { type Kysely, PostgresAdapter, sql } from 'kysely'
import * as single from './2026-12-03-search'

// Replaces 2026-12-03-search (one search_documents table for all kinds): that migration's triggers,
// FTS tables and table are dropped first, then everything is built again per kind from the source
// rows, so an installation that ran it loses nothing.
//
// Search over reports, report items and tasks (Chinese substring search). What can be found is kept
// in one table per kind, search_docs_report / _item / _task (doc_id, ref_id, title, body), by
// triggers on the source tables, so every write path (upload, extraction, review, confirmation,
// workflow, ledger import, a bulk loader) keeps it current. An item is a document only while it has
// no task: once confirmed, its task is what people look for (the two would show every match twice).
// One table per kind, not one for all: each has its own doc_id order (newest first), so reading the
// newest reports never walks past 400,000 tasks.
//
// SQLite: a contentless FTS5 table with the trigram tokenizer per kind (search_fts_task, …;
// rowid = doc_id). Every indexed value ends with two private-use characters (U+E000), so every
// character of the real text starts at least one trigram: a 1–2 character word is answered by the
// trigrams that begin with it (read from the kind's fts5vocab table) instead of a scan.
// PostgreSQL: pg_trgm GIN indexes on title and body serve ILIKE '%…%'. When the extension cannot be
// created the migration goes on without them and search still works, by scanning (a warning says so).

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

const KINDS = ['report', 'item', 'task'] as const
type Kind = (typeof KINDS)[number]
const docs = (k: Kind) => `search_docs_${k}`
/** Appended to every value indexed by FTS5 (two U+E000): see above. Searches never contain it. */
const SQLITE_TAIL = 'char(57344, 57344)'

const reportTitle = (r: string) => `coalesce(${r}.agency_name, '') || ' ' || coalesce(${r}.title, '') || ' ' || ${r}.filename`
const reportBody = (r: string) => `coalesce(${r}.text, '')`

interface TriggerSpec {
  name: string
  event: string
  table: string
  /** Plain column comparisons only (PostgreSQL allows no subquery here). */
  when: string | null
  body: string[]
}

// Besides the text, each document carries what search filters on (unit, report year, and for a
// task its status and owner), so the filters are checked on the document the index found, before
// any join: a city's search or "2021, in progress" does not look up every matching task first.
const yearOf = (reportId: string) => `(SELECT year FROM reports WHERE id = ${reportId})`
const addItemUnlessTask = (itemId: string) =>
  `INSERT INTO ${docs('item')} (ref_id, title, body, unit_id, year) SELECT i.id, i.title, i.text, r.unit_id, r.year FROM report_items i JOIN reports r ON r.id = i.report_id
   WHERE i.id = ${itemId} AND NOT EXISTS (SELECT 1 FROM tasks WHERE item_id = i.id) AND NOT EXISTS (SELECT 1 FROM ${docs('item')} WHERE ref_id = i.id)`
const removeDoc = (k: Kind, refId: string) => `DELETE FROM ${docs(k)} WHERE ref_id = ${refId}`
const changed = (cols: string[]) => cols.map(c => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')
const taskColumns = (t: string) =>
  `title = ${t}.title, body = ${t}.text, unit_id = ${t}.unit_id, year = ${yearOf(`${t}.report_id`)}, status = ${t}.status, owner_id = ${t}.owner_id`

const TRIGGERS: TriggerSpec[] = [
  {
    name: 'search_reports_insert',
    event: 'INSERT',
    table: 'reports',
    when: null,
    body: [
      `INSERT INTO ${docs('report')} (ref_id, title, body, unit_id, year) VALUES (NEW.id, ${reportTitle('NEW')}, ${reportBody('NEW')}, NEW.unit_id, NEW.year)`,
    ],
  },
  {
    name: 'search_reports_update',
    event: 'UPDATE OF agency_name, title, filename, text, unit_id, year',
    table: 'reports',
    when: changed(['agency_name', 'title', 'filename', 'text', 'unit_id', 'year']),
    body: [
      `UPDATE ${docs('report')} SET title = ${reportTitle('NEW')}, body = ${reportBody('NEW')}, unit_id = NEW.unit_id, year = NEW.year WHERE ref_id = NEW.id`,
    ],
  },
  {
    // The report's unit and year are its items' and (the year) its tasks'.
    name: 'search_reports_move',
    event: 'UPDATE OF unit_id, year',
    table: 'reports',
    when: changed(['unit_id', 'year']),
    body: [
      `UPDATE ${docs('item')} SET unit_id = NEW.unit_id, year = NEW.year WHERE ref_id IN (SELECT id FROM report_items WHERE report_id = NEW.id)`,
      `UPDATE ${docs('task')} SET year = NEW.year WHERE ref_id IN (SELECT id FROM tasks WHERE report_id = NEW.id)`,
    ],
  },
  { name: 'search_reports_delete', event: 'DELETE', table: 'reports', when: null, body: [removeDoc('report', 'OLD.id')] },
  { name: 'search_items_insert', event: 'INSERT', table: 'report_items', when: null, body: [addItemUnlessTask('NEW.id')] },
  {
    name: 'search_items_update',
    event: 'UPDATE OF title, text',
    table: 'report_items',
    when: changed(['title', 'text']),
    body: [`UPDATE ${docs('item')} SET title = NEW.title, body = NEW.text WHERE ref_id = NEW.id`],
  },
  { name: 'search_items_delete', event: 'DELETE', table: 'report_items', when: null, body: [removeDoc('item', 'OLD.id')] },
  {
    name: 'search_tasks_insert',
    event: 'INSERT',
    table: 'tasks',
    when: null,
    body: [
      `INSERT INTO ${docs('task')} (ref_id, title, body, unit_id, year, status, owner_id) VALUES (NEW.id, NEW.title, NEW.text, NEW.unit_id, ${yearOf('NEW.report_id')}, NEW.status, NEW.owner_id)`,
      removeDoc('item', 'NEW.item_id'),
    ],
  },
  {
    name: 'search_tasks_update',
    event: 'UPDATE OF title, text, unit_id, report_id, status, owner_id',
    table: 'tasks',
    when: changed(['title', 'text', 'unit_id', 'report_id', 'status', 'owner_id']),
    body: [`UPDATE ${docs('task')} SET ${taskColumns('NEW')} WHERE ref_id = NEW.id`],
  },
  {
    name: 'search_tasks_item',
    event: 'UPDATE OF item_id',
    table: 'tasks',
    when: changed(['item_id']),
    body: [removeDoc('item', 'NEW.item_id'), addItemUnlessTask('OLD.item_id')],
  },
  {
    name: 'search_tasks_delete',
    event: 'DELETE',
    table: 'tasks',
    when: null,
    body: [removeDoc('task', 'OLD.id'), addItemUnlessTask('OLD.item_id')],
  },
]

/** SQLite: each kind's FTS5 index follows its document table. */
const sqliteFtsTriggers = (k: Kind) => [
  `CREATE TRIGGER search_fts_${k}_insert AFTER INSERT ON ${docs(k)} BEGIN INSERT INTO search_fts_${k} (rowid, title, body) VALUES (NEW.doc_id, NEW.title || ${SQLITE_TAIL}, NEW.body || ${SQLITE_TAIL}); END`,
  `CREATE TRIGGER search_fts_${k}_update AFTER UPDATE OF title, body ON ${docs(k)} BEGIN UPDATE search_fts_${k} SET title = NEW.title || ${SQLITE_TAIL}, body = NEW.body || ${SQLITE_TAIL} WHERE rowid = NEW.doc_id; END`,
  `CREATE TRIGGER search_fts_${k}_delete AFTER DELETE ON ${docs(k)} BEGIN DELETE FROM search_fts_${k} WHERE rowid = OLD.doc_id; END`,
]

/** The schema pg_trgm lives in, creating the extension when allowed; null when it is not available. */
async function trigramSchema(db: Kysely<any>): Promise<string | null> {
  const find = async () =>
    (
      await sql<{
        schema: string
      }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(
        db,
      )
    ).rows[0]?.schema ?? null
  const existing = await find()
  if (existing) return existing
  // In public, not in the app's (or a test's) schema: dropping that schema must not take the extension along.
  await sql`savepoint search_trgm`.execute(db)
  try {
    await sql`create extension if not exists pg_trgm schema public`.execute(db)
    await sql`release savepoint search_trgm`.execute(db)
  } catch (e) {
    await sql`rollback to savepoint search_trgm`.execute(db)
    const raced = await find() // another process created it at the same moment
    if (raced) return raced
    console.warn(`search: pg_trgm cannot be created (${(e as Error).message}); searching falls back to ILIKE scans without an index`)
    return null
  }
  return find()
}

export async function up(db: Kysely<any>): Promise<void> {
  await single.down(db)
  const pg = isPostgres(db)
  if (!pg) {
    const [{ v }] = (await sql<{ v: string }>`select sqlite_version() as v`.execute(db)).rows
    const [major, minor] = v.split('.').map(Number)
    // contentless_delete needs 3.43; the trigram tokenizer 3.34.
    if (major < 3 || (major === 3 && minor < 43))
      throw new Error(`search needs SQLite 3.43 or later (FTS5 trigram, contentless_delete); this is ${v}`)
  }
  for (const k of KINDS) {
    await db.schema
      .createTable(docs(k))
      .addColumn('doc_id', pg ? 'bigint' : 'integer', c => (pg ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey()))
      .addColumn('ref_id', 'text', c => c.notNull().unique())
      .addColumn('title', 'text', c => c.notNull())
      .addColumn('body', 'text', c => c.notNull())
      .addColumn('unit_id', 'text')
      .addColumn('year', 'integer')
      .addColumn('status', 'text')
      .addColumn('owner_id', 'text')
      .execute()
    if (!pg) {
      await sql
        .raw(`CREATE VIRTUAL TABLE search_fts_${k} USING fts5(title, body, tokenize = 'trigram', content = '', contentless_delete = 1)`)
        .execute(db)
      await sql.raw(`CREATE VIRTUAL TABLE search_vocab_${k} USING fts5vocab(search_fts_${k}, 'row')`).execute(db)
      for (const t of sqliteFtsTriggers(k)) await sql.raw(t).execute(db)
    }
  }

  // Existing rows, indexed once, oldest first (results list the newest first). On SQLite the FTS
  // triggers above index them as they arrive; on PostgreSQL the GIN indexes are built after, in one pass.
  await sql
    .raw(
      `INSERT INTO ${docs('report')} (ref_id, title, body, unit_id, year) SELECT r.id, ${reportTitle('r')}, ${reportBody('r')}, r.unit_id, r.year FROM reports r ORDER BY r.created_at, r.id`,
    )
    .execute(db)
  await sql
    .raw(
      `INSERT INTO ${docs('task')} (ref_id, title, body, unit_id, year, status, owner_id) SELECT t.id, t.title, t.text, t.unit_id, r.year, t.status, t.owner_id FROM tasks t JOIN reports r ON r.id = t.report_id ORDER BY t.created_at, t.id`,
    )
    .execute(db)
  await sql
    .raw(
      `INSERT INTO ${docs('item')} (ref_id, title, body, unit_id, year) SELECT i.id, i.title, i.text, r.unit_id, r.year FROM report_items i JOIN reports r ON r.id = i.report_id WHERE NOT EXISTS (SELECT 1 FROM tasks WHERE item_id = i.id) ORDER BY i.created_at, i.id`,
    )
    .execute(db)

  if (pg) {
    const trgm = await trigramSchema(db)
    if (trgm)
      for (const k of KINDS)
        for (const col of ['title', 'body'])
          await sql.raw(`CREATE INDEX ${docs(k)}_${col}_trgm ON ${docs(k)} USING gin (${col} "${trgm}".gin_trgm_ops)`).execute(db)
  }

  for (const t of TRIGGERS) {
    if (pg) {
      await sql
        .raw(
          `CREATE FUNCTION ${t.name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${t.body.map(s => `${s};`).join(' ')} RETURN NULL; END $$`,
        )
        .execute(db)
      await sql
        .raw(
          `CREATE TRIGGER ${t.name} AFTER ${t.event} ON ${t.table} FOR EACH ROW ${t.when ? `WHEN (${t.when})` : ''} EXECUTE FUNCTION ${t.name}_fn()`,
        )
        .execute(db)
    } else {
      await sql
        .raw(
          `CREATE TRIGGER ${t.name} AFTER ${t.event} ON ${t.table} FOR EACH ROW ${t.when ? `WHEN ${t.when}` : ''} BEGIN ${t.body.map(s => `${s};`).join(' ')} END`,
        )
        .execute(db)
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db)
  for (const t of TRIGGERS) {
    await sql.raw(pg ? `DROP TRIGGER IF EXISTS ${t.name} ON ${t.table}` : `DROP TRIGGER IF EXISTS ${t.name}`).execute(db)
    if (pg) await sql.raw(`DROP FUNCTION IF EXISTS ${t.name}_fn()`).execute(db)
  }
  for (const k of KINDS) {
    if (!pg) {
      for (const op of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS search_fts_${k}_${op}`).execute(db)
      await sql.raw(`DROP TABLE IF EXISTS search_vocab_${k}`).execute(db)
      await sql.raw(`DROP TABLE IF EXISTS search_fts_${k}`).execute(db)
    }
    await db.schema.dropTable(docs(k)).ifExists().execute()
  }
  await single.up(db)
}
