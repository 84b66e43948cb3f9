import type { Kysely } from 'kysely'

// How sure the extractor was (issue 16): each item's confidence (0–1; null for an item a person
// added or changed), the agency's and the year's, and the sections the items were read from (JSON
// [{kind, start, end}] in the report text), so the review page can show what no item covers.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_items').addColumn('confidence', 'real').execute()
  await db.schema.alterTable('reports').addColumn('agency_confidence', 'real').execute()
  await db.schema.alterTable('reports').addColumn('year_confidence', 'real').execute()
  await db.schema.alterTable('reports').addColumn('sections', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_items').dropColumn('confidence').execute()
  for (const c of ['agency_confidence', 'year_confidence', 'sections']) await db.schema.alterTable('reports').dropColumn(c).execute()
}
