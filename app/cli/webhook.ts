// Group robots of a unit from the command line (the admin page /admin/webhooks does the same): list, add
// (DingTalk with its 加签 secret, or WeCom), or stop one. Workflow events of the unit's tasks are
// posted to each active robot through the outbox.
// npm run webhook -- --unit 单位名称 [--add dingtalk|wecom --url URL [--secret SEC…] | --stop ID]
import { parseArgs } from 'node:util'
import { createDb, migrateToLatest } from '../../db/db'
import type { RobotKind } from '../../db/schema'
import { addUnitWebhook } from '../notify/webhook.server'
import { ROBOT_KINDS } from '../notify/webhook'

const { values } = parseArgs({
  options: {
    unit: { type: 'string' },
    add: { type: 'string' },
    url: { type: 'string' },
    secret: { type: 'string' },
    stop: { type: 'string' },
  },
})
const usage = '用法 usage: npm run webhook -- --unit 单位名称 [--add dingtalk|wecom --url URL [--secret SEC…] | --stop ID]'
const fail = (msg: string): never => {
  console.error(msg)
  process.exit(1)
}
if (!values.unit || (values.add && !values.url) || (values.add && values.stop)) fail(usage)
if (values.add && !ROBOT_KINDS.includes(values.add as RobotKind))
  fail(`--add 只能是 dingtalk 或 wecom (unknown robot kind: ${values.add})\n${usage}`)

const db = createDb()
await migrateToLatest(db)
const units = await db.selectFrom('units').select(['id', 'name']).where('name', '=', values.unit!.trim()).execute()
if (units.length !== 1)
  fail(units.length ? `有多个单位名为“${values.unit}” (several units have this name)` : `找不到单位 unit not found: ${values.unit}`)
const unit = units[0]
if (values.add) {
  const { id } = await addUnitWebhook(db, {
    unitId: unit.id,
    kind: values.add as RobotKind,
    url: values.url!,
    secret: values.secret ?? null,
  })
  console.log(`added ${values.add} robot ${id} to ${unit.name}`)
}
if (values.stop) {
  const r = await db
    .updateTable('unit_webhooks')
    .set({ active: 0 })
    .where('id', '=', values.stop)
    .where('unit_id', '=', unit.id)
    .executeTakeFirst()
  if (!Number(r.numUpdatedRows)) fail(`该单位没有这个机器人 (no such robot in ${unit.name}): ${values.stop}`)
  console.log(`stopped robot ${values.stop}`)
}
for (const w of await db
  .selectFrom('unit_webhooks')
  .select(['id', 'kind', 'url', 'secret', 'active'])
  .where('unit_id', '=', unit.id)
  .orderBy('created_at')
  .execute()) {
  // The token in the URL and the secret are credentials: show only enough to tell robots apart.
  const url = new URL(w.url)
  console.log(`${w.id}  ${w.kind}  ${url.origin}${url.pathname}  ${w.secret ? 'signed' : 'unsigned'}  ${w.active ? 'active' : 'stopped'}`)
}
await db.destroy()
