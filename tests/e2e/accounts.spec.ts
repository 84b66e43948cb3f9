// Account management (issue 19), as the admin and the user would do it: the admin creates an
// account, edits it and sets a password; the user changes it in 设置; the admin deactivates the
// account after a confirmation step, and the user's open session ends on its next request.
import { expect, test, type Page } from '@playwright/test'
import { login } from './support'

async function signIn(page: Page, username: string, password: string) {
  await page.context().clearCookies()
  await page.goto('/login')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page).not.toHaveURL(/\/login/)
}

test('admin edits, resets and deactivates an account; the user changes the password; deactivation ends the open session', async ({
  page,
  browser,
}) => {
  const username = `e2e${Date.now().toString(36)}`
  await login(page, 'admin')
  await page.goto('/admin/users')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('姓名').fill('临时账户')
  await page.getByLabel('密码').fill('first-pass-1')
  await page.getByRole('button', { name: '创建' }).click()
  await expect(page.getByRole('status').filter({ hasText: '已创建用户' })).toBeVisible()

  await page.getByRole('link', { name: `编辑 ${username}` }).click()
  await expect(page.getByRole('heading', { name: `编辑用户：${username}` })).toBeVisible()
  await page.getByLabel('姓名').fill('王临时')
  await page.getByRole('button', { name: '保存' }).click()
  await expect(page.getByRole('status')).toHaveText('已保存。')
  // a password that breaks the rule is refused in Chinese; a good one is set
  await page.getByLabel('新密码').fill('short')
  await page.getByRole('button', { name: '设置为输入的密码' }).click()
  await expect(page.getByRole('alert').filter({ hasText: '密码至少 8 位。' })).toBeVisible()
  await page.getByLabel('新密码').fill('admin-set-pass-2')
  await page.getByRole('button', { name: '设置为输入的密码' }).click()
  await expect(page.getByRole('status')).toContainText('密码已重置')

  // the user signs in elsewhere and changes the password in 设置, the current one required
  const phone = await browser.newPage()
  await signIn(phone, username, 'admin-set-pass-2')
  await phone.goto('/settings')
  await phone.getByLabel('当前密码').fill('admin-set-pass-2')
  await phone.getByLabel('新密码', { exact: true }).fill('my-own-pass-3')
  await phone.getByLabel('再次输入新密码').fill('my-own-pass-3')
  await phone.getByRole('button', { name: '修改密码' }).click()
  await expect(phone.getByRole('status')).toContainText('密码已修改')
  await phone.goto('/tasks')
  await expect(phone).toHaveURL(/\/tasks/)

  // the admin deactivates the account: a confirmation step first, then the session ends at once
  await page.getByRole('link', { name: '停用账户…' }).click()
  const confirm = page.getByRole('alertdialog', { name: /确定停用“王临时/ })
  await expect(confirm).toContainText('API 令牌全部撤销')
  await confirm.getByRole('button', { name: '确认停用' }).click()
  await expect(page.getByRole('status')).toContainText('账户已停用')
  await expect(page.getByRole('button', { name: '重新启用' })).toBeVisible()
  await phone.goto('/tasks')
  await expect(phone).toHaveURL(/\/login/)
  await phone.close()
})
