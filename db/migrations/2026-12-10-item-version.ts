import type { Kysely } from 'kysely'

// A review item's version, bumped by every change of its content (edit, merge, split): an editor
// opened before a merge sends the version it was opened with, and its save is refused when the item
// has changed since, instead of overwriting the merged text.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('report_items')
    .addColumn('version', 'integer', c => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_items').dropColumn('version').execute()
}
