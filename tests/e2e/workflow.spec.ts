// The whole loop with three roles: review and confirm, work and evidence, return, close-out,
// and oversight reading the ledger without being able to change anything.
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { login, WORKER_WAIT } from './support'

test('supervisor → staff → supervisor → oversight: a task from report to close-out', async ({ page }) => {
  page.on('dialog', d => void d.accept())

  // Supervisor uploads, corrects one item, assigns everything to the staff member and confirms.
  await login(page, 'supervisor')
  await page.goto('/reports/new')
  await page.getByLabel('选择文件').setInputFiles(path.resolve('tests/fixtures/corpus/n005.txt'))
  await page.getByRole('button', { name: '上传并提取' }).click()
  await expect(page.locator('dd .badge')).toHaveText('已提取', { timeout: WORKER_WAIT })
  const reportUrl = page.url()
  const items = page.getByRole('region', { name: '提取结果' }).locator('.item')
  const count = await items.count()
  expect(count).toBeGreaterThanOrEqual(2)

  await items.first().getByRole('button').first().click()
  await page.getByLabel('标题').fill('开发区信息公开内容不够丰富（已校对）')
  await page.getByRole('button', { name: '保存', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('已保存。')
  await expect(items.filter({ hasText: '开发区信息公开内容不够丰富（已校对）' })).toHaveCount(1)

  await page.getByLabel('全选').check()
  await page.getByLabel('责任单位').selectOption({ label: '示范市发展和改革委员会' })
  await page.getByLabel('责任人').selectOption({ label: '李责任' })
  await page.getByRole('button', { name: /应用到选中的/ }).click()
  await expect(page.getByRole('status')).toHaveText(`已设置 ${count} 条。`)
  await page.getByRole('button', { name: '确认并生成整改任务' }).click()
  // every item has an owner: the confirmation step warns of nothing and asks once
  const step = page.getByRole('alertdialog', { name: `确认并生成 ${count} 个整改任务？` })
  await expect(step).not.toContainText('尚未指定责任人')
  await step.getByRole('button', { name: `确定生成 ${count} 个任务` }).click()
  await expect(page.getByRole('status')).toHaveText(`已确认，生成 ${count} 个整改任务。`)
  await page.screenshot({ path: 'test-results/screens/confirmed.png' })

  // Staff sees the corrected task, reports progress with an evidence file, and submits it.
  await login(page, 'staff')
  await page.goto('/tasks')
  await page.getByLabel('只看逾期').check()
  await expect(page).toHaveURL(/overdue=1/)
  // an old report's tasks are not born overdue: their deadlines start from today
  await expect(page.getByRole('link', { name: '开发区信息公开内容不够丰富（已校对）' })).toHaveCount(0)
  await page.getByLabel('只看逾期').uncheck()
  await expect(page).not.toHaveURL(/overdue=1/)
  await page.screenshot({ path: 'test-results/screens/tasks.png' })
  await page.getByRole('link', { name: '开发区信息公开内容不够丰富（已校对）' }).click()
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/)
  const taskUrl = page.url()
  await page.getByLabel('完成进度（%）').fill('80')
  await page.getByLabel('进展说明').fill('已在门户网站新增政策解读栏目')
  await page.getByRole('button', { name: '提交进展' }).click()
  await expect(page.getByRole('status')).toHaveText('进展已填报。')
  await page
    .getByLabel('上传文件')
    .setInputFiles({ name: '整改佐证.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% evidence\n') })
  await page.getByRole('button', { name: '上传', exact: true }).click()
  await expect(page.getByRole('link', { name: '整改佐证.pdf' })).toBeVisible()
  await page.getByRole('button', { name: '提交核验' }).click()
  await page.getByRole('button', { name: '确定提交核验' }).click()
  await expect(page.getByRole('status')).toContainText('待核验')

  // Supervisor returns it once with a reason.
  await login(page, 'supervisor')
  await page.goto(taskUrl)
  await page.getByRole('button', { name: '退回' }).click()
  await page.getByLabel('退回原因').fill('请补充栏目截图')
  await page.getByRole('button', { name: '确定退回' }).click()
  await expect(page.getByRole('status')).toContainText('进行中')

  // Staff submits again; the supervisor verifies and closes it out.
  await login(page, 'staff')
  await page.goto(taskUrl)
  // the reason is in the 已退回 notice (and in the timeline, quoted)
  await expect(page.getByText('退回原因：请补充栏目截图')).toBeVisible()
  await page.getByRole('button', { name: '提交核验' }).click()
  await page.getByRole('button', { name: '确定提交核验' }).click()
  // Wait for the submission to land before logging out (otherwise the navigation can cancel it).
  await expect(page.getByRole('status')).toContainText('待核验')
  await login(page, 'supervisor')
  await page.goto(taskUrl)
  await page.getByRole('button', { name: '核验销号' }).click()
  await page.getByRole('button', { name: '确定核验销号' }).click()
  await expect(page.getByRole('status')).toContainText('已销号')
  const timeline = page.getByRole('region', { name: '处理记录' })
  for (const step of ['创建任务', '填报进展', '上传佐证材料', '提交核验', '退回', '核验销号'])
    await expect(timeline.getByText(step, { exact: true }).first()).toBeVisible()
  await page.screenshot({ path: 'test-results/screens/task-closed.png', fullPage: true })

  // Oversight sees it closed in the ledger and can change nothing.
  await login(page, 'oversight')
  await page.goto('/ledger')
  const row = page.locator('tr', { hasText: '开发区信息公开内容不够丰富（已校对）' })
  await expect(row).toContainText('已销号')
  await page.goto(taskUrl)
  await expect(page.getByRole('region', { name: '办理' })).toHaveCount(0)
  await expect(page.getByRole('region', { name: '填报进展' })).toHaveCount(0)
  const forged = await page.evaluate(async url => {
    const body = new URLSearchParams({ intent: 'transition', action: 'reopen' })
    const res = await fetch(url, { method: 'POST', body })
    return res.status
  }, taskUrl)
  expect(forged).toBe(403)
  const review = await page.evaluate(
    async url => (await fetch(url, { method: 'POST', body: new URLSearchParams({ intent: 'confirm' }) })).status,
    reportUrl,
  )
  expect(review).toBe(403)
})
