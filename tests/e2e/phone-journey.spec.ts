// A staff member's working day on a phone (390 px), on the demo's living loop: from 待办 to the task
// that was returned, progress with a photo, 提交核验; the supervisor returns it again from his phone;
// the staff member sees 已退回 with the new reason, in 待办 and as a notification; and every email
// these steps sent carries an absolute link to the task.
import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { login } from './support'

const PHONE = { width: 390, height: 844 }

/** An .eml's text as a person reads it: headers, then the body decoded (base64 or quoted-printable). */
function readEml(raw: string): string {
  const at = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, at),
    body = raw.slice(at + 4)
  const cte = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase()
  if (cte === 'base64') return `${head}\n${Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')}`
  if (cte === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)))
    return `${head}\n${Buffer.from(bytes, 'latin1').toString('utf8')}`
  }
  return raw
}
// A 1×1 PNG: a photo as far as the evidence rules are concerned.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

test('on a phone: 待办 → progress with a photo → submit; returned with a reason; seen in 待办 and as a notice; emails link absolutely', async ({
  page,
}) => {
  test.setTimeout(180_000)
  await page.setViewportSize(PHONE)

  await login(page, 'staff')
  await expect(page.getByRole('heading', { name: '待办', level: 1 })).toBeVisible()
  const returnedList = page.locator('section', { has: page.getByRole('heading', { name: /被退回/ }) })
  await expect(returnedList).toBeVisible()
  await returnedList.locator('li a').first().click()
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/)
  const taskUrl = new URL(page.url()).pathname
  await expect(page.getByText(/退回原因：/).first()).toBeVisible()

  await page.getByLabel('完成进度（%）').fill('90')
  await page.getByLabel('进展说明').fill('已补充栏目更新前后的截图，见佐证材料。')
  await page.getByRole('button', { name: '提交进展' }).click()
  await expect(page.getByRole('status')).toHaveText('进展已填报。')
  await page.getByLabel('上传文件').setInputFiles({ name: '栏目截图.png', mimeType: 'image/png', buffer: PNG })
  await page.getByRole('button', { name: '上传', exact: true }).click()
  await expect(page.getByRole('link', { name: '栏目截图.png' })).toBeVisible()
  await page.getByRole('button', { name: '提交核验' }).click()
  await page.getByRole('button', { name: '确定提交核验' }).click()
  await expect(page.getByRole('status')).toContainText('待核验')
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)

  await login(page, 'supervisor')
  await page.goto(taskUrl)
  await page.getByRole('button', { name: '退回' }).click()
  await page.getByLabel('退回原因').fill('截图请标注栏目名称和日期。')
  await page.getByRole('button', { name: '确定退回' }).click()
  await expect(page.getByRole('status')).toContainText('进行中')

  await login(page, 'staff')
  await expect(returnedList.getByText('截图请标注栏目名称和日期。')).toBeVisible()
  await page.goto('/notifications')
  await expect(page.getByText('截图请标注栏目名称和日期。').first()).toBeVisible()
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)

  // The worker writes each email as an .eml file: those about this task link to it absolutely.
  const outbox = path.join(process.env.E2E_DATA_DIR!, 'outbox')
  const taskId = taskUrl.split('/').pop()!
  const mailsAboutTask = () =>
    fs.existsSync(outbox)
      ? fs
          .readdirSync(outbox)
          .filter(f => f.endsWith('.eml'))
          .map(f => readEml(fs.readFileSync(path.join(outbox, f), 'utf8')))
          .filter(m => m.includes(taskId))
      : []
  // the return just made reaches the staff member by email too (the worker's outbox polls)
  await expect.poll(() => mailsAboutTask().some(m => m.includes('截图请标注栏目名称和日期。')), { timeout: 30_000 }).toBe(true)
  const mails = mailsAboutTask()
  expect(mails.length).toBeGreaterThanOrEqual(2) // at least the submission (to the supervisor) and the return
  for (const m of mails) expect(m).toMatch(new RegExp(`https?://[^\\s/]+(:\\d+)?/tasks/${taskId}`))
})
