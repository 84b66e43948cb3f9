import type { Kysely } from 'kysely'

// Group-robot webhooks per unit (DingTalk, WeCom): workflow events of a unit's tasks are posted to
// its groups. Their messages go through the email outbox (same claim, retry and ops page), as rows
// of another channel; such a row has no notification, so it carries its own unique business key.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('unit_webhooks')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('unit_id', 'text', c => c.notNull().references('units.id'))
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('url', 'text', c => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('active', 'integer', c => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('unit_webhooks_unit_idx').on('unit_webhooks').column('unit_id').execute()
  await db.schema
    .alterTable('email_outbox')
    .addColumn('channel', 'text', c => c.notNull().defaultTo('email'))
    .execute()
  await db.schema.alterTable('email_outbox').addColumn('dedupe_key', 'text').execute()
  await db.schema.createIndex('email_outbox_dedupe_idx').on('email_outbox').column('dedupe_key').unique().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('email_outbox_dedupe_idx').ifExists().execute()
  await db.schema.alterTable('email_outbox').dropColumn('dedupe_key').execute()
  await db.schema.alterTable('email_outbox').dropColumn('channel').execute()
  await db.schema.dropTable('unit_webhooks').execute()
}
