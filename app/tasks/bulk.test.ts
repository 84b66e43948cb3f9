import { describe, expect, it } from 'vitest'
import { BULK_MAX, bulkDoneMessage, bulkRefusedMessage, describePatch, planBulkChange } from './bulk'

const today = '2026-12-07'

describe('bulk task changes', () => {
  it('needs tasks and a change; dedupes ids', () => {
    expect(planBulkChange({ taskIds: [], ownerId: 'u' }, today)).toEqual({ ok: false, message: '请先勾选要修改的任务。' })
    expect(planBulkChange({ taskIds: ['a'] }, today)).toMatchObject({ ok: false, message: expect.stringMatching(/请选择要修改/) })
    expect(planBulkChange({ taskIds: ['a', 'a', ' b '], ownerId: 'u', unitId: '' }, today)).toEqual({
      ok: true,
      taskIds: ['a', 'b'],
      patch: { ownerId: 'u' },
    })
    expect(planBulkChange({ taskIds: Array.from({ length: BULK_MAX + 1 }, (_, i) => `t${i}`), ownerId: 'u' }, today)).toMatchObject({
      ok: false,
    })
  })
  it('refuses past and invalid dates in Chinese; today is fine', () => {
    expect(planBulkChange({ taskIds: ['a'], dueDate: '2026-12-06' }, today)).toEqual({
      ok: false,
      message: '整改时限不能早于今天（2026-12-07）。',
    })
    expect(planBulkChange({ taskIds: ['a'], dueDate: '2026-02-30' }, today)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/有效日期/),
    })
    expect(planBulkChange({ taskIds: ['a'], dueDate: today }, today)).toEqual({ ok: true, taskIds: ['a'], patch: { dueDate: today } })
  })
  it('says what happened', () => {
    const what = describePatch({ unitId: 'x', ownerId: 'y', dueDate: '2027-03-31' }, { unit: '市教育局', owner: '张三' })
    expect(what).toBe('责任单位改为“市教育局”，责任人改为“张三”，整改时限改为 2027-03-31')
    expect(bulkDoneMessage(3, 1, what, true)).toMatch(
      /^已修改 3 项任务：.*另有 1 项本来就是如此，未改动。已记入各任务动态，新责任人已收到通知。$/,
    )
    expect(bulkDoneMessage(3, 0, '整改时限改为 2027-03-31')).toBe('已修改 3 项任务：整改时限改为 2027-03-31。已记入各任务动态。')
    expect(bulkRefusedMessage('完善目录', '责任人不属于该责任单位。')).toBe(
      '未做任何修改。任务“完善目录”：责任人不属于该责任单位。请调整后重试。',
    )
  })
})
