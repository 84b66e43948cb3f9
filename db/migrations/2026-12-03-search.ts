import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Search over reports, report items and tasks (Chinese substring search). What can be found is kept
// in one table, `search_documents` (kind, ref_id, title, body), by triggers on the source tables, so
// every write path (upload, extraction, review, confirmation, workflow, ledger import, a bulk loader)
// keeps it current. An item is a document only while it has no task: once confirmed, its task is
// what people look for (and the two would otherwise show every match twice).
//
// SQLite: one contentless FTS5 table with the trigram tokenizer per kind (search_fts_task, …;
// rowid = doc_id), so a search of one kind never reads the others' matches. Every indexed value
// ends with two private-use characters (U+E000), so every character of the real text starts at
// least one trigram: a 1–2 character word is answered by the trigrams that begin with it (read from
// the kind's fts5vocab table) instead of a scan.
// PostgreSQL: pg_trgm GIN indexes on title and body, one per kind (partial), serve ILIKE '%…%'.
// When the extension cannot be created the migration goes on without them and search still works,
// by scanning (a warning says so).

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

const T = 'search_documents'
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

const addItemUnlessTask = (itemId: string) =>
  `INSERT INTO ${T} (kind, ref_id, title, body) SELECT 'item', i.id, i.title, i.text FROM report_items i
   WHERE i.id = ${itemId} AND NOT EXISTS (SELECT 1 FROM tasks WHERE item_id = i.id) AND NOT EXISTS (SELECT 1 FROM ${T} WHERE kind = 'item' AND ref_id = i.id)`
const removeDoc = (kind: string, refId: string) => `DELETE FROM ${T} WHERE kind = '${kind}' AND ref_id = ${refId}`

