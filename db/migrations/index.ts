// In-code migration list (works the same under tsx, vitest and the Remix build). Names sort by date.
import type { Migration } from 'kysely'
import * as initial from './2026-11-23-initial'
import * as workflow from './2026-11-24-workflow'
import * as itemAssignment from './2026-11-25-item-assignment'
import * as reminders from './2026-11-26-reminders'
import * as outboxClaim from './2026-11-27-outbox-claim'
import * as reminderSweep from './2026-11-28-reminder-sweep'
import * as followup from './2026-11-29-followup'
import * as agencyMatching from './2026-11-30-agency-matching'
import * as oversightIndexes from './2026-12-01-oversight-indexes'
import * as notificationWrites from './2026-12-02-notification-writes'
import * as search from './2026-12-03-search'
import * as imports from './2026-12-04-imports'
import * as searchByKind from './2026-12-05-search-by-kind'
import * as oversightAgencyYear from './2026-12-06-oversight-agency-year'
import * as reportLookups from './2026-12-07-report-lookups'
import * as extractionConfidence from './2026-12-08-extraction-confidence'
import * as loginThrottle from './2026-12-08-login-throttle'
import * as unitWebhooks from './2026-12-09-unit-webhooks'
import * as duplicatesPerUnit from './2026-12-10-duplicates-per-unit'
import * as itemVersion from './2026-12-10-item-version'
import * as publicPages from './2026-12-10-public-pages'
import * as notificationChannels from './2026-12-11-notification-channels'

export const migrations: Record<string, Migration> = {
  '2026-11-23-initial': initial,
  '2026-11-24-workflow': workflow,
  '2026-11-25-item-assignment': itemAssignment,
  '2026-11-26-reminders': reminders,
  '2026-11-27-outbox-claim': outboxClaim,
  '2026-11-28-reminder-sweep': reminderSweep,
  '2026-11-29-followup': followup,
  '2026-11-30-agency-matching': agencyMatching,
  '2026-12-01-oversight-indexes': oversightIndexes,
  '2026-12-02-notification-writes': notificationWrites,
  '2026-12-03-search': search,
  '2026-12-04-imports': imports,
  '2026-12-05-search-by-kind': searchByKind,
  '2026-12-06-oversight-agency-year': oversightAgencyYear,
  '2026-12-07-report-lookups': reportLookups,
  '2026-12-08-extraction-confidence': extractionConfidence,
  '2026-12-08-login-throttle': loginThrottle,
  '2026-12-09-unit-webhooks': unitWebhooks,
  '2026-12-10-duplicates-per-unit': duplicatesPerUnit,
  '2026-12-10-item-version': itemVersion,
  '2026-12-10-public-pages': publicPages,
  '2026-12-11-notification-channels': notificationChannels,
}
