// Follow-up between years, end to end: the earlier report is confirmed into tasks, the later report
// arrives, its suggestions appear for the supervisor (however the linking job is scheduled), who
// confirms one; it shows on the earlier task's timeline. Oversight reads the queue without deciding.
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { login, WORKER_WAIT } from './support'

const pair = (name: string) => path.resolve('tests/fixtures/pairs', name)

/** Uploads a report (or opens it if these bytes were uploaded before) and waits for its extraction. */
async function upload(page: Page, file: string) {
  await page.goto('/reports/new')
  await page.getByLabel('选择文件').setInputFiles(pair(file))
  await page.getByRole('button', { name: '上传并提取' }).click()
  await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}/)
  await expect(page.locator('dd .badge')).toHaveText(/已提取|已确认/, { timeout: WORKER_WAIT })
  return page.url().replace(/\?.*$/, '')
}

test("the next year's report shows last year's commitment done; the supervisor confirms it onto the task's timeline", async ({ page }) => {
  page.on('dialog', d => void d.accept())
  await login(page, 'supervisor')

  // The earlier year, confirmed into tasks.
  await upload(page, 'changde_2017.txt')
  const confirm = page.getByRole('button', { name: '确认并生成整改任务' })
  if (await confirm.isVisible()) {
    await confirm.click()
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: /仍然确认|确定生成/ })
      .click()
    await expect(page.getByRole('status')).toHaveText(/已确认，生成 \d+ 个整改任务。/)
  }
  await expect(page.locator('dd .badge')).toHaveText('已确认')

  // The later year arrives; linking may run in the report job or its own job, so wait for the queue to show it.
  const laterUrl = await upload(page, 'made_changde_2018.txt')
  await page.goto('/followup')
  const pairSection = page.getByRole('region', { name: /2017 年度 → 2018 年度/ })
  const evidenceRow = pairSection.locator('tbody tr').filter({ has: page.locator('.quote.passage', { hasText: '市民之家' }) })
  await expect(async () => {
    await page.reload()
    await expect(evidenceRow).toHaveCount(1, { timeout: 1000 })
  }).toPass({ timeout: WORKER_WAIT })
  await expect(page.getByRole('link', { name: /跨年对照（\d+ 条待确认）/ })).toBeVisible()
  await page.screenshot({ path: 'test-results/screens/followup-queue.png', fullPage: true })

  // Only the evidence, as a supervisor would filter it.
  await page.getByLabel('类型').selectOption({ label: '落实证据' })
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/kind=evidence/)
  await expect(pairSection.locator('tbody tr').filter({ has: page.locator('.badge', { hasText: '问题复现' }) })).toHaveCount(0)
  await expect(evidenceRow).toContainText('市政务中心整体搬迁入驻市民之家')

  const taskHref = await evidenceRow.locator('td').nth(1).getByRole('link').getAttribute('href')
  expect(taskHref).toMatch(/^\/tasks\/[0-9a-f-]{36}$/)
  const pendingBefore = await pairSection.locator('tbody tr').count()
  await evidenceRow.getByRole('button', { name: /^确认/ }).click()
  await expect(page.getByRole('status')).toHaveText('已确认，已记入相关任务的处理记录。')
  await expect(evidenceRow).toHaveCount(0) // decided: it leaves the pending list
  if (pendingBefore > 1) await expect(pairSection.locator('tbody tr')).toHaveCount(pendingBefore - 1)

  // The earlier task: the passage in the later report's text, confirmed, and the event on the timeline.
  await page.goto(taskHref!)
  const section = page.getByRole('region', { name: '次年报告中的整改情况' })
  await expect(section.locator('mark.evidence', { hasText: '市民之家' })).toBeVisible()
  await expect(section.getByText('已确认', { exact: true })).toBeVisible()
  const timeline = page.getByRole('region', { name: '处理记录' })
  await expect(timeline.getByText('次年报告显示已落实（已确认）')).toBeVisible()
  await expect(timeline.getByText(/市政务中心整体搬迁入驻市民之家/)).toBeVisible()
  await expect(timeline.getByRole('link', { name: '见 2018 年度报告' })).toBeVisible()
  await page.screenshot({ path: 'test-results/screens/followup-task.png', fullPage: true })
  await section.evaluate(el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 260))
  await page.screenshot({ path: 'test-results/screens/followup-task-section.png' })

  // "在报告原文中查看" opens the later report at the passage.
  await section.getByRole('link', { name: '在报告原文中查看' }).first().click()
  await expect(page).toHaveURL(new RegExp(`${laterUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#mark-`))
  await expect(page.locator('.doc mark.evidence.focus')).toBeVisible()
  const crossYear = page.getByRole('region', { name: '跨年度对照' })
  await expect(crossYear.getByRole('heading', { name: /再次出现的问题/ })).toBeVisible()
  await expect(crossYear.getByRole('columnheader', { name: '上一年度的问题' })).toBeVisible()
  await page.screenshot({ path: 'test-results/screens/followup-report.png', fullPage: false })
  await crossYear.scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'test-results/screens/followup-report-table.png', fullPage: false })

  // A problem that recurs: its task shows the next year's wording beside its own.
  await page.goto('/followup?kind=recurring')
  const recurringRow = page.locator('tbody tr').first()
  await expect(recurringRow).toContainText('问题复现')
  await page.goto((await recurringRow.locator('td').nth(1).getByRole('link').getAttribute('href'))!)
  const recurrence = page.getByRole('region', { name: '问题复现' })
  await expect(recurrence.getByText(/该问题在 2018 年度报告中再次出现/)).toBeVisible()
  await expect(recurrence.locator('.side')).toHaveCount(2)
  await expect(recurrence.locator('.side.mine')).toContainText('2017 年度的问题（本任务）')
  await expect(recurrence.getByRole('button', { name: '确认' })).toBeVisible()
  await recurrence.screenshot({ path: 'test-results/screens/followup-task-recurring.png' })

  // Oversight reads the queue but has nothing to decide with; a forged decision is refused.
  await login(page, 'oversight')
  await page.goto('/followup')
  await expect(page.getByText('只有督办人可以确认或驳回')).toBeVisible()
  await expect(page.getByRole('region', { name: /2017 年度 → 2018 年度/ })).toBeVisible()
  await expect(page.getByRole('button', { name: /^确认/ })).toHaveCount(0)
  const forged = await page.evaluate(
    async () =>
      (
        await fetch('/followup', {
          method: 'POST',
          body: new URLSearchParams({ intent: 'followup', suggestionId: 'x', decision: 'confirm' }),
        })
      ).status,
  )
  expect(forged).toBe(403)
})
