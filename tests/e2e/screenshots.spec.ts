// Screenshots for docs/screenshots: 待办 of the staff member and of the supervisor, the staff
// member's task list, a task page and the supervisor's review page, on a phone (390 px) and an
// office screen (1366 px), plus the open phone menu.
// Run by hand after a layout change, then look at every picture:
//   SCREENSHOTS=1 npx playwright test tests/e2e/screenshots.spec.ts
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { ensureStaffTasks, login } from './support'

test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to write docs/screenshots')

const SIZES = [
  { name: '390', width: 390, height: 844 },
  { name: '1366', width: 1366, height: 900 },
]
const out = (name: string) => path.resolve('docs/screenshots', `${name}.png`)

async function shoot(page: Page, name: string, fullPage = true) {
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined)
  await page.screenshot({ path: out(name), fullPage })
}

test('task list, task page and review page at 390 and 1366 px', async ({ page }) => {
  test.setTimeout(240_000)
  await ensureStaffTasks(page)
  const review = page.locator('tr', { hasText: '已提取' }).first().getByRole('link').first()
  await page.goto('/reports')
  const reviewUrl = (await review.getAttribute('href'))!

  // The staff member has reported some progress, so the task page shows a timeline.
  await login(page, 'staff')
  await page.goto('/tasks')
  const taskUrl = (await page.locator('main a[href^="/tasks/"]').first().getAttribute('href'))!
  await page.goto(taskUrl)
  await page.getByLabel('完成进度（%）').fill('40')
  await page.getByLabel('进展说明').fill('已制定信息公开栏目改版方案，正在征求各科室意见。')
  await page.getByRole('button', { name: '提交进展' }).click()
  await expect(page.getByRole('status')).toHaveText('进展已填报。')

  for (const size of SIZES) {
    await page.setViewportSize(size)
    await page.goto('/todo')
    await shoot(page, `todo-staff-${size.name}`)
    await page.goto('/tasks')
    await shoot(page, `tasks-${size.name}`)
    await page.goto(taskUrl)
    await shoot(page, `task-${size.name}`)
  }
  await page.setViewportSize(SIZES[0])
  await page.goto('/tasks')
  await page.locator('header summary', { hasText: '菜单' }).click()
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible()
  await shoot(page, 'menu-390', false)

  await login(page, 'supervisor')
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await page.goto('/todo')
    await shoot(page, `todo-supervisor-${size.name}`)
    await page.goto(reviewUrl)
    await shoot(page, `review-${size.name}`)
  }
})
