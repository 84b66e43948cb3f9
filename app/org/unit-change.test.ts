import { describe, expect, it } from 'vitest'
import { unitChangeDone, unitChangeProblem } from './unit-change'

describe('changing a user’s unit', () => {
  it('needs a choice only when the unit changes and they own open tasks', () => {
    expect(unitChangeProblem({ unitChanged: true, openTasks: 3, choice: null })).toMatch(/负责 3 项未完成/)
    expect(unitChangeProblem({ unitChanged: true, openTasks: 3, choice: 'keep' })).toBeNull()
    expect(unitChangeProblem({ unitChanged: false, openTasks: 3, choice: null })).toBeNull()
    expect(unitChangeProblem({ unitChanged: true, openTasks: 0, choice: null })).toBeNull()
  })
  it('says what happened', () => {
    expect(unitChangeDone(2, 0)).toMatch(/2 项未完成任务已移到新单位/)
    expect(unitChangeDone(0, 2)).toMatch(/保留在原责任单位/)
    expect(unitChangeDone(0, 0)).toBe('已保存。')
  })
})
