import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Oversight figures across every agency and year (10,000 agencies × 5 years × 8 items is 400,000
// tasks) must come back in well under 200 ms. Scanning and joining every task per page view cannot
// do that on SQLite, so the task figures are kept pre-counted in `oversight_task_rollup`: one row
// per (report, responsible unit, deadline) with the number of its tasks by kind and status, and how
// many of them were ever returned, have confirmed evidence of completion, or are confirmed
// recurrences. Triggers keep it exact on every write, whichever code (workflow, ledger import, agency
// merge, follow-up decisions, a bulk loader) makes the change. Overdue stays derived: it is the open
// counts of the rows whose deadline has passed, so nothing here changes when a day goes by.

const STATUSES = ['unassigned', 'in_progress', 'pending_review', 'closed', 'ongoing', 'cancelled'] as const
const KINDS = ['plan', 'problem'] as const
const COUNTERS = KINDS.flatMap(k => STATUSES.map(s => `${k}_${s}`))
const FLAGS = ['returned', 'evidenced', 'recurring'] as const

const T = 'oversight_task_rollup'

// The three per-task flags, for a task row `r` (NEW or OLD).
const flagOf = (r: string): Record<(typeof FLAGS)[number], string> => ({
  returned: `EXISTS (SELECT 1 FROM task_events WHERE task_id = ${r}.id AND type = 'return')`,
  evidenced: `EXISTS (SELECT 1 FROM followup_suggestions WHERE earlier_item_id = ${r}.item_id AND kind = 'evidence' AND status = 'confirmed')`,
  recurring: `EXISTS (SELECT 1 FROM followup_suggestions WHERE later_item_id = ${r}.item_id AND kind = 'recurring' AND status = 'confirmed')`,
})

/** Adds (sign 1) or removes (sign -1) one task row's contribution to its cell. */
function addTask(r: 'NEW' | 'OLD', sign: 1 | -1): string {
  const flags = flagOf(r)
  const values = [
    `${r}.report_id`,
    `${r}.unit_id`,
    `coalesce(${r}.due_date, '')`,
    `(SELECT agency_id FROM reports WHERE id = ${r}.report_id)`,
    `(SELECT year FROM reports WHERE id = ${r}.report_id)`,
    ...KINDS.flatMap(k => STATUSES.map(s => `CASE WHEN ${r}.kind = '${k}' AND ${r}.status = '${s}' THEN ${sign} ELSE 0 END`)),
    ...FLAGS.map(f => `CASE WHEN ${flags[f]} THEN ${sign} ELSE 0 END`),
  ]
  const counted = [...COUNTERS, ...FLAGS]
  return `INSERT INTO ${T} (report_id, unit_id, due_date, agency_id, year, ${counted.join(', ')}) VALUES (${values.join(', ')})
    ON CONFLICT (report_id, unit_id, due_date) DO UPDATE SET ${counted.map(c => `${c} = ${T}.${c} + excluded.${c}`).join(', ')}`
}

/** Moves a flag of the task with this id / item by `delta`, when `condition` holds after the write. */
function bumpFlag(flag: (typeof FLAGS)[number], taskMatch: string, delta: 1 | -1, condition: string): string {
  const cell = (col: string, expr = col) => `${col} = (SELECT ${expr} FROM tasks WHERE ${taskMatch})`
  return `UPDATE ${T} SET ${flag} = ${flag} + ${delta}
    WHERE ${cell('report_id')} AND ${cell('unit_id')} AND ${cell('due_date', "coalesce(due_date, '')")} AND ${condition}`
}

const returnCount = (taskId: string) => `(SELECT count(*) FROM task_events WHERE task_id = ${taskId} AND type = 'return')`
const confirmedCount = (kind: 'evidence' | 'recurring', item: string) =>
  `(SELECT count(*) FROM followup_suggestions WHERE ${kind === 'evidence' ? 'earlier_item_id' : 'later_item_id'} = ${item} AND kind = '${kind}' AND status = 'confirmed')`
const itemOf = (kind: 'evidence' | 'recurring', r: 'NEW' | 'OLD') => `${r}.${kind === 'evidence' ? 'earlier_item_id' : 'later_item_id'}`
const flagOfKind = { evidence: 'evidenced', recurring: 'recurring' } as const

/** A suggestion's contribution: the first confirmed one of its kind for an item sets the flag, the last one leaving clears it. */
function suggestionBump(kind: 'evidence' | 'recurring', r: 'NEW' | 'OLD', delta: 1 | -1): string {
  const item = itemOf(kind, r)
  return bumpFlag(
    flagOfKind[kind],
    `item_id = ${item}`,
    delta,
    `${r}.kind = '${kind}' AND ${confirmedCount(kind, item)} = ${delta === 1 ? 1 : 0}`,
  )
}

interface TriggerSpec {
  name: string
  event: string
  table: string
  /** Plain column comparisons only (PostgreSQL allows no subquery here). */
  when: string | null
  body: string[]
}

const TRIGGERS: TriggerSpec[] = [
  { name: 'oversight_tasks_insert', event: 'INSERT', table: 'tasks', when: null, body: [addTask('NEW', 1)] },
  { name: 'oversight_tasks_delete', event: 'DELETE', table: 'tasks', when: null, body: [addTask('OLD', -1)] },
  {
    name: 'oversight_tasks_update',
    event: 'UPDATE OF status, unit_id, due_date, report_id, kind, item_id',
    table: 'tasks',
    when: ['status', 'unit_id', 'due_date', 'report_id', 'kind', 'item_id'].map(c => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR '),
    body: [addTask('OLD', -1), addTask('NEW', 1)],
  },
  {
    name: 'oversight_returns_insert',
    event: 'INSERT',
    table: 'task_events',
    when: "NEW.type = 'return'",
    body: [bumpFlag('returned', 'id = NEW.task_id', 1, `${returnCount('NEW.task_id')} = 1`)],
  },
  {
    name: 'oversight_returns_delete',
    event: 'DELETE',
    table: 'task_events',
    when: "OLD.type = 'return'",
    body: [bumpFlag('returned', 'id = OLD.task_id', -1, `${returnCount('OLD.task_id')} = 0`)],
  },
  {
    name: 'oversight_suggestions_insert',
    event: 'INSERT',
    table: 'followup_suggestions',
    when: "NEW.status = 'confirmed'",
    body: [suggestionBump('evidence', 'NEW', 1), suggestionBump('recurring', 'NEW', 1)],
  },
  {
    name: 'oversight_suggestions_confirm',
    event: 'UPDATE OF status',
    table: 'followup_suggestions',
    when: "OLD.status IS DISTINCT FROM NEW.status AND NEW.status = 'confirmed'",
    body: [suggestionBump('evidence', 'NEW', 1), suggestionBump('recurring', 'NEW', 1)],
  },
  {
    name: 'oversight_suggestions_unconfirm',
    event: 'UPDATE OF status',
    table: 'followup_suggestions',
    when: "OLD.status IS DISTINCT FROM NEW.status AND OLD.status = 'confirmed'",
    body: [suggestionBump('evidence', 'OLD', -1), suggestionBump('recurring', 'OLD', -1)],
  },
  {
    name: 'oversight_suggestions_delete',
    event: 'DELETE',
    table: 'followup_suggestions',
    when: "OLD.status = 'confirmed'",
    body: [suggestionBump('evidence', 'OLD', -1), suggestionBump('recurring', 'OLD', -1)],
  },
  {
    name: 'oversight_reports_update',
    event: 'UPDATE OF agency_id, year',
    table: 'reports',
    when: 'OLD.agency_id IS DISTINCT FROM NEW.agency_id OR OLD.year IS DISTINCT FROM NEW.year',
    body: [`UPDATE ${T} SET agency_id = NEW.agency_id, year = NEW.year WHERE report_id = NEW.id`],
  },
]

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: Kysely<any>): Promise<void> {
  let table = db.schema
    .createTable(T)
    .addColumn('report_id', 'text', c => c.notNull())
    .addColumn('unit_id', 'text', c => c.notNull())
    // '' when the task has no deadline, so the key has no NULL in it
    .addColumn('due_date', 'text', c => c.notNull())
    .addColumn('agency_id', 'text')
    .addColumn('year', 'integer')
  for (const c of [...COUNTERS, ...FLAGS]) table = table.addColumn(c, 'integer', col => col.notNull().defaultTo(0))
  await table.addPrimaryKeyConstraint(`${T}_pk`, ['report_id', 'unit_id', 'due_date']).execute()
  await db.schema.createIndex(`${T}_year_idx`).on(T).columns(['year', 'agency_id']).execute()

  // Lookups the triggers and the oversight pages make.
  await db.schema.createIndex('followup_suggestions_later_item_idx').on('followup_suggestions').column('later_item_id').execute()
  await db.schema.createIndex('reports_year_agency_idx').on('reports').columns(['year', 'agency_id', 'unit_id', 'status']).execute()
  await db.schema.createIndex('report_items_report_kind_idx').on('report_items').columns(['report_id', 'kind']).execute()
  await db.schema.createIndex('task_events_type_idx').on('task_events').columns(['type', 'task_id']).execute()

  // Existing tasks, counted once.
  const flags = flagOf('t')
  await sql
    .raw(
      `INSERT INTO ${T} (report_id, unit_id, due_date, agency_id, year, ${[...COUNTERS, ...FLAGS].join(', ')})
       SELECT t.report_id, t.unit_id, coalesce(t.due_date, ''), max(r.agency_id), max(r.year),
         ${KINDS.flatMap(k => STATUSES.map(s => `sum(CASE WHEN t.kind = '${k}' AND t.status = '${s}' THEN 1 ELSE 0 END)`)).join(', ')},
         ${FLAGS.map(f => `sum(CASE WHEN ${flags[f]} THEN 1 ELSE 0 END)`).join(', ')}
       FROM tasks t JOIN reports r ON r.id = t.report_id
       GROUP BY t.report_id, t.unit_id, coalesce(t.due_date, '')`,
    )
    .execute(db)

  const pg = isPostgres(db)
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
  for (const i of [
    'task_events_type_idx',
    'report_items_report_kind_idx',
    'reports_year_agency_idx',
    'followup_suggestions_later_item_idx',
  ])
    await db.schema.dropIndex(i).ifExists().execute()
  await db.schema.dropTable(T).ifExists().execute()
}
