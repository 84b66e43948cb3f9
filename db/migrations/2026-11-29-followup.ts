import type { Kysely } from 'kysely'

// Follow-up between years: which reports are the same agency's consecutive years, and the
// suggestions (evidence of a commitment done, a problem that recurs) a supervisor confirms or rejects.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_links')
    .addColumn('earlier_report_id', 'text', c => c.notNull().references('reports.id'))
    .addColumn('later_report_id', 'text', c => c.notNull().references('reports.id'))
    .addColumn('score', 'real', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addPrimaryKeyConstraint('report_links_pk', ['earlier_report_id', 'later_report_id'])
    .execute()
  await db.schema.createIndex('report_links_later_idx').on('report_links').column('later_report_id').execute()

  await db.schema
    .createTable('followup_suggestions')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('dedupe_key', 'text', c => c.notNull().unique())
    .addColumn('kind', 'text', c => c.notNull()) // evidence | recurring
    .addColumn('earlier_report_id', 'text', c => c.notNull().references('reports.id'))
    .addColumn('later_report_id', 'text', c => c.notNull().references('reports.id'))
    .addColumn('earlier_item_id', 'text', c => c.notNull())
    .addColumn('later_item_id', 'text')
    .addColumn('passage', 'text')
    .addColumn('start_offset', 'integer')
    .addColumn('end_offset', 'integer')
    .addColumn('score', 'real', c => c.notNull())
    .addColumn('status', 'text', c => c.notNull()) // pending | confirmed | rejected
    .addColumn('decided_by', 'text', c => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('followup_suggestions_later_idx').on('followup_suggestions').columns(['later_report_id', 'status']).execute()
  await db.schema.createIndex('followup_suggestions_earlier_item_idx').on('followup_suggestions').column('earlier_item_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('followup_suggestions').ifExists().execute()
  await db.schema.dropTable('report_links').ifExists().execute()
}
