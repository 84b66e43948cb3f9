// Which channels carry a person's notices. In the app: always (the record of what happened).
// By email: when the user has an address and has not turned email off in 设置. Group robots are
// set per unit by the admin (unit_webhooks), not per person. Pure; the preference is users.email_notifications.

export interface ChannelPreference {
  email: string | null
  emailNotifications: number | boolean
}

/** The address a notice's email goes to, or null when the notice stays in the app only. */
export function emailRecipient(user: ChannelPreference): string | null {
  const to = user.email?.trim()
  if (!to) return null
  return user.emailNotifications ? to : null
}

/** What 设置 shows: in-app always on; email on/off, and whether it can reach anyone at all. */
export function channelSummary(user: ChannelPreference): { inApp: true; email: boolean; hasAddress: boolean } {
  return { inApp: true, email: !!user.emailNotifications, hasAddress: !!user.email?.trim() }
}
