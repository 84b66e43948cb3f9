import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { WORKER_WAIT } from './support'

async function login(page: Page, username: string, password = 'demo') {
  await page.goto('/')
  await expect(page).toHaveURL(/\/login/)
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  if (password === 'demo') await expect(page).not.toHaveURL(/\/login/)
}

const fixture = (name: string) => path.resolve('tests/fixtures', name)

// Whether the demo accounts are shown depends on whether a real user exists yet (accounts.spec makes
// one); that rule is tested in tests/integration (demoLoginHint). Here: a wrong password is refused.
test('the login page refuses a wrong password in Chinese', async ({ page }) => {
  await page.goto('/login')
  await expect(page.getByRole('heading', { name: '整改跟踪' })).toBeVisible()
  await page.screenshot({ path: 'test-results/screens/login.png', fullPage: true })
  await login(page, 'supervisor', 'wrong-password')
  await expect(page.getByRole('alert')).toHaveText('用户名或密码不正确。')
})

test('supervisor uploads a GBK report and sees it extracted with its problems and measures', async ({ page }) => {
  await login(page, 'supervisor')
  // Home is 待办; the report list is one link away.
  await expect(page.getByRole('heading', { name: '待办', level: 1 })).toBeVisible()
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '年度报告' }).click()
  await expect(page.getByRole('heading', { name: '年度报告' })).toBeVisible()
  // The five demo reports go through the worker on first run (specs that ran before may have added more).
  const rows = page.locator('tbody tr')
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(5)
  const before = await rows.count()
  await expect(rows.filter({ hasText: /已提取|已确认/ })).toHaveCount(before, { timeout: WORKER_WAIT })
  await page.screenshot({ path: 'test-results/screens/reports.png', fullPage: true })

  await page.getByRole('link', { name: '上传报告' }).first().click()
  await page.getByLabel('选择文件').setInputFiles(fixture('e2e/n001-gbk.txt'))
  await page.getByRole('button', { name: '上传并提取' }).click()

  await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}$/)
  await expect(page.locator('dd .badge')).toHaveText('已提取', { timeout: WORKER_WAIT })
  await expect(page.getByText('GB18030')).toBeVisible()
  const items = page.getByRole('region', { name: '提取结果' }).locator('.item')
  await expect(items.filter({ has: page.locator('.badge.problem') }).first()).toBeVisible()
  await expect(items.filter({ has: page.locator('.badge.plan') }).first()).toBeVisible()
  // Each item is highlighted in the document text.
  await expect(page.locator('.doc mark.problem').first()).toBeVisible()
  await page.screenshot({ path: 'test-results/screens/report.png', fullPage: false })
  await items.first().getByRole('button').first().click()
  await expect(page.locator('.doc mark.focus')).toHaveCount(1)
  await page.screenshot({ path: 'test-results/screens/review-editor.png', fullPage: false })

  // Uploading the same bytes again opens the existing record instead of processing twice.
  await page.goto('/reports/new')
  await page.getByLabel('选择文件').setInputFiles(fixture('e2e/n001-gbk.txt'))
  await page.getByRole('button', { name: '上传并提取' }).click()
  await expect(page.getByText('这份报告此前已上传过')).toBeVisible()
  await page.goto('/reports')
  await expect(page.locator('tbody tr')).toHaveCount(before + 1)
})

test('a file of the wrong type is refused with a Chinese message and nothing is stored', async ({ page }) => {
  await login(page, 'supervisor')
  await page.goto('/reports/new')
  await page
    .getByLabel('选择文件')
    .setInputFiles({ name: 'virus.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00binary') })
  await page.getByRole('button', { name: '上传并提取' }).click()
  await expect(page.getByRole('alert')).toContainText('不支持')
  await page.goto('/reports')
  await expect(page.getByText('virus.exe')).toHaveCount(0)
})

test('staff cannot open the upload page or admin pages', async ({ page }) => {
  await login(page, 'staff')
  await expect(page.getByRole('heading', { name: '待办', level: 1 })).toBeVisible()
  await expect(page.getByRole('link', { name: '上传报告' })).toHaveCount(0)
  for (const url of ['/reports/new', '/admin/users', '/admin/units']) {
    const res = await page.goto(url)
    expect(res?.status()).toBe(403)
    await expect(page.getByText('您没有权限执行此操作。')).toBeVisible()
    // The navigation stays, so the user can go on.
    await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible()
  }
  await page.screenshot({ path: 'test-results/screens/forbidden.png' })
})