const TRIGGERS: TriggerSpec[] = [
  {
    name: 'search_reports_insert',
    event: 'INSERT',
    table: 'reports',
    when: null,
    body: [`INSERT INTO ${T} (kind, ref_id, title, body) VALUES ('report', NEW.id, ${reportTitle('NEW')}, ${reportBody('NEW')})`],
  },
  {
    name: 'search_reports_update',
    event: 'UPDATE OF agency_name, title, filename, text',
    table: 'reports',
    when: ['agency_name', 'title', 'filename', 'text'].map(c => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR '),
    body: [`UPDATE ${T} SET title = ${reportTitle('NEW')}, body = ${reportBody('NEW')} WHERE kind = 'report' AND ref_id = NEW.id`],
  },
  { name: 'search_reports_delete', event: 'DELETE', table: 'reports', when: null, body: [removeDoc('report', 'OLD.id')] },
  { name: 'search_items_insert', event: 'INSERT', table: 'report_items', when: null, body: [addItemUnlessTask('NEW.id')] },
  {
    name: 'search_items_update',
    event: 'UPDATE OF title, text',
    table: 'report_items',
    when: 'OLD.title IS DISTINCT FROM NEW.title OR OLD.text IS DISTINCT FROM NEW.text',
    body: [`UPDATE ${T} SET title = NEW.title, body = NEW.text WHERE kind = 'item' AND ref_id = NEW.id`],
  },
  { name: 'search_items_delete', event: 'DELETE', table: 'report_items', when: null, body: [removeDoc('item', 'OLD.id')] },
  {
    name: 'search_tasks_insert',
    event: 'INSERT',
    table: 'tasks',
    when: null,
    body: [`INSERT INTO ${T} (kind, ref_id, title, body) VALUES ('task', NEW.id, NEW.title, NEW.text)`, removeDoc('item', 'NEW.item_id')],
  },
  {
    name: 'search_tasks_update',
    event: 'UPDATE OF title, text',
    table: 'tasks',
    when: 'OLD.title IS DISTINCT FROM NEW.title OR OLD.text IS DISTINCT FROM NEW.text',
    body: [`UPDATE ${T} SET title = NEW.title, body = NEW.text WHERE kind = 'task' AND ref_id = NEW.id`],
  },
  {
    name: 'search_tasks_item',
    event: 'UPDATE OF item_id',
    table: 'tasks',
    when: 'OLD.item_id IS DISTINCT FROM NEW.item_id',
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

const KINDS = ['report', 'item', 'task'] as const

/** SQLite: each kind's FTS5 index follows its rows of search_documents. */
const sqliteFtsTriggers = (k: (typeof KINDS)[number]) => [
  `CREATE TRIGGER search_fts_${k}_insert AFTER INSERT ON ${T} WHEN NEW.kind = '${k}' BEGIN INSERT INTO search_fts_${k} (rowid, title, body) VALUES (NEW.doc_id, NEW.title || ${SQLITE_TAIL}, NEW.body || ${SQLITE_TAIL}); END`,
  `CREATE TRIGGER search_fts_${k}_update AFTER UPDATE OF title, body ON ${T} WHEN NEW.kind = '${k}' BEGIN UPDATE search_fts_${k} SET title = NEW.title || ${SQLITE_TAIL}, body = NEW.body || ${SQLITE_TAIL} WHERE rowid = NEW.doc_id; END`,
  `CREATE TRIGGER search_fts_${k}_delete AFTER DELETE ON ${T} WHEN OLD.kind = '${k}' BEGIN DELETE FROM search_fts_${k} WHERE rowid = OLD.doc_id; END`,
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
  const pg = isPostgres(db)
  await db.schema
    .createTable(T)
    .addColumn('doc_id', pg ? 'bigint' : 'integer', c => (pg ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey()))
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('ref_id', 'text', c => c.notNull())
    .addColumn('title', 'text', c => c.notNull())
    .addColumn('body', 'text', c => c.notNull())
    .execute()
  // ref_id first: a lookup from a source row binds both, and "kind = …" alone never looks like a good place to start.
  await db.schema.createIndex(`${T}_ref_uq`).on(T).columns(['ref_id', 'kind']).unique().execute()

  if (pg) {
    // Newest documents of a kind (1–2 character words, which no trigram index serves, read only those).
    await db.schema.createIndex(`${T}_kind_doc_idx`).on(T).columns(['kind', 'doc_id']).execute()
  } else {
    const [{ v }] = (await sql<{ v: string }>`select sqlite_version() as v`.execute(db)).rows
    const [major, minor] = v.split('.').map(Number)
    // contentless_delete needs 3.43; the trigram tokenizer 3.34.
    if (major < 3 || (major === 3 && minor < 43))
      throw new Error(`search needs SQLite 3.43 or later (FTS5 trigram, contentless_delete); this is ${v}`)
    for (const k of KINDS) {
      await sql
        .raw(`CREATE VIRTUAL TABLE search_fts_${k} USING fts5(title, body, tokenize = 'trigram', content = '', contentless_delete = 1)`)
        .execute(db)
      await sql.raw(`CREATE VIRTUAL TABLE search_vocab_${k} USING fts5vocab(search_fts_${k}, 'row')`).execute(db)
      for (const t of sqliteFtsTriggers(k)) await sql.raw(t).execute(db)
    }
  }

  // Existing rows, indexed once, oldest first (results list the newest documents first) (on SQLite the FTS triggers above index them as they arrive; on
  // PostgreSQL the GIN indexes are built below, in one pass).
  await sql
    .raw(
      `INSERT INTO ${T} (kind, ref_id, title, body) SELECT 'report', r.id, ${reportTitle('r')}, ${reportBody('r')} FROM reports r ORDER BY r.created_at, r.id`,
    )
    .execute(db)
  await sql
    .raw(`INSERT INTO ${T} (kind, ref_id, title, body) SELECT 'task', t.id, t.title, t.text FROM tasks t ORDER BY t.created_at, t.id`)
    .execute(db)
  await sql
    .raw(
      `INSERT INTO ${T} (kind, ref_id, title, body) SELECT 'item', i.id, i.title, i.text FROM report_items i WHERE NOT EXISTS (SELECT 1 FROM tasks WHERE item_id = i.id) ORDER BY i.created_at, i.id`,
    )
    .execute(db)

  if (pg) {
    const trgm = await trigramSchema(db)
    // One per kind and column (partial): a search of tasks reads only tasks' index entries.
    if (trgm)
      for (const k of KINDS)
        for (const col of ['title', 'body'])
          await sql
            .raw(`CREATE INDEX ${T}_${k}_${col}_trgm ON ${T} USING gin (${col} "${trgm}".gin_trgm_ops) WHERE kind = '${k}'`)
            .execute(db)
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
  if (!pg) {
    for (const k of KINDS) {
      for (const op of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS search_fts_${k}_${op}`).execute(db)
      await sql.raw(`DROP TABLE IF EXISTS search_vocab_${k}`).execute(db)
      await sql.raw(`DROP TABLE IF EXISTS search_fts_${k}`).execute(db)
    }
  }
  await db.schema.dropTable(T).ifExists().execute()
}
