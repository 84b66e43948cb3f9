// Shared steps of the end-to-end specs.
import { expect, type Page } from '@playwright/test'

/**
 * How long a spec waits for the background worker (extraction, linking, notices). Generous on
 * purpose: on a loaded CI machine the worker shares two cores with the web process and the browser,
 * and a wait that is long enough costs nothing when the work is quick.
 */
export const WORKER_WAIT = 150_000

/** Signs in as a demo user (password "demo"), starting from a browser with no session. */
export async function login(page: Page, username: string): Promise<void> {
  await page.context().clearCookies()
  await page.goto('/login')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill('demo')
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page).not.toHaveURL(/\/login/)
}

/**
 * Gives the staff member work to show: the supervisor confirms one demo report with every item
 * assigned to 李责任 (示范市发展和改革委员会). Does nothing if that report is already confirmed.
 * The default is a report no other spec confirms (followup.spec confirms 常德, oversight.spec 遂溪).
 */
export async function ensureStaffTasks(page: Page, agency = '白城经济开发区'): Promise<void> {
  await login(page, 'supervisor')
  await page.goto('/reports')
  const row = page.locator('tr', { hasText: agency })
  // The worker extracts the demo reports on first start.
  await expect(async () => {
    await page.reload()
    await expect(row).toContainText(/已提取|已确认/, { timeout: 2_000 })
  }).toPass({ timeout: WORKER_WAIT })
  if ((await row.innerText()).includes('已确认')) return
  await row.getByRole('link').first().click()
  await page.getByLabel('全选').check()
  await page.getByLabel('责任单位').selectOption({ label: '示范市发展和改革委员会' })
  await page.getByLabel('责任人').selectOption({ label: '李责任' })
  await page.getByRole('button', { name: /应用到选中的/ }).click()
  await expect(page.getByRole('status')).toHaveText(/已设置 \d+ 条。/)
  // Confirming is a step on the page: it says how many tasks will be made, then asks once.
  await page.getByRole('button', { name: '确认并生成整改任务' }).click()
  await page
    .getByRole('alertdialog')
    .getByRole('button', { name: /^确定生成 \d+ 个任务$/ })
    .click()
  await expect(page.getByRole('status')).toContainText('已确认')
}
