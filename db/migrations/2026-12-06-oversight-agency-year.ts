import { type Kysely, PostgresAdapter, sql } from 'kysely'

// The overview sums every agency's figures over a year range. Reading the task rollup for that
// (a row per report, responsible unit and deadline: 143,000 rows at 10,000 agencies × 5 years)
// cost ≈270 ms of CPU on SQLite. Two smaller tables, kept from the rollup by triggers, answer it in
// ≈45 ms:
// - oversight_agency_year: one row per (agency, year, responsible unit) with the rollup's counters
//   (no deadline: 50,000 rows). The agency is '' when the report has none (a key has no NULL).
// - oversight_open_due: one narrow row per (agency, year, unit, deadline) with the number of open
//   tasks (待分派/进行中/待核验) due then, only while there are some; overdue is the sum of the rows
//   whose deadline is before today, so nothing changes when a day goes by.
// On SQLite both are WITHOUT ROWID tables ordered by agency, so the overview groups them as it reads.
// Every change to the rollup (whatever caused it: workflow, merge, follow-up decision, year
// correction) moves its old contribution out and its new one in.

const STATUSES = ['unassigned', 'in_progress', 'pending_review', 'closed', 'ongoing', 'cancelled'] as const
const OPEN = ['unassigned', 'in_progress', 'pending_review'] as const
const KINDS = ['plan', 'problem'] as const
const COUNTERS = [...KINDS.flatMap(k => STATUSES.map(s => `${k}_${s}`)), 'returned', 'evidenced', 'recurring']

const ROLLUP = 'oversight_task_rollup'
const AY = 'oversight_agency_year'
const DUE = 'oversight_open_due'

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

const openOf = (r: string) => KINDS.flatMap(k => OPEN.map(s => `${r}.${k}_${s}`)).join(' + ')

/** Adds (sign 1) or removes (sign -1) one rollup row's contribution. */
function contribution(r: 'NEW' | 'OLD', sign: 1 | -1): string[] {
  const key = `coalesce(${r}.agency_id, ''), ${r}.year, ${r}.unit_id`
  const m = sign === 1 ? '' : '-'
  return [
    `INSERT INTO ${AY} (agency_id, year, unit_id, ${COUNTERS.join(', ')})
     SELECT ${key}, ${COUNTERS.map(c => `${m}${r}.${c}`).join(', ')} WHERE ${r}.year IS NOT NULL
     ON CONFLICT (agency_id, year, unit_id) DO UPDATE SET ${COUNTERS.map(c => `${c} = ${AY}.${c} + excluded.${c}`).join(', ')}`,
    `INSERT INTO ${DUE} (agency_id, year, unit_id, due_date, open)
     SELECT ${key}, ${r}.due_date, ${m}(${openOf(r)}) WHERE ${r}.year IS NOT NULL AND ${r}.due_date <> '' AND (${openOf(r)}) <> 0
     ON CONFLICT (agency_id, year, unit_id, due_date) DO UPDATE SET open = ${DUE}.open + excluded.open`,
    // A cell left with nothing (its tasks moved to another unit, agency or year) is no row at all.
    `DELETE FROM ${AY} WHERE agency_id = coalesce(${r}.agency_id, '') AND year = ${r}.year AND unit_id = ${r}.unit_id AND ${COUNTERS.map(c => `${c} = 0`).join(' AND ')}`,
    `DELETE FROM ${DUE} WHERE agency_id = coalesce(${r}.agency_id, '') AND year = ${r}.year AND unit_id = ${r}.unit_id AND due_date = ${r}.due_date AND open = 0`,
  ]
}

const TRIGGERS = [
  { name: 'oversight_ay_insert', event: 'INSERT', body: contribution('NEW', 1) },
  { name: 'oversight_ay_update', event: 'UPDATE', body: [...contribution('OLD', -1), ...contribution('NEW', 1)] },
  { name: 'oversight_ay_delete', event: 'DELETE', body: contribution('OLD', -1) },
]

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db)
  const withoutRowid = pg ? '' : ' WITHOUT ROWID'
  await sql
    .raw(
      `CREATE TABLE ${AY} (agency_id text NOT NULL, year integer NOT NULL, unit_id text NOT NULL,
       ${COUNTERS.map(c => `${c} integer NOT NULL DEFAULT 0`).join(', ')},
       PRIMARY KEY (agency_id, year, unit_id))${withoutRowid}`,
    )
    .execute(db)
  await sql
    .raw(
      `CREATE TABLE ${DUE} (agency_id text NOT NULL, year integer NOT NULL, unit_id text NOT NULL, due_date text NOT NULL, open integer NOT NULL,
       PRIMARY KEY (agency_id, year, unit_id, due_date))${withoutRowid}`,
    )
    .execute(db)

  // What the rollup holds now, counted once.
  await sql
    .raw(
      `INSERT INTO ${AY} (agency_id, year, unit_id, ${COUNTERS.join(', ')})
       SELECT coalesce(r.agency_id, ''), r.year, r.unit_id, ${COUNTERS.map(c => `sum(r.${c})`).join(', ')}
       FROM ${ROLLUP} r WHERE r.year IS NOT NULL GROUP BY coalesce(r.agency_id, ''), r.year, r.unit_id
       HAVING ${COUNTERS.map(c => `sum(r.${c}) <> 0`).join(' OR ')}`,
    )
    .execute(db)
  await sql
    .raw(
      `INSERT INTO ${DUE} (agency_id, year, unit_id, due_date, open)
       SELECT coalesce(r.agency_id, ''), r.year, r.unit_id, r.due_date, sum(${openOf('r')})
       FROM ${ROLLUP} r WHERE r.year IS NOT NULL AND r.due_date <> ''
       GROUP BY coalesce(r.agency_id, ''), r.year, r.unit_id, r.due_date HAVING sum(${openOf('r')}) <> 0`,
    )
    .execute(db)

  for (const t of TRIGGERS) {
    if (pg) {
      await sql
        .raw(
          `CREATE FUNCTION ${t.name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${t.body.map(s => `${s};`).join(' ')} RETURN NULL; END $$`,
        )
        .execute(db)
      await sql.raw(`CREATE TRIGGER ${t.name} AFTER ${t.event} ON ${ROLLUP} FOR EACH ROW EXECUTE FUNCTION ${t.name}_fn()`).execute(db)
    } else {
      await sql
        .raw(`CREATE TRIGGER ${t.name} AFTER ${t.event} ON ${ROLLUP} FOR EACH ROW BEGIN ${t.body.map(s => `${s};`).join(' ')} END`)
        .execute(db)
    }
  }
  // The unit filter lists a scope's units level by level.
  await db.schema.createIndex('units_parent_idx').on('units').column('parent_id').execute()
  if (pg) await sql.raw(`ANALYZE ${AY}, ${DUE}`).execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db)
  for (const t of TRIGGERS) {
    await sql.raw(pg ? `DROP TRIGGER IF EXISTS ${t.name} ON ${ROLLUP}` : `DROP TRIGGER IF EXISTS ${t.name}`).execute(db)
    if (pg) await sql.raw(`DROP FUNCTION IF EXISTS ${t.name}_fn()`).execute(db)
  }
  await db.schema.dropIndex('units_parent_idx').ifExists().execute()
  await db.schema.dropTable(DUE).ifExists().execute()
  await db.schema.dropTable(AY).ifExists().execute()
}
