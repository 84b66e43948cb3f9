// Every page in each demo role's navigation loads and hydrates without a script error (the 跨年对照
// page threw "SUGGESTION_STATUSES is not iterable" on load: a server-only constant in browser code).
import { expect, test } from '@playwright/test'
import { login } from './support'

for (const role of ['supervisor', 'staff', 'oversight', 'admin']) {
  test(`${role}: every navigation page loads without a script error`, async ({ page }) => {
    const errors: string[] = []
    page.on('pageerror', err => errors.push(`${page.url()}: ${err.message}`))
    page.on('console', msg => {
      if (msg.type() === 'error') errors.push(`${page.url()}: ${msg.text()}`)
    })
    await login(page, role)
    const hrefs = await page
      .locator('header a[href^="/"], nav a[href^="/"]')
      .evaluateAll(as => [...new Set(as.map(a => a.getAttribute('href')!))])
    expect(hrefs.length).toBeGreaterThan(2)
    for (const href of hrefs.filter(h => !h.startsWith('/logout') && !/\.(xlsx|csv)$/.test(h) && !h.includes('export'))) {
      await page.goto(href)
      // hydrated: React has attached (Remix sets window.__remixContext and the router)
      await page
        .waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined, null, { timeout: 15_000 })
        .catch(() => errors.push(`${href}: never hydrated`))
    }
    expect(errors).toEqual([])
  })
}
