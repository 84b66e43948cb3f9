// The review's merge editor (issue 19): after merging a second item into the one being edited, the
// open editor shows the merged text, so 保存 keeps the merge instead of writing the old text back.
// Then the agency and year are corrected, and confirming first lists the items nobody owns.
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { login, WORKER_WAIT } from './support'

test('after a merge the editor holds the merged text and saving keeps it; agency and year are corrected; confirming warns of unowned items', async ({
  page,
}) => {
  await login(page, 'supervisor')
  await page.goto('/reports/new')
  await page.getByLabel('选择文件').setInputFiles(path.resolve('tests/fixtures/corpus/n003.txt'))
  await page.getByRole('button', { name: '上传并提取' }).click()
  await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}/)
  await expect(page.locator('dd .badge')).toHaveText('已提取', { timeout: WORKER_WAIT })

  const items = page.getByRole('region', { name: '提取结果' }).locator('.item')
  const first = items.filter({ hasText: '信息公开内容不够及时' })
  await first.getByRole('button', { name: /信息公开内容不够及时/ }).click()
  const text = page.getByRole('textbox', { name: '内容' })
  await expect(text).not.toHaveValue(/覆盖面不够广泛/)
  await page.getByLabel('合并到本条的另一条').selectOption({ label: '覆盖面不够广泛' })
  await page.getByRole('button', { name: '合并到本条' }).click()
  await expect(page.getByRole('status')).toHaveText('已合并。')
  // the open editor now shows the merged passage, and saving it keeps the merge
  await expect(text).toHaveValue(/信息公开内容不够及时[\s\S]*覆盖面不够广泛/)
  await page.getByLabel('标题').fill('信息公开不够及时、覆盖面不广')
  await page.getByRole('button', { name: '保存', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('已保存。')
  await expect(items.filter({ hasText: '信息公开不够及时、覆盖面不广' })).toHaveCount(1)
  await expect(text).toHaveValue(/覆盖面不够广泛/)

  // the agency and year, checked on the server
  await page.getByText('更正报告机关和年度').click()
  await page.getByRole('textbox', { name: '年度' }).fill('1899')
  await page.getByRole('button', { name: '保存更正' }).click()
  await expect(page.getByRole('alert')).toContainText('年度')
  await page.getByRole('combobox', { name: '报告机关' }).fill('示范市统计局')
  await page.getByRole('textbox', { name: '年度' }).fill('2021')
  await page.getByRole('button', { name: '保存更正' }).click()
  await expect(page.getByRole('status')).toContainText('报告机关和年度已更正')
  await expect(page.locator('dl.meta-grid')).toContainText('示范市统计局')

  // confirming: the step lists the items nobody owns; the supervisor may go back
  await page.getByRole('button', { name: '确认并生成整改任务' }).click()
  const step = page.getByRole('alertdialog')
  await expect(step).toContainText('尚未指定责任人')
  await expect(step.getByRole('listitem')).toHaveCount(await items.count())
  await step.getByRole('link', { name: '先去分派' }).click()
  await expect(page.getByRole('alertdialog')).toHaveCount(0)
  await expect(page.locator('dd .badge')).toHaveText('已提取')
})
