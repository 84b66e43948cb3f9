// Shared steps of the end-to-end specs.
import { expect, type Page } from '@playwright/test'

/** Signs in as a demo user (password "demo"), starting from a browser with no session. */
export async function login(page: Page, username: string): Promise<void> {
  await page.context().clearCookies()
  await page.goto('/login')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill('demo')
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page).not.toHaveURL(/\/login/)
}
