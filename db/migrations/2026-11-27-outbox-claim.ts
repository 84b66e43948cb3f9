import type { Kysely } from 'kysely'

// Email delivery claims: a sender takes a row by moving it to status 'sending' with a lease
// (claimed_until), so two senders never send the same email; a sender that died mid-send leaves a
// lease that expires, and the row is taken again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('email_outbox').addColumn('claimed_until', 'text').execute()
  await db.schema.alterTable('email_outbox').addColumn('claimed_by', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('email_outbox').dropColumn('claimed_by').execute()
  await db.schema.alterTable('email_outbox').dropColumn('claimed_until').execute()
}
