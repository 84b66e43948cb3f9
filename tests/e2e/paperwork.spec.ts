// The documents a supervisor files, driven as a person would: the 整改情况报告 download from the
// report page, a 督办单 for a task made overdue (issued, printable, PDF), and the section 五 draft.
import { expect, test } from '@playwright/test'
import { login, WORKER_WAIT } from './support'

const REPORT = `示范市文书测试局2025年政府信息公开工作年度报告
五、存在的主要问题及改进情况
（一）存在的主要问题
一是文书测试栏目更新不够及时；二是文书测试答复不够规范。
（二）改进措施
一是建立文书测试栏目更新台账；二是开展文书测试答复培训。`

test('整改情况报告, 督办单 and section 五 draft from a confirmed report', async ({ page }) => {
  page.on('dialog', d => void d.accept())
  await login(page, 'supervisor')
  await page.goto('/reports/new')
  await page.getByLabel('报告全文').fill(REPORT)
  await page.getByRole('button', { name: '上传并提取' }).click()
  await expect(page.locator('dd .badge')).toHaveText('已提取', { timeout: WORKER_WAIT })
  await page.getByLabel('全选').check()
  await page.getByLabel('责任单位').selectOption({ label: '示范市发展和改革委员会' })
  await page.getByLabel('责任人').selectOption({ label: '李责任' })
  await page.getByRole('button', { name: /应用到选中的/ }).click()
  await page.getByRole('button', { name: '确认并生成整改任务' }).click()
  await page
    .getByRole('alertdialog')
    .getByRole('button', { name: /^确定生成 \d+ 个任务$/ })
    .click()
  await expect(page.getByRole('status')).toContainText('已确认')
  const reportUrl = page.url()

  // 整改情况报告
  const download = page.waitForEvent('download')
  await page.getByRole('link', { name: '下载整改情况报告（Word）' }).click()
  expect((await download).suggestedFilename()).toMatch(/整改情况报告\.docx$/)

  // A task past its deadline (the demo holds one: pages refuse a past date, so none is made here), and its 督办单
  await page.goto('/tasks?overdue=1')
  const overdue = page.locator('main tbody a[href^="/tasks/"]').first()
  const overdueTitle = (await overdue.innerText()).trim()
  await overdue.click()
  await page.getByRole('link', { name: '督办单' }).click()
  await page.getByRole('button', { name: '签发督办单' }).click()
  await expect(page.getByRole('status')).toContainText('已签发督办单')
  await expect(page.getByRole('article', { name: '整改任务督办单' })).toContainText(overdueTitle)
  await expect(page.getByRole('img', { name: '扫码查看任务' })).toBeVisible()
  await page.screenshot({ path: 'test-results/screens/notice.png', fullPage: true })
  const pdf = await page.request.get(page.url() + '.pdf')
  expect(pdf.status()).toBe(200)
  expect(pdf.headers()['content-type']).toBe('application/pdf')

  // Section 五 draft for the next year: every sentence links to its task
  await page.goto(reportUrl)
  await page.getByRole('link', { name: '起草下一年度报告第五部分' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('2026 年度报告')
  const sources = page.getByRole('list', { name: '来源' }).getByRole('link', { name: '任务' })
  await expect(sources).toHaveCount(4)
  await expect(page.getByText(/针对“文书测试栏目更新不够及时”的问题/).first()).toBeVisible()
  await page.screenshot({ path: 'test-results/screens/section-five.png', fullPage: true })
  const word = page.waitForEvent('download')
  await page.getByRole('button', { name: '下载 Word' }).click()
  expect((await word).suggestedFilename()).toMatch(/第五部分草稿\.docx$/)
})
