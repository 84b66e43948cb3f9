import type { Kysely } from 'kysely'

// Agency matching that learns from the administrator: where each alias came from, the pairs of
// agencies an administrator split apart (never matched again), and the follow-up step (prior-year
// reminders + linking) as its own job, tracked on the report so a crash never loses it.
export async function up(db: Kysely<any>): Promise<void> {
  // 'auto': attached by the name match at extraction; 'admin': merged or moved by an administrator.
  await db.schema
    .alterTable('agency_aliases')
    .addColumn('source', 'text', c => c.notNull().defaultTo('admin'))
    .execute()
  await db.schema.createIndex('agency_aliases_agency_idx').on('agency_aliases').column('agency_id').execute()
  await db.schema.createIndex('reports_agency_year_idx').on('reports').columns(['agency_id', 'year']).execute()

  await db.schema
    .createTable('agency_distinct')
    // the pair is stored once, smaller id first
    .addColumn('agency_a', 'text', c => c.notNull().references('agencies.id').onDelete('cascade'))
    .addColumn('agency_b', 'text', c => c.notNull().references('agencies.id').onDelete('cascade'))
    .addColumn('decided_by', 'text', c => c.references('users.id'))
    .addColumn('created_at', 'text', c => c.notNull())
    .addPrimaryKeyConstraint('agency_distinct_pk', ['agency_a', 'agency_b'])
    .execute()
  await db.schema.createIndex('agency_distinct_b_idx').on('agency_distinct').column('agency_b').execute()

  // followup_done_at null = the follow-up step is still to run; followup_generation is bumped by
  // every request (extraction, merge, split) so a step that ran on stale data does not mark it done.
  await db.schema.alterTable('reports').addColumn('followup_done_at', 'text').execute()
  await db.schema
    .alterTable('reports')
    .addColumn('followup_generation', 'integer', c => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createIndex('reports_followup_due_idx').on('reports').columns(['followup_done_at', 'status']).execute()
  // Reports extracted before this migration had their follow-up run inline at extraction.
  await db
    .updateTable('reports')
    .set(eb => ({ followup_done_at: eb.ref('updated_at') }))
    .where('status', 'in', ['extracted', 'confirmed'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reports_followup_due_idx').ifExists().execute()
  await db.schema.alterTable('reports').dropColumn('followup_generation').execute()
  await db.schema.alterTable('reports').dropColumn('followup_done_at').execute()
  await db.schema.dropTable('agency_distinct').ifExists().execute()
  await db.schema.dropIndex('reports_agency_year_idx').ifExists().execute()
  await db.schema.dropIndex('agency_aliases_agency_idx').ifExists().execute()
  await db.schema.alterTable('agency_aliases').dropColumn('source').execute()
}
