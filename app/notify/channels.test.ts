import { describe, expect, it } from 'vitest'
import { channelSummary, emailRecipient } from './channels'

describe('notification channels', () => {
  it('email goes to the address only when the user keeps email on', () => {
    expect(emailRecipient({ email: ' a@b.cn ', emailNotifications: 1 })).toBe('a@b.cn')
    expect(emailRecipient({ email: 'a@b.cn', emailNotifications: 0 })).toBeNull()
    expect(emailRecipient({ email: '  ', emailNotifications: 1 })).toBeNull()
    expect(emailRecipient({ email: null, emailNotifications: true })).toBeNull()
  })
  it('in-app is always on', () => {
    expect(channelSummary({ email: null, emailNotifications: 0 })).toEqual({ inApp: true, email: false, hasAddress: false })
    expect(channelSummary({ email: 'a@b.cn', emailNotifications: 1 })).toEqual({ inApp: true, email: true, hasAddress: true })
  })
})
