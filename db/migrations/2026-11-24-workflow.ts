import type { Kysely } from 'kysely'

// Workflow: deadline extensions, evidence, personal API tokens, item review fields.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('task_extensions')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('task_id', 'text', c => c.notNull().references('tasks.id'))
    .addColumn('requested_by', 'text', c => c.notNull().references('users.id'))
    .addColumn('old_due_date', 'text')
    .addColumn('new_due_date', 'text', c => c.notNull())
    .addColumn('reason', 'text', c => c.notNull())
    .addColumn('status', 'text', c => c.notNull()) // pending | approved | refused
    .addColumn('decided_by', 'text', c => c.references('users.id'))
    .addColumn('decision_note', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('decided_at', 'text')
    .execute()
  await db.schema.createIndex('task_extensions_task_idx').on('task_extensions').columns(['task_id', 'status']).execute()

  await db.schema
    .createTable('task_evidence')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('task_id', 'text', c => c.notNull().references('tasks.id'))
    .addColumn('kind', 'text', c => c.notNull()) // file | link
    .addColumn('filename', 'text')
    .addColumn('mime', 'text')
    .addColumn('size_bytes', 'integer')
    .addColumn('sha256', 'text')
    .addColumn('url', 'text')
    .addColumn('title', 'text')
    .addColumn('uploaded_by', 'text', c => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('task_evidence_task_idx').on('task_evidence').column('task_id').execute()

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('user_id', 'text', c => c.notNull().references('users.id'))
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('token_hash', 'text', c => c.notNull().unique())
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['api_tokens', 'task_evidence', 'task_extensions']) await db.schema.dropTable(t).ifExists().execute()
}
