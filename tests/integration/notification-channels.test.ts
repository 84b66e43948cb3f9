// Each user's channels (设置): a user who turned email off still gets every notice in the app, and
// no email; the unit's group robot still hears of the event (robots are per unit, not per person).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addUnitWebhook } from '../../app/notify/webhook.server'
import { getChannels, setEmailNotifications } from '../../app/notify/preferences.server'
import { transitionTask, updateTask } from '../../app/tasks/workflow.server'
import { createTestDb, engines, type TestDb } from '../support/db'
import { makeOrg, makeTasks, type Org } from '../support/workday'

describe.each(engines)('notification channels on %s', engine => {
  let t: TestDb
  let org: Org
  beforeEach(async () => {
    t = await createTestDb(engine)
    org = await makeOrg(t.db)
  })
  afterEach(() => t.cleanup())

  const noticesOf = (userId: string) => t.db.selectFrom('notifications').select(['id', 'kind']).where('user_id', '=', userId).execute()
  const emailsTo = (userId: string) =>
    t.db.selectFrom('email_outbox').select('id').where('user_id', '=', userId).where('channel', '=', 'email').execute()

  it('email is on by default; an opted-out owner gets the in-app notice and no email; turning it back on sends the next one', async () => {
    expect(await getChannels(t.db, org.staff.id)).toEqual({ inApp: true, email: true, hasAddress: true })
    await addUnitWebhook(t.db, { unitId: org.dept.id, kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1' })
    const { taskIds } = await makeTasks(t.db, org.sup, org.dept.id, 2)
    await setEmailNotifications(t.db, org.staff.id, false)
    expect(await getChannels(t.db, org.staff.id)).toEqual({ inApp: true, email: false, hasAddress: true })

    await updateTask(t.db, org.sup, taskIds[0], { ownerId: org.staff.id })
    expect((await noticesOf(org.staff.id)).map(n => n.kind)).toEqual(['assigned'])
    expect(await emailsTo(org.staff.id)).toHaveLength(0)
    // the group robot is the unit's channel: it still gets the event
    expect(await t.db.selectFrom('email_outbox').select('id').where('channel', '=', 'wecom').execute()).toHaveLength(1)

    // the supervisor (email on) is told of the submission by both channels
    await transitionTask(t.db, org.staff, taskIds[0], { action: 'submit', reason: '已完成' })
    expect(await noticesOf(org.sup.id)).toHaveLength(1)
    expect(await emailsTo(org.sup.id)).toHaveLength(1)

    await setEmailNotifications(t.db, org.staff.id, true)
    await transitionTask(t.db, org.sup, taskIds[0], { action: 'return', reason: '请补充佐证' })
    expect(await noticesOf(org.staff.id)).toHaveLength(2)
    expect(await emailsTo(org.staff.id)).toHaveLength(1)
  })
})
