// Database rows → the API's camelCase JSON. One shape per resource, used by every endpoint.
import type { TaskRow } from '../tasks/queries.server'

const parseJson = (s: string | null): unknown => {
  if (s === null) return null
  try {
    return JSON.parse(s)
  } catch {
    return s
  }
}

type PresentableTask = Pick<
  TaskRow,
  | 'id'
  | 'report_id'
  | 'item_id'
  | 'kind'
  | 'title'
  | 'text'
  | 'status'
  | 'unit_id'
  | 'unit_name'
  | 'owner_id'
  | 'owner_name'
  | 'due_date'
  | 'priority'
  | 'progress'
  | 'overdueDays'
  | 'agency_name'
  | 'report_year'
  | 'created_at'
  | 'updated_at'
  | 'closed_at'
  | 'returnedReason'
>

export function presentTask(t: PresentableTask) {
  return {
    id: t.id,
    reportId: t.report_id,
    itemId: t.item_id,
    kind: t.kind,
    title: t.title,
    text: t.text,
    status: t.status,
    // 已退回 is derived (status stays 'in_progress'): the reason while the task is returned, else null.
    returnReason: t.returnedReason,
    unitId: t.unit_id,
    unitName: t.unit_name,
    ownerId: t.owner_id,
    ownerName: t.owner_name,
    dueDate: t.due_date,
    priority: t.priority,
    progress: t.progress,
    overdueDays: t.overdueDays,
    agency: t.agency_name,
    year: t.report_year,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
    closedAt: t.closed_at,
  }
}

export function presentEvent(e: {
  id: string
  type: string
  before: string | null
  after: string | null
  note: string | null
  created_at: string
  actor_name: string | null
}) {
  return {
    id: e.id,
    type: e.type,
    actor: e.actor_name,
    before: parseJson(e.before),
    after: parseJson(e.after),
    note: e.note,
    createdAt: e.created_at,
  }
}

export function presentEvidence(e: {
  id: string
  kind: string
  filename: string | null
  mime: string | null
  size_bytes: number | null
  url: string | null
  title: string | null
  created_at: string
}) {
  return {
    id: e.id,
    kind: e.kind,
    filename: e.filename,
    mime: e.mime,
    sizeBytes: e.size_bytes,
    url: e.url,
    title: e.title,
    createdAt: e.created_at,
  }
}

export function presentItem(i: {
  id: string
  seq: number
  kind: string
  title: string
  text: string
  start_offset: number
  end_offset: number
  due_date: string | null
}) {
  return { id: i.id, seq: i.seq, kind: i.kind, title: i.title, text: i.text, start: i.start_offset, end: i.end_offset, dueDate: i.due_date }
}
