// Every page each demo role can reach works on a phone (390 px) and on an office screen (1366 px):
// the page never scrolls sideways, no script error, the header fits (one line on the desktop, a
// 菜单 button on the phone), and every same-origin link on it answers below 400.
import { expect, test, type Page } from '@playwright/test'
import { ensureStaffTasks, login } from './support'

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1366, height: 900 }
const ROLES = ['supervisor', 'staff', 'oversight', 'admin'] as const

/**
 * Links known to be broken and tracked in issue 19 ("staff report access"): a staff member's
 * 来源报告 link on a task leads to a report outside their unit's scope (404). Listed, not hidden:
 * the test notes each one it meets, and everything else stays strict.
 */
const KNOWN_BROKEN: { role: string; path: RegExp; why: string }[] = [
  {
    role: 'staff',
    path: /^\/reports\/[0-9a-f-]{36}$/,
    why: 'issue 19, staff report access: the source report of a staff task is out of scope (404)',
  },
]

/** Links the check leaves alone: logging out, and downloads that have their own tests. */
const SKIP = (path: string) => path === '/logout' || path.startsWith('/evidence/')
/** Exports are built on every request; asking with HEAD is enough to see that they answer. */
const HEAD_ONLY = (path: string) => /export|\.(xlsx|csv)$/.test(path)

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000)
  const page = await browser.newPage()
  await ensureStaffTasks(page)
  await page.close()
})

/**
 * The pages a role reaches: its navigation and bell, a search, every kind of page one click away from
 * those (one example per route: /tasks/:id, /oversight/agencies/:id, …), and from the lists a
 * confirmed report, the review page (a report still 已提取) and a task.
 */
async function reachablePages(page: Page): Promise<string[]> {
  await page.setViewportSize(DESKTOP)
  await page.goto('/tasks')
  const header = await page.locator('header a[href^="/"]').evaluateAll(as => as.map(a => a.getAttribute('href')!))
  const start = [...new Set(header.filter(h => h !== '/' && !SKIP(h)))]
  const pages = new Set([...start, '/search?q=' + encodeURIComponent('信息公开')])
  const route = (href: string) => new URL(href, 'http://x').pathname.replace(new RegExp(UUID, 'g'), ':id')
  const routes = new Set([...pages].map(route))
  const firstLink = async (list: string, pattern: RegExp, rowText?: RegExp) => {
    await page.goto(list)
    const rows = rowText ? page.locator('tr', { hasText: rowText }) : page.locator('main')
    const hrefs = await rows.locator('a[href]').evaluateAll(as => as.map(a => a.getAttribute('href')!))
    return hrefs.find(h => pattern.test(h))
  }
  const reportPage = new RegExp(`^/reports/${UUID}$`)
  for (const found of [
    (await firstLink('/reports', reportPage, /已确认/)) ?? (await firstLink('/reports', reportPage)),
    await firstLink('/reports', reportPage, /已提取/),
    await firstLink('/tasks', new RegExp(`^/tasks/${UUID}$`)),
  ]) {
    if (found) {
      pages.add(found)
      routes.add(route(found))
    }
  }
  for (const from of start) {
    await page.goto(from)
    const hrefs = await page.locator('main a[href^="/"]').evaluateAll(as => as.map(a => a.getAttribute('href')!.split('#')[0]))
    for (const href of hrefs) {
      const path = href.split('?')[0]
      if (!href || SKIP(path) || HEAD_ONLY(path) || routes.has(route(href))) continue
      routes.add(route(href))
      pages.add(href)
    }
  }
  return [...pages]
}

async function hydrated(page: Page, errors: string[]) {
  await page
    .waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined, null, { timeout: 15_000 })
    .catch(() => errors.push(`${page.url()}: never hydrated`))
}

