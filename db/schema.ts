// One Database interface for SQLite and PostgreSQL. Ids are text made by the app, timestamps ISO
// strings, booleans 0/1 integers, JSON as text: the same rows on both engines.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

export type Role = 'admin' | 'supervisor' | 'staff' | 'oversight'
export type ReportStatus = 'queued' | 'processing' | 'extracted' | 'failed' | 'confirmed'
export type TaskStatus = 'unassigned' | 'in_progress' | 'pending_review' | 'closed' | 'ongoing' | 'cancelled'

export interface UnitTable {
  id: string
  name: string
  parent_id: string | null
  /** Materialised path of ids, "/root/child/", so a subtree is `path LIKE '/root/%'`. */
  path: string
  created_at: string
}

export interface UserTable {
  id: string
  username: string
  display_name: string
  email: string | null
  password_hash: string
  role: Role
  unit_id: string
  active: Generated<number>
  /** 1: notices also by email (when the user has an address); 0: in the app only. Set by the user in 设置. */
  email_notifications: Generated<number>
  created_at: string
}

export interface SessionTable {
  id: string
  user_id: string
  expires_at: string
  created_at: string
}

export interface LoginAttemptTable {
  id: string
  username: string
  ip: string
  success: number
  created_at: string
}

export interface AgencyTable {
  id: string
  name: string
  normalized_name: string
  unit_id: string | null
  created_at: string
}

export interface AgencyAliasTable {
  id: string
  agency_id: string
  alias: string
  normalized_alias: string
  /** 'auto': attached by the name match at extraction; 'admin': merged or moved by an administrator. */
  source: AgencyAliasSource
  created_at: string
}

export type AgencyAliasSource = 'auto' | 'admin'

/** Two agencies an administrator split apart: never matched or linked as one again (agency_a < agency_b). */
export interface AgencyDistinctTable {
  agency_a: string
  agency_b: string
  decided_by: string | null
  created_at: string
}

export interface ReportTable {
  id: string
  filename: string
  format: string | null
  size_bytes: number
  sha256: string
  encoding: string | null
  /** Decoded document text; item offsets point into it. Null until decoded. */
  text: string | null
  status: ReportStatus
  error: string | null
  attempts: Generated<number>
  agency_id: string | null
  agency_name: string | null
  year: number | null
  /** The extractor's confidence in the agency and the year (0–1), null when not extracted or set by a person. */
  agency_confidence: number | null
  year_confidence: number | null
  /** JSON [{kind, start, end}]: the problems/plans sections the items were read from (offsets into text). */
  sections: string | null
  published_at: string | null
  title: string | null
  unit_id: string
  uploaded_by: string | null
  created_at: string
  updated_at: string
  processed_at: string | null
  /** When the follow-up step (prior-year reminders, linking) last finished; null while it is due. */
  followup_done_at: ColumnType<string | null, string | null | undefined, string | null>
  /** Bumped by every request to run the follow-up again (extraction, agency merge or split). */
  followup_generation: Generated<number>
}

/** The uploaded bytes, kept in the database so any worker process can decode them. */
export interface ReportSourceTable {
  report_id: string
  bytes: Buffer
}

export interface LoginThrottleTable {
  /** "pair:<username>|<address>" or "addr:<address>" */
  key: string
  failures: number
  blocked_until: string | null
  updated_at: string
}

export interface ReportItemTable {
  id: string
  report_id: string
  seq: number
  kind: 'problem' | 'plan'
  title: string
  text: string
  start_offset: number
  end_offset: number
  /** JSON array of item seqs this plan answers. */
  answers: string
  due_date: string | null
  /** The extractor's confidence (0–1); null for an item a person added or changed. */
  confidence: number | null
  /** Set during review; copied to the task on confirmation. */
  unit_id: string | null
  owner_id: string | null
  priority: Generated<string>
  /** Bumped by every change of the content (edit, merge, split), so a stale editor cannot overwrite a newer one. */
  version: Generated<number>
  created_at: string
}

export interface TaskTable {
  id: string
  report_id: string
  item_id: string
  kind: 'problem' | 'plan'
  title: string
  text: string
  unit_id: string
  owner_id: string | null
  due_date: string | null
  priority: string
  status: TaskStatus
  progress: Generated<number>
  /** Bumped whenever the deadline changes, so reminders are keyed per deadline version. */
  deadline_version: Generated<number>
  created_by: string | null
  created_at: string
  updated_at: string
  closed_at: string | null
}

export interface TaskEventTable {
  id: string
  task_id: string
  actor_id: string | null
  type: string
  /** JSON of the changed fields before and after. */
  before: string | null
  after: string | null
  note: string | null
  created_at: string
}

