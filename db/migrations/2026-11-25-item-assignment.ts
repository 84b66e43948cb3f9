import type { Kysely } from 'kysely'

// Review: the supervisor sets unit, owner and priority on each item before confirming.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_items').addColumn('unit_id', 'text').execute()
  await db.schema.alterTable('report_items').addColumn('owner_id', 'text').execute()
  await db.schema
    .alterTable('report_items')
    .addColumn('priority', 'text', c => c.notNull().defaultTo('normal'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['priority', 'owner_id', 'unit_id']) await db.schema.alterTable('report_items').dropColumn(c).execute()
}
