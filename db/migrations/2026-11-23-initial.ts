import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Portable types only: text ids and ISO timestamps, integer flags, a binary column for sources.
export async function up(db: Kysely<any>): Promise<void> {
  // The only type that differs between the engines: raw bytes.
  const blob = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob'

  await db.schema
    .createTable('units')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('parent_id', 'text', c => c.references('units.id'))
    .addColumn('path', 'text', c => c.notNull().unique())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('username', 'text', c => c.notNull().unique())
    .addColumn('display_name', 'text', c => c.notNull())
    .addColumn('email', 'text')
    .addColumn('password_hash', 'text', c => c.notNull())
    .addColumn('role', 'text', c => c.notNull())
    .addColumn('unit_id', 'text', c => c.notNull().references('units.id'))
    .addColumn('active', 'integer', c => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('user_id', 'text', c => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('expires_at', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute()

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('username', 'text', c => c.notNull())
    .addColumn('ip', 'text', c => c.notNull())
    .addColumn('success', 'integer', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('login_attempts_user_idx').on('login_attempts').columns(['username', 'created_at']).execute()
  await db.schema.createIndex('login_attempts_ip_idx').on('login_attempts').columns(['ip', 'created_at']).execute()

  await db.schema
    .createTable('agencies')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('normalized_name', 'text', c => c.notNull().unique())
    .addColumn('unit_id', 'text', c => c.references('units.id'))
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()

  await db.schema
    .createTable('agency_aliases')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('agency_id', 'text', c => c.notNull().references('agencies.id').onDelete('cascade'))
    .addColumn('alias', 'text', c => c.notNull())
    .addColumn('normalized_alias', 'text', c => c.notNull().unique())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('filename', 'text', c => c.notNull())
    .addColumn('format', 'text')
    .addColumn('size_bytes', 'integer', c => c.notNull())
    .addColumn('sha256', 'text', c => c.notNull().unique())
    .addColumn('encoding', 'text')
    .addColumn('text', 'text')
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('agency_id', 'text', c => c.references('agencies.id'))
    .addColumn('agency_name', 'text')
    .addColumn('year', 'integer')
    .addColumn('published_at', 'text')
    .addColumn('title', 'text')
    .addColumn('unit_id', 'text', c => c.notNull().references('units.id'))
    .addColumn('uploaded_by', 'text', c => c.references('users.id'))
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .addColumn('processed_at', 'text')
    .execute()
  await db.schema.createIndex('reports_status_idx').on('reports').column('status').execute()
  await db.schema.createIndex('reports_unit_idx').on('reports').columns(['unit_id', 'created_at']).execute()

  await db.schema
    .createTable('report_sources')
    .addColumn('report_id', 'text', c => c.primaryKey().references('reports.id').onDelete('cascade'))
    .addColumn('bytes', sql.raw(blob), c => c.notNull())
    .execute()

  await db.schema
    .createTable('report_items')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('report_id', 'text', c => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('seq', 'integer', c => c.notNull())
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('title', 'text', c => c.notNull())
    .addColumn('text', 'text', c => c.notNull())
    .addColumn('start_offset', 'integer', c => c.notNull())
    .addColumn('end_offset', 'integer', c => c.notNull())
    .addColumn('answers', 'text', c => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .addUniqueConstraint('report_items_report_seq_uq', ['report_id', 'seq'])
    .execute()

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('report_id', 'text', c => c.notNull().references('reports.id'))
    .addColumn('item_id', 'text', c => c.notNull().unique())
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('title', 'text', c => c.notNull())
    .addColumn('text', 'text', c => c.notNull())
    .addColumn('unit_id', 'text', c => c.notNull().references('units.id'))
    .addColumn('owner_id', 'text', c => c.references('users.id'))
    .addColumn('due_date', 'text')
    .addColumn('priority', 'text', c => c.notNull().defaultTo('normal'))
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('progress', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('deadline_version', 'integer', c => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', c => c.references('users.id'))
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .addColumn('closed_at', 'text')
    .execute()
  await db.schema.createIndex('tasks_owner_idx').on('tasks').columns(['owner_id', 'status']).execute()
  await db.schema.createIndex('tasks_unit_idx').on('tasks').columns(['unit_id', 'status']).execute()
  await db.schema.createIndex('tasks_report_idx').on('tasks').column('report_id').execute()

  await db.schema
    .createTable('task_events')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('task_id', 'text', c => c.notNull().references('tasks.id'))
    .addColumn('actor_id', 'text', c => c.references('users.id'))
    .addColumn('type', 'text', c => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('task_events_task_idx').on('task_events').columns(['task_id', 'created_at']).execute()

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('user_id', 'text', c => c.notNull().references('users.id'))
    .addColumn('task_id', 'text', c => c.references('tasks.id'))
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('title', 'text', c => c.notNull())
    .addColumn('body', 'text', c => c.notNull())
    .addColumn('dedupe_key', 'text', c => c.notNull().unique())
    .addColumn('read_at', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'read_at']).execute()

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', c => c.primaryKey())
    .addColumn('value', 'text', c => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'settings',
    'notifications',
    'task_events',
    'tasks',
    'report_items',
    'report_sources',
    'reports',
    'agency_aliases',
    'agencies',
    'login_attempts',
    'sessions',
    'users',
    'units',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}
