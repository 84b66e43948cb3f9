// Group robots per unit: workflow events of a unit's tasks are queued, one message per robot, in
// the outbox (channel 'dingtalk' or 'wecom', keyed like a notification), and the outbox sender
// posts them with the same claim, retry and backoff as emails. The request and the reply's meaning
// are app/notify/webhook.ts's.
import type { Transaction } from 'kysely'
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import type { Database, EmailOutboxRow, RobotKind } from '../../db/schema'
import { absoluteLink } from './links'
import { robotPayload, robotReply, robotRequestUrl } from './webhook'

type Trx = Transaction<Database> | DB

export interface RobotMessage {
  title: string
  body: string
  link: string
  /** Business key of the message (the event's); each robot's row adds its own id. */
  dedupeKey: string
}

/** Adds a group robot to a unit (the admin's setting; DingTalk with 加签 takes its secret). */
export async function addUnitWebhook(db: Trx, input: { unitId: string; kind: RobotKind; url: string; secret?: string | null }): Promise<{ id: string }> {
  const url = new URL(input.url.trim())
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('webhook URL must be http(s)')
  const id = newId()
  await db.insertInto('unit_webhooks').values({ id, unit_id: input.unitId, kind: input.kind, url: url.href, secret: input.secret?.trim() || null, created_at: nowIso() }).execute()
  return { id }
}

/** Queues one message per active robot of the unit; a key already queued is skipped. Returns how many were queued. */
export async function queueRobotMessages(trx: Trx, unitId: string, message: RobotMessage, opts: { now: string; baseUrl: string }): Promise<number> {
  const robots = await trx.selectFrom('unit_webhooks').select(['id', 'kind']).where('unit_id', '=', unitId).where('active', '=', 1).execute()
  if (!robots.length) return 0
  const text = `【整改跟踪】${message.title}\n${message.body}\n查看任务：${absoluteLink(opts.baseUrl, message.link)}`
  const inserted = await trx
    .insertInto('email_outbox')
    .values(robots.map(r => ({ id: newId(), notification_id: null, user_id: null, to_address: r.id, subject: message.title, body_text: text, status: 'pending' as const, next_attempt_at: opts.now, created_at: opts.now, channel: r.kind, dedupe_key: `${message.dedupeKey}:robot:${r.id}` })))
    .onConflict(oc => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute()
  return inserted.length
}

/** A failed post; `permanent` tells the outbox to stop retrying. */
export class RobotError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message)
  }
}

export interface RobotSender {
  send(row: Pick<EmailOutboxRow, 'id' | 'to_address' | 'body_text' | 'channel'>): Promise<void>
}

/** Posts outbox rows of the robot channels. `now` signs DingTalk requests (the real clock unless a test gives one). */
export function createRobotSender(db: DB, opts: { timeoutMs?: number; now?: () => number } = {}): RobotSender {
  return {
    async send(row) {
      const robot = await db.selectFrom('unit_webhooks').select(['kind', 'url', 'secret', 'active']).where('id', '=', row.to_address).executeTakeFirst()
      if (!robot || !robot.active) throw new RobotError('群机器人已删除或停用。', true)
      let res: Response
      try {
        res = await fetch(robotRequestUrl(robot, (opts.now ?? Date.now)()), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json; charset=utf-8' },
          body: robotPayload(robot.kind, row.body_text),
          signal: AbortSignal.timeout(opts.timeoutMs ?? (Number(process.env.ROBOT_TIMEOUT_MS) || 15_000)),
        })
      } catch (err) {
        throw new RobotError(`群机器人无法连接：${(err as Error).message}`, false)
      }
      const outcome = robotReply(res.status, await res.text().catch(() => ''))
      if (!outcome.ok) throw new RobotError(outcome.message, outcome.permanent)
    },
  }
}
