import type { Kysely } from 'kysely'

// Login throttling (decision 020): one row per key — a (user, address) pair or an address — with its
// recent failures and until when it must wait. Updated by compare-and-set, so simultaneous guesses
// cannot all read the same count (they could with counts taken from login_attempts).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', c => c.primaryKey())
    .addColumn('failures', 'integer', c => c.notNull())
    .addColumn('blocked_until', 'text')
    .addColumn('updated_at', 'text', c => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_throttle').execute()
}
