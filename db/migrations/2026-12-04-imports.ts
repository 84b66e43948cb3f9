import type { Kysely } from 'kysely'

// Batch import (npm run import, the .zip upload): one row per import, one row per file in it. A file
// that was stored points at its report (new or an earlier identical one); a file refused before
// storing (too large) has no report and says why. Progress is counted from these rows joined to the
// reports' status, so it survives restarts and is the same for the CLI and the page.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_batches')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('source', 'text', c => c.notNull())
    .addColumn('unit_id', 'text', c => c.notNull().references('units.id'))
    .addColumn('created_by', 'text', c => c.references('users.id'))
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('total_files', 'integer', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('stored_at', 'text')
    .execute()
  await db.schema.createIndex('import_batches_unit_idx').on('import_batches').columns(['unit_id', 'created_at']).execute()
  await db.schema
    .createTable('import_batch_items')
    .addColumn('batch_id', 'text', c => c.notNull().references('import_batches.id'))
    .addColumn('seq', 'integer', c => c.notNull())
    .addColumn('path', 'text', c => c.notNull())
    .addColumn('size_bytes', 'integer', c => c.notNull())
    .addColumn('report_id', 'text', c => c.references('reports.id'))
    .addColumn('duplicate', 'integer', c => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .addPrimaryKeyConstraint('import_batch_items_pk', ['batch_id', 'seq'])
    .execute()
  await db.schema.createIndex('import_batch_items_report_idx').on('import_batch_items').column('report_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_batch_items').execute()
  await db.schema.dropTable('import_batches').execute()
}
