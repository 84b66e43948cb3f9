// Group robots per unit: workflow events of a unit's tasks are queued, one message per robot, in
// the outbox (channel 'dingtalk' or 'wecom', keyed like a notification), and the outbox sender
// posts them with the same claim, retry and backoff as emails. The request and the reply's meaning
// are app/notify/webhook.ts's.
import type { Transaction } from 'kysely'
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import type { Database, EmailOutboxRow, RobotKind } from '../../db/schema'
import { AppError } from '../errors'
import { absoluteLink } from './links'
import { maskRobotUrl, maskSecret, robotPayload, robotReply, robotRequestUrl, robotSettingProblem } from './webhook'

type Trx = Transaction<Database> | DB

export interface RobotMessage {
  title: string
  body: string
  link: string
  /** Business key of the message (the event's); each robot's row adds its own id. */
  dedupeKey: string
}

/** Adds a group robot to a unit (the admin's setting; DingTalk with 加签 takes its secret). A wrong setting is a 400 in Chinese. */
export async function addUnitWebhook(
  db: Trx,
  input: { unitId: string; kind: RobotKind; url: string; secret?: string | null },
): Promise<{ id: string }> {
  const problem = robotSettingProblem(input)
  if (problem) throw new AppError(400, problem)
  const unit = await db.selectFrom('units').select('id').where('id', '=', input.unitId).executeTakeFirst()
  if (!unit) throw new AppError(400, '单位不存在。')
  const url = new URL(input.url.trim())
  const id = newId()
  await db
    .insertInto('unit_webhooks')
    .values({ id, unit_id: input.unitId, kind: input.kind, url: url.href, secret: input.secret?.trim() || null, created_at: nowIso() })
    .execute()
  return { id }
}

/** Every robot, for the admin page: credentials masked (the full URL and secret never leave the server). */
export async function listUnitWebhooks(db: Trx) {
  const rows = await db
    .selectFrom('unit_webhooks')
    .innerJoin('units', 'units.id', 'unit_webhooks.unit_id')
    .select([
      'unit_webhooks.id',
      'unit_webhooks.unit_id',
      'units.name as unit_name',
      'units.path as unit_path',
      'unit_webhooks.kind',
      'unit_webhooks.url',
      'unit_webhooks.secret',
      'unit_webhooks.active',
      'unit_webhooks.created_at',
    ])
    .orderBy('units.path')
    .orderBy('unit_webhooks.created_at')
    .execute()
  return rows.map(({ url, secret, ...r }) => ({ ...r, url: maskRobotUrl(url), secret: maskSecret(secret), signed: !!secret }))
}

async function requireRobot(db: Trx, id: string) {
  const robot = await db.selectFrom('unit_webhooks').select(['id', 'active']).where('id', '=', id).executeTakeFirst()
  if (!robot) throw new AppError(404, '找不到该群机器人。')
  return robot
}

/** Stops (or resumes) posting to a robot; its queued messages fail at their next attempt while it is stopped. */
export async function setUnitWebhookActive(db: Trx, id: string, active: boolean): Promise<void> {
  await requireRobot(db, id)
  await db
    .updateTable('unit_webhooks')
    .set({ active: active ? 1 : 0 })
    .where('id', '=', id)
    .execute()
}

/**
 * Deletes a robot. Its messages still waiting in the outbox are failed with a reason (they would
 * fail anyway, and the ops page names them "已删除"); sent ones stay as the record.
 */
export async function deleteUnitWebhook(db: DB, id: string): Promise<void> {
  await requireRobot(db, id)
  await db.transaction().execute(async trx => {
    await trx
      .updateTable('email_outbox')
      .set({ status: 'failed', last_error: '群机器人已删除。', claimed_until: null })
      .where('to_address', '=', id)
      .where('channel', '!=', 'email')
      .where('status', 'in', ['pending', 'sending'])
      .execute()
    await trx.deleteFrom('unit_webhooks').where('id', '=', id).execute()
  })
}

/** Posts a test message now (not through the outbox), so the admin sees at once whether the robot answers. */
export async function testUnitWebhook(
  db: DB,
  id: string,
  opts: { timeoutMs?: number; now?: () => number } = {},
): Promise<{ ok: true } | { ok: false; message: string }> {
  const robot = await requireRobot(db, id)
  if (!robot.active) return { ok: false, message: '该机器人已停用，请先启用再测试。' }
  const row = await db.selectFrom('unit_webhooks').select('kind').where('id', '=', id).executeTakeFirstOrThrow()
  try {
    await createRobotSender(db, { timeoutMs: opts.timeoutMs ?? 10_000, now: opts.now }).send({
      id: `test-${id}`,
      to_address: id,
      channel: row.kind,
      body_text: '【整改跟踪】测试消息：此群机器人已接通，任务分派、退回、核验等事项将发送到本群。',
    })
    return { ok: true }
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) }
  }
}

/** Queues one message per active robot of the unit; a key already queued is skipped. Returns how many were queued. */
export async function queueRobotMessages(
  trx: Trx,
  unitId: string,
  message: RobotMessage,
  opts: { now: string; baseUrl: string },
): Promise<number> {
  const robots = await trx
    .selectFrom('unit_webhooks')
    .select(['id', 'kind'])
    .where('unit_id', '=', unitId)
    .where('active', '=', 1)
    .execute()
  if (!robots.length) return 0
  const text = `【整改跟踪】${message.title}\n${message.body}\n查看任务：${absoluteLink(opts.baseUrl, message.link)}`
  const inserted = await trx
    .insertInto('email_outbox')
    .values(
      robots.map(r => ({
        id: newId(),
        notification_id: null,
        user_id: null,
        to_address: r.id,
        subject: message.title,
        body_text: text,
        status: 'pending' as const,
        next_attempt_at: opts.now,
        created_at: opts.now,
        channel: r.kind,
        dedupe_key: `${message.dedupeKey}:robot:${r.id}`,
      })),
    )
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
      const robot = await db
        .selectFrom('unit_webhooks')
        .select(['kind', 'url', 'secret', 'active'])
        .where('id', '=', row.to_address)
        .executeTakeFirst()
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
