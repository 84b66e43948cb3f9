import type { Kysely } from 'kysely'

// Reminders and delivery: the email outbox, worker heartbeats, and a per-notification deadline version.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'text', c => c.primaryKey())
    // One email per notification at most (null for emails that are not notifications).
    .addColumn('notification_id', 'text', c => c.unique().references('notifications.id'))
    .addColumn('user_id', 'text', c => c.references('users.id'))
    .addColumn('to_address', 'text', c => c.notNull())
    .addColumn('subject', 'text', c => c.notNull())
    .addColumn('body_text', 'text', c => c.notNull())
    .addColumn('status', 'text', c => c.notNull()) // pending | sent | failed
    .addColumn('attempts', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', c => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('sent_at', 'text')
    .execute()
  await db.schema.createIndex('email_outbox_due_idx').on('email_outbox').columns(['status', 'next_attempt_at']).execute()

  await db.schema
    .createTable('worker_heartbeats')
    .addColumn('worker_id', 'text', c => c.primaryKey())
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('pid', 'integer')
    .addColumn('host', 'text')
    .addColumn('started_at', 'text', c => c.notNull())
    .addColumn('last_seen_at', 'text', c => c.notNull())
    .addColumn('info', 'text')
    .execute()

  await db.schema.createIndex('tasks_due_idx').on('tasks').columns(['status', 'due_date']).execute()
  await db.schema.createIndex('notifications_task_idx').on('notifications').column('task_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_task_idx').ifExists().execute()
  await db.schema.dropIndex('tasks_due_idx').ifExists().execute()
  await db.schema.dropTable('worker_heartbeats').ifExists().execute()
  await db.schema.dropTable('email_outbox').ifExists().execute()
}
