import type { Kysely } from 'kysely'

// The reminder sweep re-plans only the tasks changed since its last run (within a day it has
// already planned): it finds them by updated_at.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tasks_updated_idx').on('tasks').column('updated_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tasks_updated_idx').ifExists().execute()
}