for (const role of ROLES) {
  test(`${role}: every reachable page fits 390 px and 1366 px, without script errors or broken links`, async ({ page }) => {
    test.setTimeout(300_000)
    const errors: string[] = []
    page.on('pageerror', err => errors.push(`${page.url()}: ${err.message}`))
    page.on('console', msg => {
      if (msg.type() === 'error') errors.push(`${page.url()}: ${msg.text()}`)
    })
    await login(page, role)
    const pages = await reachablePages(page)
    expect(pages.length).toBeGreaterThan(4)
    test.info().annotations.push({ type: 'pages walked', description: pages.join(' ') })
    if (role !== 'oversight')
      expect(
        pages.some(p => p.startsWith('/tasks/')),
        'a task page to walk',
      ).toBe(true)
    if (role === 'supervisor' || role === 'admin')
      expect(pages.filter(p => p.startsWith('/reports/') && p !== '/reports/new').length, 'a report and the review page').toBeGreaterThan(0)

    const links = new Set<string>()
    const tooWide: string[] = []
    for (const size of [PHONE, DESKTOP]) {
      await page.setViewportSize(size)
      for (const path of pages) {
        await page.goto(path)
        await hydrated(page, errors)
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }))
        if (scrollWidth > innerWidth) tooWide.push(`${path} at ${size.width} px is ${scrollWidth} px wide`)
        const hrefs = await page.locator('a[href]').evaluateAll(as => as.map(a => (a as HTMLAnchorElement).href))
        for (const href of hrefs) {
          const url = new URL(href)
          if (url.origin === new URL(page.url()).origin) links.add(url.pathname + url.search)
        }
      }
    }
    expect.soft(tooWide, 'pages that scroll sideways').toEqual([])

    // The header: one line with every link visible at 1366 px; behind 菜单 at 390 px, opening in place.
    await page.setViewportSize(DESKTOP)
    await page.goto('/tasks')
    const nav = page.getByRole('navigation', { name: '主导航' })
    await expect(nav).toBeVisible()
    const fit = await page.evaluate(() => {
      const header = document.querySelector('header')!
      const bar = header.getBoundingClientRect()
      const n = header.querySelector('nav')!
      // Text that wraps makes its box taller than one line (整改/跟踪, 退出登录 below the bar).
      const wrapped = [...header.querySelectorAll<HTMLElement>('.brand, a, button, .who')]
        .filter(el => el.offsetParent !== null)
        .filter(el => {
          const r = el.getBoundingClientRect()
          return r.height > 44 || r.bottom > bar.bottom || r.top < bar.top
        })
        .map(el => el.textContent!.trim())
      return { header: bar.height, navOverflow: n.scrollWidth - n.clientWidth, wrapped }
    })
    expect(fit.header, 'header height at 1366 px (one line)').toBeLessThanOrEqual(64)
    expect(fit.wrapped, 'header items that wrap or stick out at 1366 px').toEqual([])
    expect(fit.navOverflow, 'navigation links hidden at 1366 px').toBeLessThanOrEqual(0)
    await page.setViewportSize(PHONE)
    await expect(nav).toBeHidden()
    const menu = page.locator('header summary', { hasText: '菜单' })
    await expect(menu).toBeVisible()
    expect((await menu.boundingBox())!.height).toBeGreaterThanOrEqual(44)
    await menu.click()
    await expect(nav).toBeVisible()
    await expect(menu).toHaveAttribute('aria-expanded', 'true')
    await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    // Choosing a page closes the menu again.
    await nav.getByRole('link', { name: '设置' }).click()
    await expect(page).toHaveURL(/\/settings$/)
    await expect(nav).toBeHidden()
    await expect(menu).toHaveAttribute('aria-expanded', 'false')

    // Every same-origin link answers below 400 with this user's cookies.
    test.info().annotations.push({ type: 'links checked', description: String(links.size) })
    const broken: string[] = []
    for (const link of [...links].sort()) {
      const path = link.split('?')[0]
      if (SKIP(path)) continue
      const res = HEAD_ONLY(path) ? await page.request.head(link) : await page.request.get(link)
      if (res.status() < 400) continue
      const known = KNOWN_BROKEN.find(k => k.role === role && k.path.test(path))
      if (known) test.info().annotations.push({ type: 'known broken link', description: `${link} → ${res.status()} (${known.why})` })
      else broken.push(`${link} → ${res.status()}`)
    }
    expect(broken, 'links that answer 400 or more').toEqual([])
    expect(errors, 'script errors').toEqual([])
  })
}
