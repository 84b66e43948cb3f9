import type { Kysely } from 'kysely'

// Each user's notification channels (设置): in-app notices always; email on or off (on by default,
// as before). Group robots are per unit (unit_webhooks), not per user.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('email_notifications', 'integer', c => c.notNull().defaultTo(1))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('email_notifications').execute()
}
