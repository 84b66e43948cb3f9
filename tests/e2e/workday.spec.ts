// The working-day pieces of issue 19 in the browser: 设置 channels, the 群机器人 admin page, bulk
// changes on the task list, the report list's filters, the agency search on the review page, and a
// user's change of unit. Each page is checked for sideways scrolling at 390 px; with SCREENSHOTS=1
// the pictures go to docs/screenshots (look at them), otherwise to test-results.
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { login } from './support'

const SIZES = [
  { name: '390', width: 390, height: 844 },
  { name: '1366', width: 1366, height: 900 },
]
const dir = process.env.SCREENSHOTS ? 'docs/screenshots' : 'test-results/workday'

async function check(page: Page, name: string, size: { name: string; width: number }, part?: string) {
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined)
  const { scrollWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth }))
  expect(scrollWidth, `${name} at ${size.name} px scrolls sideways`).toBeLessThanOrEqual(size.width)
  const file = path.resolve(dir, `${name}-${size.name}.png`)
  // A long page (the review) is shown by the part that changed.
  if (part) await page.locator(part).first().screenshot({ path: file })
  else await page.screenshot({ path: file, fullPage: true })
}

test('settings channels, robots admin, bulk task changes, report filters, agency search, unit change', async ({ page }) => {
  test.setTimeout(300_000)
  page.setDefaultTimeout(20_000)
  const errors: string[] = []
  page.on('pageerror', e => errors.push(e.message))

  // 设置: turn email off, and it stays off
  await login(page, 'staff')
  await page.goto('/settings')
  await page.getByLabel('同时发送邮件').uncheck()
  await page.getByRole('button', { name: '保存通知方式' }).click()
  await expect(page.getByRole('status')).toHaveText('已保存：只接收站内通知，不再发送邮件。')
  await page.reload()
  await expect(page.getByLabel('同时发送邮件')).not.toBeChecked()
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await page.goto('/settings')
    await check(page, 'settings', size)
  }

  // 群机器人: add a WeCom robot, see it masked, stop it, ask to delete it
  await login(page, 'admin')
  await page.setViewportSize(SIZES[1])
  await page.goto('/admin/webhooks')
  await page.getByRole('combobox', { name: /^单位/ }).selectOption({ label: '示范市发展和改革委员会' })
  await page.getByLabel('类型').selectOption('dingtalk')
  await page.getByLabel('Webhook 地址').fill('https://oapi.dingtalk.com/robot/send')
  await page.getByRole('button', { name: '添加群机器人' }).click()
  await expect(page.getByRole('alert')).toContainText('access_token')
  await page.getByLabel('Webhook 地址').fill('https://oapi.dingtalk.com/robot/send?access_token=0f1e2d3c4b5a69788796a5b4c3d2e1f0')
  await page.getByLabel('加签密钥（仅钉钉，可选）').fill('SECb1a2c3d4e5f60718293a4b5c6d7e8f9')
  await page.getByRole('button', { name: '添加群机器人' }).click()
  await expect(page.getByRole('status')).toContainText('群机器人已添加')
  await expect(page.locator('main')).toContainText('access_token=…e1f0')
  await expect(page.locator('main')).not.toContainText('0f1e2d3c4b5a69788796a5b4c3d2e1f0')
  await expect(page.locator('main')).toContainText('已加签（SEC…e8f9）')
  await page.getByLabel('类型').selectOption('wecom')
  await page.getByRole('combobox', { name: /^单位/ }).selectOption({ label: '示范市教育局' })
  await page.getByLabel('Webhook 地址').fill('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7a2b-4bc4-97a0-0ec2f1fa5aaa')
  await page.getByRole('button', { name: '添加群机器人' }).click()
  await expect(page.getByRole('status')).toContainText('群机器人已添加')
  await page.getByRole('button', { name: '停用' }).nth(1).click()
  await expect(page.getByRole('status')).toHaveText('群机器人已停用。')
  await page.getByRole('link', { name: '删除' }).nth(1).click()
  await expect(page.getByRole('alertdialog')).toContainText('确定删除')
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await check(page, 'webhooks', size)
  }
  await page.getByRole('alertdialog').getByRole('button', { name: '确定删除' }).click()
  await expect(page.getByRole('status')).toHaveText('群机器人已删除。')

  // a user's change of unit, with open tasks: the choice is asked
  await page.goto('/admin/users')
  await page
    .getByRole('link', { name: /staff|李责任/ })
    .first()
    .click()
  await expect(page.locator('main')).toContainText(/负责 \d+ 项未完成的整改任务/)
  await page.getByRole('combobox', { name: '所属单位' }).selectOption({ label: '示范市教育局' })
  await expect(page.getByRole('group', { name: /更换单位后这些任务/ })).toContainText('一并移到新单位')
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await check(page, 'user-unit-change', size)
  }

  // bulk changes on the task list, as the supervisor
  await login(page, 'supervisor')
  await page.setViewportSize(SIZES[1])
  await page.goto('/tasks?status=in_progress')
  const picks = page.locator('input.bulk-pick')
  await expect(picks.first()).toBeVisible()
  await picks.nth(0).check()
  await picks.nth(1).check()
  await expect(page.getByRole('button', { name: '应用到所选 2 项' })).toBeEnabled()
  await page.locator('#bulk').getByLabel('整改时限').fill('2020-01-01')
  // the browser's own date check is bypassed to show the server's Chinese refusal
  await page.locator('#bulk input[type=date]').evaluate(e => e.removeAttribute('min'))
  await page.getByRole('button', { name: '应用到所选 2 项' }).click()
  await expect(page.getByRole('alert')).toContainText('整改时限不能早于今天')
  await picks.nth(0).check()
  await picks.nth(1).check()
  await page.locator('#bulk').getByLabel('整改时限').fill('2030-06-30')
  await page.getByRole('button', { name: '应用到所选 2 项' }).click()
  await expect(page.getByRole('status')).toContainText(/已修改 \d 项任务|未改动/)
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await page.goto('/tasks?status=in_progress')
    await picks.nth(0).check()
    await check(page, 'tasks-bulk', size)
  }

  // report list: filter and search
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await page.goto('/reports?q=%E5%B8%B8%E5%BE%B7')
    await expect(page.locator('main')).toContainText('常德')
    await check(page, 'reports-list', size)
  }

  // the agency search on the review page
  await page.setViewportSize(SIZES[1])
  await page.goto('/reports?status=extracted')
  await page.locator('main table a[href^="/reports/"]').first().click()
  await page.getByText('更正报告机关和年度').click()
  const agency = page.getByRole('combobox', { name: '报告机关' })
  // the first characters of the extracted name find its agency in the registry
  const typed = (await agency.inputValue()).slice(0, 3)
  await agency.fill(typed)
  await expect(page.locator('datalist option').first()).toHaveAttribute('value', new RegExp(`^${typed.slice(0, 2)}`))
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await check(page, 'review-agency', size, '.metadata-fix')
  }
  expect(errors).toEqual([])
})
