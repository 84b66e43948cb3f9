import { describe, expect, it } from 'vitest'
import { absoluteLink, appUrlFrom } from './links'
import { emailFor } from './message'

describe('the site address for links in messages', () => {
  it('APP_URL wins, without its trailing slash; unset, the local web port', () => {
    expect(appUrlFrom({ APP_URL: 'https://zgzg.example.gov.cn/' })).toBe('https://zgzg.example.gov.cn')
    expect(appUrlFrom({ APP_URL: ' https://example.gov.cn/zgzg/ ' })).toBe('https://example.gov.cn/zgzg')
    expect(appUrlFrom({ PORT: '8080' })).toBe('http://localhost:8080')
    expect(appUrlFrom({})).toBe('http://localhost:3000')
  })

  it('refuses an address that is not absolute http(s)', () => {
    expect(() => appUrlFrom({ APP_URL: 'zgzg.example.gov.cn' })).toThrow(/APP_URL/)
    expect(() => appUrlFrom({ APP_URL: 'ftp://example.gov.cn' })).toThrow(/APP_URL/)
  })

  it('joins a path under the address, keeping a base path', () => {
    expect(absoluteLink('https://example.gov.cn/zgzg', '/tasks/1')).toBe('https://example.gov.cn/zgzg/tasks/1')
    expect(absoluteLink('http://localhost:3000/', '/tasks')).toBe('http://localhost:3000/tasks')
  })

  it('an email names the notice in its subject and ends with the absolute link', () => {
    const mail = emailFor({ title: '任务被退回：甲', body: '退回原因：缺少佐证。', link: '/tasks/t1' }, 'https://zgzg.example.gov.cn')
    expect(mail.subject).toBe('【整改跟踪】任务被退回：甲')
    expect(mail.emailText).toContain('退回原因：缺少佐证。\n\n查看任务：https://zgzg.example.gov.cn/tasks/t1')
    expect(emailFor({ title: 't', body: 'b', link: '/tasks' }, 'http://localhost:3000').emailText).toContain(
      '查看我的任务：http://localhost:3000/tasks',
    )
  })
})
