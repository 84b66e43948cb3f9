import { describe, expect, it } from 'vitest'
import { can } from '../../app/auth/permissions'
import { inScope } from '../../app/auth/scope'
import { hashPassword, verifyPassword } from '../../app/auth/password.server'
import { safeRedirect } from '../../app/auth/session.server'

describe('permissions', () => {
  it('only admins administer; oversight reads but changes nothing', () => {
    expect(can('admin', 'admin')).toBe(true)
    for (const r of ['supervisor', 'staff', 'oversight'] as const) expect(can(r, 'admin')).toBe(false)
    expect(can('oversight', 'task:read')).toBe(true)
    expect(can('oversight', 'task:update')).toBe(false)
    expect(can('oversight', 'report:create')).toBe(false)
    expect(can('staff', 'report:review')).toBe(false)
    expect(can('supervisor', 'report:review')).toBe(true)
  })
  it('scope is a subtree', () => {
    const user = { role: 'supervisor' as const, unitPath: '/a/b/' }
    expect(inScope(user, '/a/b/')).toBe(true)
    expect(inScope(user, '/a/b/c/')).toBe(true)
    expect(inScope(user, '/a/')).toBe(false)
    expect(inScope(user, '/a/bb/')).toBe(false)
    expect(inScope({ role: 'admin', unitPath: '/x/' }, '/a/')).toBe(true)
  })
})

describe('passwords', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('正确的密码 1')
    const b = await hashPassword('正确的密码 1')
    expect(a).not.toBe(b)
    expect(await verifyPassword('正确的密码 1', a)).toBe(true)
    expect(await verifyPassword('正确的密码 2', a)).toBe(false)
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false)
  })
})

describe('safeRedirect', () => {
  it('keeps same-site paths and refuses other hosts', () => {
    expect(safeRedirect('/tasks?x=1')).toBe('/tasks?x=1')
    expect(safeRedirect('//evil.example')).toBe('/reports')
    expect(safeRedirect('https://evil.example')).toBe('/reports')
    expect(safeRedirect('/\\evil.example')).toBe('/reports')
    expect(safeRedirect(null, '/')).toBe('/')
  })
  // Known bypasses of "starts with / but not //" (outside attack 2026-12-07: /login?redirectTo=%2F%09%2Fevil.example%2Flogin).
  it.each([
    ['/\t/evil.example/login', 'a tab, which browsers drop: //evil.example'],
    ['/\n/evil.example', 'a newline'],
    ['/\r\n/evil.example', 'CR LF'],
    ['/\u0000/evil.example', 'a NUL'],
    ['/\u007f/evil.example', 'DEL'],
    ['/\\/evil.example', 'a backslash, read as a slash'],
    ['/tasks\\..\\/\\evil.example', 'a backslash later on'],
    ['\t//evil.example', 'a leading tab'],
    [' /tasks', 'a leading space'],
    ['///evil.example', 'three slashes'],
    ['javascript:alert(1)', 'a script URL'],
    ['http:/evil.example', 'a scheme with one slash'],
    ['/' + 'a'.repeat(3000), 'overlong'],
  ])('refuses %j (%s)', to => {
    expect(safeRedirect(to)).toBe('/reports')
  })
  it.each(['/', '/tasks/abc#mark-1', '/search?q=%E5%85%AC%E5%BC%80', '/reports/new?from=%2F%2Fevil', '/tasks?a=b/c//d'])('keeps %j', to => {
    expect(safeRedirect(to)).toBe(to)
  })
})
