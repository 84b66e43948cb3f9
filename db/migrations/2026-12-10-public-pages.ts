import type { Kysely } from 'kysely'

// Public progress pages (issue 20): a supervisor publishes a report's rectification progress under
// an unguessable token, and may withdraw it; at most one live publication per report. Publishing
// and withdrawing are report events (report_events: the reports' own timeline, as task_events is
// the tasks').

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_publications')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('report_id', 'text', c => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('token', 'text', c => c.notNull().unique())
    .addColumn('published_by', 'text', c => c.references('users.id'))
    .addColumn('published_at', 'text', c => c.notNull())
    .addColumn('withdrawn_by', 'text', c => c.references('users.id'))
    .addColumn('withdrawn_at', 'text')
    .execute()
  await db.schema.createIndex('report_publications_report_idx').on('report_publications').columns(['report_id', 'withdrawn_at']).execute()
  await db.schema
    .createTable('report_events')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('report_id', 'text', c => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', c => c.references('users.id'))
    .addColumn('type', 'text', c => c.notNull())
    .addColumn('after', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('report_events_report_idx').on('report_events').columns(['report_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_events').ifExists().execute()
  await db.schema.dropTable('report_publications').ifExists().execute()
}