export interface NotificationTable {
  id: string
  user_id: string
  task_id: string | null
  kind: string
  title: string
  body: string
  /** Business key: one notification per key, whatever retries happen. */
  dedupe_key: string
  read_at: string | null
  created_at: string
}

export interface TaskExtensionTable {
  id: string
  task_id: string
  requested_by: string
  old_due_date: string | null
  new_due_date: string
  reason: string
  status: 'pending' | 'approved' | 'refused'
  decided_by: string | null
  decision_note: string | null
  created_at: string
  decided_at: string | null
}

export interface TaskEvidenceTable {
  id: string
  task_id: string
  kind: 'file' | 'link'
  filename: string | null
  mime: string | null
  size_bytes: number | null
  sha256: string | null
  url: string | null
  title: string | null
  uploaded_by: string
  created_at: string
}

export interface ApiTokenTable {
  id: string
  user_id: string
  name: string
  /** sha256 of the token; the token itself is shown once and never stored. */
  token_hash: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

export interface EmailOutboxTable {
  id: string
  notification_id: string | null
  user_id: string | null
  to_address: string
  subject: string
  body_text: string
  /** pending → sending (claimed by one sender) → sent; or back to pending for a retry; failed when it gives up. */
  status: 'pending' | 'sending' | 'sent' | 'failed'
  attempts: Generated<number>
  next_attempt_at: string
  last_error: string | null
  created_at: string
  sent_at: string | null
  /** While 'sending': the claim's lease; after it a dead sender's row may be taken again. */
  claimed_until: Generated<string | null>
  claimed_by: Generated<string | null>
  /** 'email' (to_address is an address), or a group robot (to_address is a unit_webhooks id). */
  channel: Generated<OutboxChannel>
  /** Business key of a row without a notification (a robot message): one row per key. */
  dedupe_key: string | null
}

export type RobotKind = 'dingtalk' | 'wecom'
export type OutboxChannel = 'email' | RobotKind

/** A unit's group robot: its workflow events are posted there (app/notify/webhook.ts). */
export interface UnitWebhookTable {
  id: string
  unit_id: string
  kind: RobotKind
  /** The robot's webhook address as the group settings show it (DingTalk: …/robot/send?access_token=…; WeCom: …/webhook/send?key=…). */
  url: string
  /** DingTalk "加签" secret (SEC…); null when the robot is not signed. WeCom does not sign. */
  secret: string | null
  active: Generated<number>
  created_at: string
}

export interface WorkerHeartbeatTable {
  worker_id: string
  kind: string
  pid: number | null
  host: string | null
  started_at: string
  last_seen_at: string
  /** JSON: e.g. last sweep time and counts. */
  info: string | null
}

export interface ReportLinkTable {
  earlier_report_id: string
  later_report_id: string
  score: number
  created_at: string
}

export interface FollowupSuggestionTable {
  id: string
  /** kind:earlierItem:laterReport:laterItem-or-offset — one suggestion per finding, however often linking runs. */
  dedupe_key: string
  kind: 'evidence' | 'recurring'
  earlier_report_id: string
  later_report_id: string
  earlier_item_id: string
  later_item_id: string | null
  passage: string | null
  start_offset: number | null
  end_offset: number | null
  score: number
  status: 'pending' | 'confirmed' | 'rejected'
  decided_by: string | null
  decided_at: string | null
  created_at: string
}

export interface SettingTable {
  key: string
  value: string
}

/**
 * Task counts kept by database triggers (migration 2026-12-01): one row per (report, responsible
 * unit, deadline), so the oversight overview sums thousands of rows instead of reading every task.
 */
export interface OversightTaskRollupTable {
  report_id: string
  unit_id: string
  /** '' when the tasks have no deadline. */
  due_date: string
  /** Copied from the report (kept in step by a trigger). */
  agency_id: string | null
  year: number | null
  plan_unassigned: number
  plan_in_progress: number
  plan_pending_review: number
  plan_closed: number
  plan_ongoing: number
  plan_cancelled: number
  problem_unassigned: number
  problem_in_progress: number
  problem_pending_review: number
  problem_closed: number
  problem_ongoing: number
  problem_cancelled: number
  /** Tasks returned (退回) at least once. */
  returned: number
  /** Tasks whose item has confirmed evidence of completion in a later report. */
  evidenced: number
  /** Tasks whose item is a confirmed recurrence of an earlier year's problem. */
  recurring: number
}

/** The rollup summed per (agency, year, unit) (migration 2026-12-06); agency '' when unknown. */
export type OversightAgencyYearTable = Omit<OversightTaskRollupTable, 'report_id' | 'due_date' | 'agency_id' | 'year'> & {
  agency_id: string
  year: number
}

/** Open tasks (待分派/进行中/待核验) per (agency, year, unit, deadline), only while there are some. */
export interface OversightOpenDueTable {
  agency_id: string
  year: number
  unit_id: string
  due_date: string
  open: number
}

/**
 * What search finds (migration 2026-12-03), one table per kind (search_docs_report, _item, _task),
 * kept by triggers on reports, report_items and tasks: every report, every task, and each item while
 * it has no task yet. SQLite indexes each with an FTS5 trigram table (search_fts_<kind>, rowid =
 * doc_id); PostgreSQL with pg_trgm GIN indexes on title and body.
 */
export interface SearchDocumentTable {
  /** Grows with every new document: the newest first is doc_id descending. */
  doc_id: Generated<number>
  /** The report, item or task. */
  ref_id: string
  title: string
  body: string
  /** Copies of what search filters on (kept by the triggers): the responsible unit (a report's and its items': the report's), the report's year, and a task's status and owner. */
  unit_id: string | null
  year: number | null
  status: string | null
  owner_id: string | null
}

export type SearchKind = 'report' | 'item' | 'task'

/** One batch import (migration 2026-12-04): `storing` while files are read and stored, then `stored`. */
export interface ImportBatchTable {
  id: string
  /** The directory or .zip name, as shown on the page. */
  source: string
  unit_id: string
  created_by: string | null
  status: 'storing' | 'stored'
  total_files: number
  created_at: string
  stored_at: string | null
}

/** One file of a batch: its report (new, or the earlier identical one when `duplicate`), or why it was refused. */
export interface ImportBatchItemTable {
  batch_id: string
  seq: number
  path: string
  size_bytes: number
  report_id: string | null
  duplicate: number
  error: string | null
  created_at: string
}

/** A report's progress published on a public page (/p/<token>) until withdrawn (migration 2026-12-10). */
export interface ReportPublicationTable {
  id: string
  report_id: string
  /** Unguessable (32 random bytes, base64url): the only thing the public page reveals of the record. */
  token: string
  published_by: string | null
  published_at: string
  withdrawn_by: string | null
  withdrawn_at: string | null
}

/** A report's own timeline (published, withdrawn), as task_events is a task's. */
export interface ReportEventTable {
  id: string
  report_id: string
  actor_id: string | null
  type: string
  /** JSON of what the event set. */
  after: string | null
  created_at: string
}

export interface Database {
  units: UnitTable
  users: UserTable
  sessions: SessionTable
  login_attempts: LoginAttemptTable
  login_throttle: LoginThrottleTable
  agencies: AgencyTable
  agency_aliases: AgencyAliasTable
  agency_distinct: AgencyDistinctTable
  reports: ReportTable
  report_sources: ReportSourceTable
  report_items: ReportItemTable
  tasks: TaskTable
  task_events: TaskEventTable
  notifications: NotificationTable
  settings: SettingTable
  task_extensions: TaskExtensionTable
  task_evidence: TaskEvidenceTable
  api_tokens: ApiTokenTable
  email_outbox: EmailOutboxTable
  unit_webhooks: UnitWebhookTable
  worker_heartbeats: WorkerHeartbeatTable
  report_links: ReportLinkTable
  followup_suggestions: FollowupSuggestionTable
  oversight_task_rollup: OversightTaskRollupTable
  oversight_agency_year: OversightAgencyYearTable
  oversight_open_due: OversightOpenDueTable
  search_docs_report: SearchDocumentTable
  search_docs_item: SearchDocumentTable
  search_docs_task: SearchDocumentTable
  import_batches: ImportBatchTable
  import_batch_items: ImportBatchItemTable
  report_publications: ReportPublicationTable
  report_events: ReportEventTable
}

export type Unit = Selectable<UnitTable>
export type User = Selectable<UserTable>
export type NewUser = Insertable<UserTable>
export type Report = Selectable<ReportTable>
export type ReportItem = Selectable<ReportItemTable>
export type Task = Selectable<TaskTable>
export type TaskUpdate = Updateable<TaskTable>
export type TaskEvent = Selectable<TaskEventTable>
export type Notification = Selectable<NotificationTable>
export type TaskExtension = Selectable<TaskExtensionTable>
export type TaskEvidence = Selectable<TaskEvidenceTable>
export type EmailOutboxRow = Selectable<EmailOutboxTable>
