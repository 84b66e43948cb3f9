// A supervisor publishes a report's rectification progress; a logged-out browser reads it without
// any person's name or any file; after the supervisor withdraws it, the page answers 404.
import { expect, test } from '@playwright/test'
import { login, WORKER_WAIT } from './support'

const REPORT = `示范市公开测试局2025年政府信息公开工作年度报告
一、总体情况
本局认真贯彻落实政府信息公开条例。
五、存在的主要问题及改进情况
（一）存在的主要问题
一是公开测试栏目更新不够及时；二是公开测试解读形式比较单一。
（二）改进措施
一是建立公开测试栏目更新台账，每月检查；二是丰富公开测试解读形式，增加图解解读。`

test('publish → read logged out without names or files → withdraw → 404', async ({ page, browser }) => {
  page.on('dialog', d => void d.accept())
  await login(page, 'supervisor')
  await page.goto('/reports/new')
  await page.getByLabel('报告全文').fill(REPORT)
  await page.getByRole('button', { name: '上传并提取' }).click()
  await expect(page.locator('dd .badge')).toHaveText('已提取', { timeout: WORKER_WAIT })
  const items = page.getByRole('region', { name: '提取结果' }).locator('.item')
  const count = await items.count()
  expect(count).toBeGreaterThanOrEqual(2)
  await page.getByLabel('全选').check()
  await page.getByLabel('责任单位').selectOption({ label: '示范市发展和改革委员会' })
  await page.getByLabel('责任人').selectOption({ label: '李责任' })
  await page.getByRole('button', { name: /应用到选中的/ }).click()
  await expect(page.getByRole('status')).toHaveText(`已设置 ${count} 条。`)
  await page.getByRole('button', { name: '确认并生成整改任务' }).click()
  await page
    .getByRole('alertdialog')
    .getByRole('button', { name: `确定生成 ${count} 个任务` })
    .click()
  await expect(page.getByRole('status')).toHaveText(`已确认，生成 ${count} 个整改任务。`)
  const reportUrl = page.url()

  // Evidence on one task, so the public page has a file it must not offer.
  await page.goto('/tasks?q=' + encodeURIComponent('公开测试'))
  await page
    .getByRole('link', { name: /公开测试/ })
    .first()
    .click()
  await page
    .getByLabel('上传文件')
    .setInputFiles({ name: '栏目检查台账.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% evidence\n') })
  await page.getByRole('button', { name: '上传', exact: true }).click()
  await expect(page.getByRole('link', { name: '栏目检查台账.pdf' })).toBeVisible()

  // Publish.
  await page.goto(reportUrl)
  await page.getByRole('link', { name: '公开整改进展' }).click()
  await page.getByRole('button', { name: '公开', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: '已公开' }).first()).toBeVisible()
  const publicPath = await page.getByTestId('public-link').getAttribute('href')
  expect(publicPath).toMatch(/^\/p\/[A-Za-z0-9_-]{43}$/)

  // A browser with no session reads it.
  const outsider = await browser.newContext()
  const anon = await outsider.newPage()
  const res = await anon.goto(publicPath!)
  expect(res!.status()).toBe(200)
  expect(res!.headers()['cache-control']).toBe('public, max-age=60')
  await expect(anon.getByRole('heading', { level: 1 })).toHaveText(/测试局2025年政府信息公开工作年度报告所列问题整改进展$/)
  await expect(anon.getByRole('cell', { name: /公开测试栏目更新不够及时/ })).toBeVisible()
  await expect(anon.getByText('栏目检查台账', { exact: true })).toBeVisible()
  const html = await anon.content()
  for (const secret of ['李责任', '张督办', 'supervisor', '栏目检查台账.pdf', '/evidence/', '/tasks/', '/reports/'])
    expect(html, secret).not.toContain(secret)
  // The only links lead to the feed and the print view of the same page.
  const hrefs = await anon.locator('a[href]').evaluateAll(as => as.map(a => a.getAttribute('href')))
  expect(hrefs.every(h => h === `${publicPath}/feed` || h === `${publicPath}/print`)).toBe(true)
  await anon.screenshot({ path: 'test-results/screens/public-page.png', fullPage: true })
  const feed = await anon.request.get(`${publicPath}/feed`)
  expect(feed.headers()['content-type']).toContain('application/atom+xml')

  // Withdraw: the page is gone.
  await page.getByRole('button', { name: '撤回公开' }).click()
  await expect(page.getByRole('status').filter({ hasText: '已撤回' }).first()).toBeVisible()
  const gone = await anon.reload()
  expect(gone!.status()).toBe(404)
  expect((await anon.request.get(`${publicPath}/print`)).status()).toBe(404)
  await outsider.close()
})
