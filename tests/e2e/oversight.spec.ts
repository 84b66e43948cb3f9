// Oversight's morning: the overview across agencies, narrowed to one year, one agency's charts,
// and the overview exported to Excel with exactly the rows on the screen.
import fs from 'node:fs'
import ExcelJS from 'exceljs'
import { expect, test } from '@playwright/test'
import { login, WORKER_WAIT } from './support'

const AGENCY = '遂溪县政务服务中心'

test('oversight: overview, filter to a year, an agency with charts, export .xlsx', async ({ page }) => {
  page.on('dialog', d => void d.accept())
  await page.setViewportSize({ width: 1280, height: 900 })

  // The supervisor confirms one demo report once the worker has extracted it, so it has tasks.
  await login(page, 'supervisor')
  await page.goto('/reports')
  const reportRow = page.locator('tr', { hasText: AGENCY })
  await expect(async () => {
    await page.reload()
    await expect(reportRow).toContainText('已提取', { timeout: 2_000 })
  }).toPass({ timeout: WORKER_WAIT })
  await reportRow.getByRole('link').first().click()
  await page.getByRole('button', { name: '确认并生成整改任务' }).click()
  // nobody owns the items yet: the step lists them, and the supervisor confirms all the same
  const step = page.getByRole('alertdialog', { name: /确认并生成 \d+ 个整改任务？/ })
  await expect(step).toContainText('尚未指定责任人')
  await step.getByRole('button', { name: /仍然确认/ }).click()
  await expect(page.getByRole('status')).toContainText('已确认')

  // Oversight opens the overview (by default the five years up to the latest report), then every
  // demo agency of 2016–2020, with a totals row.
  await login(page, 'oversight')
  await page.getByRole('link', { name: '督查总览' }).click()
  await expect(page).toHaveURL(/\/oversight$/)
  await expect(page.getByRole('heading', { level: 1, name: '督查总览' })).toBeVisible()
  const table = page.locator('table.oversight-table')
  await page.getByRole('combobox', { name: '年度从', exact: true }).selectOption('2016')
  await page.getByRole('combobox', { name: '至', exact: true }).selectOption('2020')
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/from=2016&to=2020/)
  await expect(async () => {
    await page.reload()
    // 2016–2020: four demo agencies (the 2013 report is outside); specs that ran before may have added more.
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(4)
  }).toPass({ timeout: WORKER_WAIT })
  await expect(table.locator('tfoot')).toContainText('合计')

  // Filter to 2018.
  await page.getByRole('combobox', { name: '年度从', exact: true }).selectOption('2018')
  await page.getByRole('combobox', { name: '至', exact: true }).selectOption('2018')
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/from=2018&to=2018/)
  const caption = page.getByText(/2018 年度 · 共 \d+ 个报告机关/)
  await expect(caption).toBeVisible()
  const inYear = Number(/共 (\d+) 个/.exec(await caption.innerText())![1])
  expect(inYear).toBeGreaterThanOrEqual(2) // two demo agencies reported for 2018
  const rows = table.locator('tbody tr')
  await expect(rows).toHaveCount(inYear)
  const agencyRow = rows.filter({ hasText: AGENCY })
  const tasksShown = Number(await agencyRow.locator('td').nth(1).innerText())
  expect(tasksShown).toBeGreaterThan(0)
  await page.screenshot({ path: 'test-results/screens/oversight-overview.png', fullPage: true })

  // Sorting by a column keeps the filter.
  await page.getByRole('link', { name: '按“报告机关”排序' }).click()
  await expect(page).toHaveURL(/from=2018&to=2018.*sort=name&dir=asc/)
  await expect(rows).toHaveCount(inYear)
  const shownNames = await rows.locator('th').allInnerTexts()

  // The export has exactly the rows shown, and the totals.
  const downloading = page.waitForEvent('download')
  await page.getByRole('link', { name: '导出 Excel' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/^机关总览-2018-2018-\d{4}-\d{2}-\d{2}\.xlsx$/)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(fs.readFileSync((await download.path())!) as unknown as ExcelJS.Buffer)
  const ws = wb.worksheets[0]
  const header = (ws.getRow(1).values as unknown[]).slice(1)
  expect(header[0]).toBe('报告机关')
  expect(header).toContain('2018年报告')
  const names: unknown[] = []
  for (let r = 2; r <= ws.rowCount; r++) names.push(ws.getRow(r).getCell(1).value)
  expect(names).toEqual([...shownNames, '合计'])
  const tasksCol = header.indexOf('整改任务') + 1
  const exportedRow = ws.getRow(2 + shownNames.indexOf(AGENCY))
  expect(exportedRow.getCell(tasksCol).value).toBe(tasksShown)

  // Open the agency: its charts are there, with Chinese labels.
  await table.getByRole('link', { name: AGENCY }).click()
  await expect(page).toHaveURL(/\/oversight\/agencies\/[0-9a-f-]{36}\?/)
  await expect(page.getByRole('heading', { level: 1, name: AGENCY })).toBeVisible()
  for (const name of ['销号率（按年度）', '承认的问题与复现的问题（按年度）', '各年度任务的销号情况', '未完成任务已持续时间']) {
    const chart = page.getByRole('img', { name: new RegExp(`^${name.replace(/[()（）]/g, '.')}`) })
    await expect(chart).toBeVisible()
  }
  const svgs = page.locator('figure.chart svg[role="img"]')
  await expect(svgs).toHaveCount(4)
  await expect(svgs.first().locator('text', { hasText: '2018年' })).toHaveCount(1)
  await expect(svgs.nth(3).locator('text', { hasText: '30 天以内' })).toHaveCount(1)
  // The open tasks just created are all under 30 days old.
  await expect(page.getByRole('region', { name: '未完成任务按已持续时间' }).getByRole('row', { name: /30 天以内/ })).toContainText(
    String(tasksShown),
  )
  await page.screenshot({ path: 'test-results/screens/oversight-agency.png', fullPage: true })
  await page.emulateMedia({ media: 'print' })
  await expect(page.getByRole('button', { name: '打印' })).toBeHidden()
  await page.screenshot({ path: 'test-results/screens/oversight-agency-print.png', fullPage: true })
  await page.emulateMedia({ media: 'screen' })

  // Oversight changes nothing: no form on these pages posts anywhere.
  expect(await page.locator('main form[method="post"]').count()).toBe(0)
})

test('staff have no oversight pages', async ({ page }) => {
  await login(page, 'staff')
  await expect(page.getByRole('link', { name: '督查总览' })).toHaveCount(0)
  const res = await page.goto('/oversight')
  expect(res?.status()).toBe(403)
})
