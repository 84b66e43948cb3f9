import { describe, expect, it } from 'vitest'
import { textBeyondTitle } from './FollowUp'

describe('textBeyondTitle', () => {
  it('drops a text that is only its title with a list marker or a closing phrase', () => {
    expect(textBeyondTitle('部门业务系统与政务服务平台数据共享不够', '二是部门业务系统与政务服务平台数据共享不够。')).toBeNull()
    expect(textBeyondTitle('政务服务信息互联互通不够', '政务服务信息互联互通不够等问题。')).toBeNull()
    expect(textBeyondTitle('加强宣传', '（三）加强宣传；')).toBeNull()
    expect(textBeyondTitle('加强宣传', null)).toBeNull()
  })

  it('keeps a text that says more than its title', () => {
    const text = '1、打造方便快捷的市民之家。以入驻市民之家为契机,将行政许可、行政确认等事项一律纳入政务中心运行。'
    expect(textBeyondTitle('打造方便快捷的市民之家', text)).toBe(text)
  })
})
