// Issue 18, item 6: a 398 KB PDF with a 400 MB content stream was inflated for validation in the web
// process (327 → 1,173 MB, event loop stalled 8.6 s), and the 预览 of an 18 MB crafted text stalled it
// 4 s. Uploads are now decoded (and previews extracted) in the web's extraction threads, and a PDF
// whose flate streams inflate past the worker's limits (PDF_LIMITS) is refused before pdfjs reads it.
// Measured here on the event loop the routes run on (the one /healthz answers from) and the
// process's memory (threads included). The stall bound is loose by default and 1 s under
// HARDENING_FULL (tests/support/timing.ts); before the change the bomb stalled it for seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useFreshAppDatabase } from '../support/app'
import { deletePrefix } from '../support/redis'
import { expectWithin } from '../support/timing'
import { buildWorld, fingerprint, flateBombPdf, invokeRoute, reportText, type World } from './support/hostile'

const dir = useFreshAppDatabase()
process.env.QUEUE_PREFIX = `fttest-decode-loop-${process.pid}`
const MB = 1024 * 1024

let w: World
type Fn = (a: any) => Promise<unknown>
let uploadRoute: { action: Fn }
let apiReports: { action: Fn }

beforeAll(async () => {
  w = await buildWorld(dir)
  uploadRoute = (await import('../../app/routes/_app.reports.new')) as any
  apiReports = (await import('../../app/routes/api.v1.reports')) as any
  // The thread loads its decoders once (as a running server's has long since); not part of any measurement.
  const form = new FormData()
  form.append('text', reportText('warm-up'))
  form.append('intent', 'preview')
  await invokeRoute(
    uploadRoute.action,
    new Request('http://localhost/reports/new', { method: 'POST', headers: { Cookie: w.cookies.supervisor }, body: form }),
  )
}, 120_000)

afterAll(async () => {
  const { closeUploadThreads } = await import('../../app/reports/upload-threads.server')
  await closeUploadThreads()
  await deletePrefix(process.env.QUEUE_PREFIX!)
})

/**
 * Runs `fn` while watching the event loop (the longest gap between ticks of a 10 ms timer, as a
 * /healthz request would wait) and the process's memory (its highest RSS, threads included).
 */
async function watched<T>(fn: () => Promise<T>): Promise<{ result: T; stallMs: number; growthMb: number }> {
  const rss0 = process.memoryUsage().rss
  let peak = rss0
  let last = performance.now()
  let stall = 0
  const tick = setInterval(() => {
    const now = performance.now()
    stall = Math.max(stall, now - last)
    last = now
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 10)
  try {
    const result = await fn()
    // one more tick, so a stall that ended with fn is measured too
    await new Promise(r => setTimeout(r, 30))
    return { result, stallMs: stall, growthMb: (peak - rss0) / MB }
  } finally {
    clearInterval(tick)
  }
}

function pageUpload(file: File, intent?: string) {
  const form = new FormData()
  form.append('file', file)
  if (intent) form.append('intent', intent)
  return new Request('http://localhost/reports/new', { method: 'POST', headers: { Cookie: w.cookies.supervisor }, body: form })
}

describe('decoding uploads off the event loop', () => {
  it('a 400 KB PDF whose content stream inflates to 400 MB is refused in Chinese by the page, its preview and the API, without stalling the loop or taking memory', async () => {
    const bomb = flateBombPdf(400)
    expect(bomb.byteLength).toBeLessThan(1 * MB)
    for (const how of ['preview', 'page', 'api'] as const) {
      const before = await fingerprint(w.db)
      const request =
        how === 'api'
          ? (() => {
              const form = new FormData()
              form.append('file', new File([bomb as Uint8Array<ArrayBuffer>], '炸弹.pdf'))
              return new Request('http://localhost/api/v1/reports', {
                method: 'POST',
                headers: { Authorization: `Bearer ${w.tokens.supervisor}` },
                body: form,
              })
            })()
          : pageUpload(new File([bomb as Uint8Array<ArrayBuffer>], '炸弹.pdf'), how === 'preview' ? 'preview' : undefined)
      const {
        result: res,
        stallMs,
        growthMb,
      } = await watched(() => invokeRoute(how === 'api' ? apiReports.action : uploadRoute.action, request))
      const what = `${how}: ${res.status} ${res.text.slice(0, 200)} (loop stalled ${Math.round(stallMs)} ms, memory +${Math.round(growthMb)} MB)`
      console.log(`[hardening] flate bomb, ${what}`)
      expect(res.status, what).toBe(413)
      expect(res.text, what).toMatch(/解压后内容过大/)
      expect(growthMb, what).toBeLessThan(100)
      expect(stallMs, what).toBeLessThan(3000)
      expectWithin(stallMs, 1000, what)
      expect(await fingerprint(w.db)).toBe(before)
    }
  }, 120_000)

  it('the preview of an 18 MB text (4 s of extraction) is made without stalling the loop', async () => {
    const line = '本年度我局认真贯彻落实政府信息公开条例，持续推进政务公开工作。\n'
    const text = reportText('大文本') + line.repeat(Math.ceil((18 * MB) / Buffer.byteLength(line)))
    const { result: res, stallMs } = await watched(() =>
      invokeRoute(uploadRoute.action, pageUpload(new File([text], '大文本.txt'), 'preview')),
    )
    const what = `preview 18 MB text: ${res.status} ${res.text.slice(0, 120)} (loop stalled ${Math.round(stallMs)} ms)`
    console.log(`[hardening] ${what}`)
    expect(res.status, what).toBe(200)
    expect(JSON.parse(res.text).preview.year, what).toBe(2024)
    expectWithin(stallMs, 1000, what)
  }, 120_000)

  it('a normal PDF is still accepted through the threads', async () => {
    const fs = await import('node:fs')
    const path = await import('node:path')
    const bytes = fs.readFileSync(path.resolve(__dirname, '../fixtures/documents/report.pdf'))
    const res = await invokeRoute(uploadRoute.action, pageUpload(new File([bytes], '年报.pdf')))
    expect(res.status, res.text.slice(0, 200)).toBe(302)
    const id = res.headers.get('Location')!.split('/').pop()!.split('?')[0]
    const row = await w.db.selectFrom('reports').select(['format', 'text']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.format).toBe('pdf')
    expect(row.text!.length).toBeGreaterThan(100)
  })
})
