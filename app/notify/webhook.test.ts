import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { planEventBroadcast } from './events'
import { dingtalkSign, robotPayload, robotReply, robotRequestUrl } from './webhook'

describe('group robots: the documented requests', () => {
  const secret = 'SECexample0123456789'
  const ts = 1733558400000

  it('DingTalk 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, URL-encoded in the query', () => {
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64')
    expect(dingtalkSign(secret, ts)).toBe(expected)
    const url = new URL(robotRequestUrl({ kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=abc', secret }, ts))
    expect(url.searchParams.get('access_token')).toBe('abc')
    expect(url.searchParams.get('timestamp')).toBe(String(ts))
    expect(url.searchParams.get('sign')).toBe(expected)
    // '+', '/' and '=' of base64 are percent-encoded on the wire
    expect(url.search).not.toMatch(/sign=[^&]*[+/=]/)
  })

  it('an unsigned DingTalk robot and WeCom post to the configured URL as it is', () => {
    expect(robotRequestUrl({ kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=abc', secret: null }, ts)).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=abc',
    )
    expect(robotRequestUrl({ kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', secret }, ts)).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
    )
  })

  it('a text message, cut to the robot’s limit', () => {
    expect(JSON.parse(robotPayload('dingtalk', '任务被退回'))).toEqual({ msgtype: 'text', text: { content: '任务被退回' } })
    const long = JSON.parse(robotPayload('wecom', '退'.repeat(1000))).text.content as string
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(2048)
    expect(long.endsWith('…')).toBe(true)
  })

  it('the reply: errcode 0 is sent; server trouble and "too fast" are retried; a bad signature or robot is not', () => {
    expect(robotReply(200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true })
    expect(robotReply(500, 'oops')).toMatchObject({ ok: false, permanent: false })
    expect(robotReply(429, '')).toMatchObject({ ok: false, permanent: false })
    expect(robotReply(200, '{"errcode":130101,"errmsg":"send too fast"}')).toMatchObject({ ok: false, permanent: false })
    expect(robotReply(200, '{"errcode":45009,"errmsg":"api freq out of limit"}')).toMatchObject({ ok: false, permanent: false })
    expect(robotReply(200, '{"errcode":310000,"errmsg":"sign not match"}')).toMatchObject({
      ok: false,
      permanent: true,
      message: expect.stringContaining('310000'),
    })
    expect(robotReply(200, '{"errcode":93000,"errmsg":"invalid webhook url"}')).toMatchObject({ ok: false, permanent: true })
    expect(robotReply(404, 'not found')).toMatchObject({ ok: false, permanent: true })
  })

  it('a group hears of an event by the owner’s name, not "您"', () => {
    const task = { id: 't1', title: '完善政策解读', ownerId: 'staff', dueDate: null, supervisorIds: [] }
    const b = planEventBroadcast({ id: 'e1', type: 'return', actorId: 'sup', actorName: '王督办', note: '缺少佐证' }, task, '李四')
    expect(b).toMatchObject({ kind: 'returned', link: '/tasks/t1' })
    expect(b!.body).toContain('王督办退回了李四提交核验的任务')
    expect(planEventBroadcast({ id: 'e2', type: 'progress', actorId: 'staff' }, task, '李四')).toBeNull()
  })
})

describe('group robots: what the admin page shows and accepts', () => {
  it('masks the credential in the URL and the secret', async () => {
    const { maskRobotUrl, maskSecret } = await import('./webhook')
    expect(maskRobotUrl('https://oapi.dingtalk.com/robot/send?access_token=abcdef1234567890')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=…7890',
    )
    expect(maskRobotUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…5aaa',
    )
    expect(maskRobotUrl('https://x.cn/send?key=short')).toBe('https://x.cn/send?key=••••')
    expect(maskSecret('SEC0123456789abcdef')).toBe('SEC…cdef')
    expect(maskSecret(null)).toBeNull()
  })
  it('checks the kind, the URL and the secret, in Chinese', async () => {
    const { robotSettingProblem } = await import('./webhook')
    expect(
      robotSettingProblem({ kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=abc', secret: 'SECabc' }),
    ).toBeNull()
    expect(robotSettingProblem({ kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' })).toBeNull()
    expect(robotSettingProblem({ kind: 'slack', url: 'https://x' })).toMatch(/机器人类型/)
    expect(robotSettingProblem({ kind: 'dingtalk', url: 'oapi.dingtalk.com' })).toMatch(/完整/)
    expect(robotSettingProblem({ kind: 'dingtalk', url: 'ftp://x/?access_token=1' })).toMatch(/https/)
    expect(robotSettingProblem({ kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send' })).toMatch(/access_token/)
    expect(robotSettingProblem({ kind: 'wecom', url: 'https://q/send?key=k', secret: 'SECx' })).toMatch(/只有钉钉/)
    expect(robotSettingProblem({ kind: 'dingtalk', url: 'https://o/send?access_token=1', secret: 'abc' })).toMatch(/SEC/)
  })
})
