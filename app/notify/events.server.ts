// Workflow events become notices here: called by writeEvent (app/tasks/workflow.server.ts) inside
// the event's own transaction, so an event and its notices commit together or not at all. The
// planning (who, what words) is app/notify/events.ts; recording is app/notify/record.server.ts;
// a unit's group robots get one message per event (app/notify/webhook.server.ts).
import type { Transaction } from 'kysely'
import type { DB } from '../../db/db'
import type { Database } from '../../db/schema'
import { supervisorsOver } from '../org/org.server'
import {
  eventNeedsSupervisors,
  eventNotifies,
  planConfirmNotices,
  planEventBroadcast,
  planEventNotices,
  type AssignedTask,
  type EventFacts,
} from './events'
import { appUrl } from './links'
import { recordNotices, type RecordResult } from './record.server'
import { queueRobotMessages } from './webhook.server'

type Trx = Transaction<Database> | DB

const NOTHING: RecordResult = { recorded: 0, emails: 0 }

async function userName(trx: Trx, userId: string | null): Promise<string | null> {
  if (!userId) return null
  const row = await trx.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst()
  return row?.display_name ?? null
}
const actorName = userName

/** Records the notices of one task event just written (`at` is the event's time). */
export async function recordEventNotices(
  trx: Trx,
  taskId: string,
  event: Omit<EventFacts, 'actorName'>,
  at: string,
): Promise<RecordResult> {
  if (!eventNotifies(event.type)) return NOTHING
  const task = await trx
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .select(['tasks.id', 'tasks.title', 'tasks.owner_id', 'tasks.due_date', 'tasks.unit_id', 'units.path'])
    .where('tasks.id', '=', taskId)
    .executeTakeFirst()
  if (!task) return NOTHING
  const supervisorIds = eventNeedsSupervisors(event.type) ? await supervisorsOver(trx, task.path) : []
  const facts = { ...event, actorName: await actorName(trx, event.actorId) }
  const taskFacts = { id: task.id, title: task.title, ownerId: task.owner_id, dueDate: task.due_date, supervisorIds }
  const baseUrl = appUrl()
  const result = await recordNotices(trx, planEventNotices(facts, taskFacts), { now: at, baseUrl })
  // The unit's group robots (if it has any) get the event once each, naming the owner.
  const broadcast = planEventBroadcast(facts, taskFacts, await userName(trx, task.owner_id))
  if (broadcast) await queueRobotMessages(trx, task.unit_id, { ...broadcast, dedupeKey: `event:${event.id}` }, { now: at, baseUrl })
  return result
}

/** After a report's confirmation created tasks with owners: one notice per owner for all of theirs. */
export async function recordConfirmNotices(
  trx: Trx,
  report: { id: string; agency: string | null; year: number | null },
  tasks: readonly AssignedTask[],
  actorId: string,
  at: string,
): Promise<RecordResult> {
  if (!tasks.length) return NOTHING
  return recordNotices(trx, planConfirmNotices(report, tasks, { id: actorId, name: await actorName(trx, actorId) }), { now: at })
}
