import { describe, expect, it } from 'vitest'
import { passageInContext } from './passage'

describe('passageInContext', () => {
  const text =
    '一、概述。本年度工作平稳。二、主要工作。市政务中心整体搬迁入驻市民之家，32个部门进驻大厅。网上政务大厅建成运行。三、存在问题。'
  const start = text.indexOf('市政务中心')
  const end = text.indexOf('进驻大厅。') + '进驻大厅。'.length

  it('keeps the passage verbatim and the text around it in order', () => {
    const c = passageInContext(text, start, end)
    expect(c.passage).toBe(text.slice(start, end))
    expect(text).toContain(c.before + c.passage + c.after)
  })

  it('cuts the window at sentence ends, so it starts and ends with whole sentences', () => {
    const c = passageInContext(text, start, end, 12)
    expect(c.before).toBe('二、主要工作。')
    expect(c.after).toBe('网上政务大厅建成运行。')
    expect(c.clippedStart).toBe(false)
    expect(c.clippedEnd).toBe(false)
  })

  it('says when the window is clipped inside a sentence', () => {
    const c = passageInContext(text, start, end, 3)
    expect(c.before).toBe('工作。')
    expect(c.after).toBe('网上政')
    expect(c.clippedStart).toBe(true)
    expect(c.clippedEnd).toBe(true)
  })

  it('reaches the ends of the text without an ellipsis and survives offsets out of range', () => {
    const c = passageInContext(text, 0, 4, 500)
    expect(c.before).toBe('')
    expect(c.clippedStart).toBe(false)
    expect(c.clippedEnd).toBe(false)
    expect(passageInContext(text, text.length + 5, text.length + 9).passage).toBe('')
  })

  it('tidies blank lines around the passage but never inside it', () => {
    const t = '上文。\n\n\n  市民之家\n\n已建成。\n\n\n下文'
    const s = t.indexOf('市民之家')
    const c = passageInContext(t, s, t.indexOf('已建成。') + 4)
    expect(c.passage).toBe('市民之家\n\n已建成。')
    expect(c.before).toBe('上文。\n')
    expect(c.after).toBe('\n下文')
  })
})
