// A user's own notification channels (设置). Only ever the signed-in user's row.
import type { DB } from '../../db/db'
import { channelSummary } from './channels'

export async function getChannels(db: DB, userId: string) {
  const u = await db.selectFrom('users').select(['email', 'email_notifications']).where('id', '=', userId).executeTakeFirstOrThrow()
  return channelSummary({ email: u.email, emailNotifications: u.email_notifications })
}

/** Turns the user's email notices on or off; in-app notices cannot be turned off. */
export async function setEmailNotifications(db: DB, userId: string, on: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ email_notifications: on ? 1 : 0 })
    .where('id', '=', userId)
    .execute()
}
