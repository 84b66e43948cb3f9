// Feedback after an action (issue 19): a toast that survives the redirect (with and without
// JavaScript), a page's own confirm dialog instead of window.confirm() guarding a delete, and a
// submit button that says it is working. With SCREENSHOTS=1 it also writes docs/screenshots/toast-*.png.
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { login, WORKER_WAIT } from './support'

const FIXTURE = path.resolve('tests/fixtures/corpus/n014.txt')

/** Uploads the fixture as the supervisor and opens its review page (the same report on a second call). */
async function openReview(page: Page): Promise<string> {
  await login(page, 'supervisor')
  await page.goto('/reports/new')
  await page.getByLabel('选择文件').setInputFiles(FIXTURE)
  // The Chinese file field names the chosen file instead of the browser's "No file chosen".
  await expect(page.locator('.file-input-name')).toHaveText('n014.txt')
  await page.getByRole('button', { name: '上传并提取' }).click()
  await expect(page.locator('dd .badge')).toHaveText('已提取', { timeout: WORKER_WAIT })
  return page.url()
}

const items = (page: Page) => page.getByRole('region', { name: '提取结果' }).locator('.item')

test('a toast after saving, a pending button while it saves, and a confirm dialog before deleting', async ({ page }) => {
  // window.confirm() must not be used any more: any native dialog fails the test.
  page.on('dialog', d => {
    throw new Error(`native dialog: ${d.message()}`)
  })
  await openReview(page)
  const before = await items(page).count()
  expect(before).toBeGreaterThanOrEqual(2)

  // Pending state: the save is held back a moment, so the button can be seen saying so.
  let release: () => void = () => {}
  const held = new Promise<void>(r => (release = r))
  let hold = true
  await page.route(/\.data(\?|$)/, async route => {
    if (hold && route.request().method() === 'POST') {
      hold = false
      await held
    }
    await route.continue()
  })
  await items(page).first().getByRole('button').first().click()
  await page.getByLabel('标题').fill('栏目更新不及时（已校对）')
  await page.getByRole('button', { name: '保存', exact: true }).click()
  const pending = page.getByRole('button', { name: '正在保存…' })
  await expect(pending).toBeVisible()
  await expect(pending).toBeDisabled()
  release()

  // The toast: the action redirected (no action data left) and the root loader showed it once.
  await expect(page.getByRole('status')).toHaveText('已保存。')
  await expect(items(page).filter({ hasText: '栏目更新不及时（已校对）' })).toHaveCount(1)
  await expect(page.getByRole('button', { name: '正在保存…' })).toHaveCount(0)

  // Delete asks in the page's own dialog; Esc cancels and nothing is deleted.
  await items(page).first().getByRole('button').first().click()
  await page.getByRole('button', { name: '删除', exact: true }).click()
  const dialog = page.getByRole('alertdialog')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('删除后不能恢复。')
  await expect(dialog.getByRole('button', { name: '取消' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(items(page)).toHaveCount(before)

  await page.getByRole('button', { name: '删除', exact: true }).click()
  await dialog.getByRole('button', { name: '删除' }).click()
  await expect(page.getByRole('status')).toHaveText('已删除。')
  await expect(items(page)).toHaveCount(before - 1)
})

test('without JavaScript the toast still comes across the redirect', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await login(page, 'supervisor')
  await page.goto('/admin/units')
  // A supervisor cannot; the admin creates a unit: a real POST, a 302 and a new page.
  await login(page, 'admin')
  await page.goto('/admin/units')
  const name = `反馈测试单位${Date.now() % 100000}`
  await page.getByLabel('单位名称').fill(name)
  await page.getByRole('button', { name: '创建' }).click()
  await expect(page).toHaveURL(/\/admin\/units$/)
  await expect(page.getByRole('status')).toHaveText(`已创建单位“${name}”。`)
  // Shown once: the next page has none.
  await page.reload()
  await expect(page.getByRole('status')).toHaveCount(0)
  await context.close()
})

test('screenshots of a toast at 390 and 1366 px', async ({ page }) => {
  test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to write docs/screenshots')
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 })
    await openReview(page)
    await items(page).first().getByRole('button').first().click()
    await page.getByRole('button', { name: '保存', exact: true }).click()
    await expect(page.getByRole('status')).toHaveText('已保存。')
    await page.screenshot({ path: path.resolve('docs/screenshots', `toast-${width}.png`) })
  }
})
