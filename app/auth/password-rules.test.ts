import { describe, expect, it } from 'vitest'
import { passwordField, passwordProblem } from './password-rules'

describe('password rules', () => {
  it('accepts 8 or more characters and refuses short, overlong or space-padded ones in Chinese', () => {
    expect(passwordProblem('abcdefgh')).toBeNull()
    expect(passwordProblem('中文密码也可以的')).toBeNull()
    expect(passwordProblem('short')).toBe('密码至少 8 位。')
    expect(passwordProblem('x'.repeat(201))).toMatch(/不能超过/)
    expect(passwordProblem(' abcdefgh')).toMatch(/空格/)
  })
  it('is the same rule as a form field', () => {
    expect(passwordField.safeParse('abcdefgh').success).toBe(true)
    const r = passwordField.safeParse('abc')
    expect(r.success).toBe(false)
    expect(r.error?.issues[0].message).toBe('密码至少 8 位。')
  })
})
