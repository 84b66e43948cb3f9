// Bad input: a generated corpus of hostile files through every way a report gets in (the upload page,
// its preview, the JSON API, and the worker's decode of stored bytes as a batch import leaves them),
// then seeded fuzzing of every form action and API endpoint found in app/routes. Each answer is a
// 4xx with a Chinese message (or a normal success); never a crash, never a hang, nothing partial
// stored. HARDENING_FULL=1 adds the slow cases and more fuzz rounds.
import fs from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useFreshAppDatabase } from '../support/app'
import { deletePrefix } from '../support/redis'
import {
  buildWorld,
  fingerprint,
  fuzzStrings,
  hostileFilenames,
  hostileFiles,
  invokeRoute,
  prng,
  reportText,
  wrongTypes,
  type World,
} from './support/hostile'

const dir = useFreshAppDatabase()
process.env.QUEUE_PREFIX = `fttest-hostile-${process.pid}`
// Hundreds of uploads by one user in a minute: the per-user rate limits (tested in security.test.ts) would answer 429.
process.env.RATE_LIMITS = 'off'
const FULL = !!process.env.HARDENING_FULL
const ROUTES_DIR = path.resolve(__dirname, '../../app/routes')
const CJK = /[\u4e00-\u9fff]/
/** A hostile file must be answered within this time (the PDF decoder's own budget is 60 s). */
const BOUND_MS = 20_000

let w: World
type Fn = (a: any) => Promise<unknown>
let uploadRoute: { action: Fn }
let apiReports: { action: Fn }

beforeAll(async () => {
  w = await buildWorld(dir)
  uploadRoute = (await import('../../app/routes/_app.reports.new')) as any
  apiReports = (await import('../../app/routes/api.v1.reports')) as any
}, 120_000)

/** Figures for docs/reliability.md, printed at the end of the run. */
const tally = { fileRequests: 0, workerDecodes: 0, formRequests: 0, apiRequests: 0, refused: 0 }
afterAll(async () => {
  console.log(`[hardening] hostile inputs: ${JSON.stringify(tally)}`)
  await deletePrefix(process.env.QUEUE_PREFIX!)
})

const count = async (table: 'reports' | 'report_sources' | 'report_items') =>
  Number(
    (
      await w.db
        .selectFrom(table)
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
const stored = async () => `${await count('reports')}/${await count('report_sources')}/${await count('report_items')}`

function pageUpload(file: File, intent?: string) {
  const form = new FormData()
  form.append('file', file)
  if (intent) form.append('intent', intent)
  return new Request('http://localhost/reports/new', { method: 'POST', headers: { Cookie: w.cookies.supervisor }, body: form })
}
function apiUpload(file: File) {
  const form = new FormData()
  form.append('file', file)
  return new Request('http://localhost/api/v1/reports', {
    method: 'POST',
    headers: { Authorization: `Bearer ${w.tokens.supervisor}` },
    body: form,
  })
}
const errorOf = (text: string) => {
  try {
    return String(JSON.parse(text).error ?? '')
  } catch {
    return text
  }
}

describe('hostile files', () => {
  const files = hostileFiles().filter(f => FULL || !f.full)
  const seen = new Set<string>()

  for (const f of files) {
    it(`${f.name}: upload page, preview and API answer cleanly, in bounded time, storing nothing when refused`, async () => {
      const bytes = f.bytes() as Uint8Array<ArrayBuffer>
      for (const [how, request] of [
        ['preview', () => pageUpload(new File([bytes], f.filename), 'preview')],
        ['page', () => pageUpload(new File([bytes], f.filename))],
        ['api', () => apiUpload(new File([bytes], f.filename))],
      ] as const) {
        const before = await stored()
        const t0 = Date.now()
        const res = await invokeRoute(how === 'api' ? apiReports.action : uploadRoute.action, request())
        tally.fileRequests++
        if (res.status >= 400) tally.refused++
        const ms = Date.now() - t0
        const what = `${how} ${f.filename}: ${res.status} ${res.text.slice(0, 200)}`
        expect(ms, what).toBeLessThan(BOUND_MS)
        expect(res.status, what).toBeLessThan(500)
        const refused = res.status >= 400
        if (f.expect === 'refuse') expect(refused, what).toBe(true)
        if (f.expect === 'accept') expect(refused, what).toBe(false)
        if (refused) {
          expect([400, 413, 415], what).toContain(res.status)
          expect(errorOf(res.text), what).toMatch(CJK)
          expect(await stored(), `${what}: nothing stored`).toBe(before)
        } else if (how !== 'preview') {
          const id = how === 'api' ? JSON.parse(res.text).id : res.headers.get('Location')!.split('/').pop()!.split('?')[0]
          const row = await w.db.selectFrom('reports').select(['text', 'filename']).where('id', '=', id).executeTakeFirstOrThrow()
          expect(row.text, what).not.toMatch(/[\u0000\r]/)
        } else {
          expect(await stored(), `${what}: a preview stores nothing`).toBe(before)
        }
      }
    }, 120_000)
  }

  for (const f of files) {
    it(`${f.name}: the worker's decode of the stored bytes ends extracted or failed with a Chinese reason, never half-done`, async () => {
      const bytes = f.bytes()
      if (bytes.length === 0 || bytes.length > 25 * 1024 * 1024) return // refused before anything is stored (tested above)
      const sha = createHash('sha256').update(bytes).digest('hex')
      if (seen.has(sha)) return
      seen.add(sha)
      const { storeReport, processReport } = await import('../../app/reports/reports.server')
      // As a batch import stores it: bytes only, decoded later by the worker.
      const { report } = await storeReport(w.db, {
        bytes,
        filename: f.filename,
        unitId: w.ids['示范市人民政府办公室（政务公开办）'],
        uploadedBy: w.ids.supervisor,
      })
      const t0 = Date.now()
      const outcome = await processReport(w.db, report.id)
      tally.workerDecodes++
      expect(Date.now() - t0).toBeLessThan(BOUND_MS)
      const row = await w.db.selectFrom('reports').select(['status', 'error', 'text']).where('id', '=', report.id).executeTakeFirstOrThrow()
      const items = await w.db.selectFrom('report_items').select('id').where('report_id', '=', report.id).execute()
      if (f.expect === 'refuse') expect(outcome).toBe('failed')
      if (outcome === 'failed') {
        expect(row.status).toBe('failed')
        expect(row.error).toMatch(CJK)
        expect(items).toEqual([])
      } else {
        expect(row.status).toBe('extracted')
        expect(row.text).not.toMatch(/[\u0000\r]/)
      }
    }, 120_000)
  }

  it('a 100 MB paste is refused with 413 before it is decoded', async () => {
    if (!FULL) return
    const form = new FormData()
    form.append('text', '报'.repeat(35 * 1024 * 1024))
    const before = await stored()
    const res = await invokeRoute(
      uploadRoute.action,
      new Request('http://localhost/reports/new', { method: 'POST', headers: { Cookie: w.cookies.supervisor }, body: form }),
    )
    expect(res.status).toBe(413)
    expect(errorOf(res.text)).toMatch(/大小上限/)
    expect(await stored()).toBe(before)
  }, 120_000)

  it('pasted text with control characters, bidi marks and NUL is stored clean', async () => {
    const text = reportText('paste-ctrl').replace(/。/g, '。\u0000\u0007\u202e\r\n')
    const form = new FormData()
    form.append('text', text)
    form.append('title', '../<b>标题</b>\u202e\u0000')
    const res = await invokeRoute(
      uploadRoute.action,
      new Request('http://localhost/reports/new', { method: 'POST', headers: { Cookie: w.cookies.supervisor }, body: form }),
    )
    expect(res.status).toBe(302)
    const row = await w.db
      .selectFrom('reports')
      .select(['text', 'filename'])
      .where('id', '=', res.headers.get('Location')!.split('/').pop()!)
      .executeTakeFirstOrThrow()
    expect(row.text).not.toMatch(/[\u0000\r]/)
    expect(row.filename).not.toMatch(/[\u0000-\u001f\u202e/\\]/)
  })

  it('dangerous file names are stored as a harmless base name', async () => {
    for (const [i, name] of hostileFilenames.entries()) {
      const res = await invokeRoute(uploadRoute.action, pageUpload(new File([new TextEncoder().encode(reportText(`name-${i}`))], name)))
      expect(res.status, `${name}: ${res.text.slice(0, 200)}`).toBeLessThan(500)
      if (res.status >= 400) {
        expect(errorOf(res.text)).toMatch(CJK)
        continue
      }
      const row = await w.db
        .selectFrom('reports')
        .select('filename')
        .where('id', '=', res.headers.get('Location')!.split('/').pop()!)
        .executeTakeFirstOrThrow()
      expect(row.filename, name).not.toMatch(/[/\\\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/)
      expect(row.filename.length, name).toBeLessThanOrEqual(120)
      expect(row.filename, name).toMatch(/\.txt$/)
    }
  })
})

// ─── Fuzzing every form action and API endpoint ──────────────────────────────────────────────────

const ROUNDS = FULL ? 40 : 3
const routeFiles = fs.readdirSync(ROUTES_DIR).filter(f => /\.tsx?$/.test(f) && !f.includes('.test.'))
const routeId = (f: string) => f.replace(/\.tsx?$/, '')

/** Field names a route reads or renders (from its source), so the fuzzer fills the fields that matter. */
function fieldsOf(file: string): { fields: string[]; intents: string[]; queryParams: string[] } {
  const src = fs.readFileSync(path.join(ROUTES_DIR, file), 'utf8')
  const fields = new Set<string>()
  for (const m of src.matchAll(/name="([A-Za-z_][\w.[\]-]*)"/g)) fields.add(m[1])
  for (const m of src.matchAll(/\.get(?:All)?\(\s*'([A-Za-z_][\w-]*)'\s*\)/g)) fields.add(m[1])
  for (const m of src.matchAll(/^\s+([A-Za-z_]\w*):\s*(?:z\.|id\b|isoDate\b|priority\b)/gm)) fields.add(m[1])
  const intents = new Set<string>()
  for (const m of src.matchAll(/name="(?:intent|_action)"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="(?:intent|_action)"/g))
    intents.add(m[1] ?? m[2])
  for (const m of src.matchAll(/intent === '([^']+)'|case '([^']+)':/g)) intents.add(m[1] ?? m[2])
  const queryParams = new Set<string>()
  for (const m of src.matchAll(/searchParams\.get(?:All)?\(\s*'([^']+)'\s*\)/g)) queryParams.add(m[1])
  return { fields: [...fields], intents: [...intents], queryParams: [...queryParams] }
}

function urlFor(file: string, params: Record<string, string>) {
  const segs = routeId(file)
    .split('.')
    .filter(s => !s.startsWith('_'))
    .map(s => (s.startsWith('$') ? params[s.slice(1)] : s))
  return `http://localhost/${segs.join('/')}`
}
function paramsFor(file: string): Record<string, string> {
  const t = w.target
  const params: Record<string, string> = {}
  for (const s of routeId(file)
    .split('.')
    .filter(x => x.startsWith('$'))) {
    const n = s.slice(1)
    params[n] = /evidence/i.test(n)
      ? t.evidenceId
      : /agency/i.test(n)
        ? t.agencyId
        : /notification/i.test(n)
          ? t.notificationId
          : /task/i.test(n)
            ? t.taskId
            : /report/i.test(n)
              ? t.reportId
              : 'x'
  }
  return params
}
/** A real id now and then, so some fuzzed requests get past the lookups into validation. */
function realIds(): string[] {
  const t = w.target
  return [t.reportId, t.itemId, t.otherItemId, t.taskId, t.evidenceId, t.extensionId, t.unitId, t.ownerId, t.agencyId, t.notificationId]
}

describe('fuzzed form actions (every page route with an action)', () => {
  const pages = routeFiles.filter(f => !f.startsWith('api.'))
  for (const file of pages) {
    it(`${routeId(file)}: seeded random fields → 4xx with a message or success, never 500; refused changes nothing`, async () => {
      const mod = (await import(path.join(ROUTES_DIR, file))) as { action?: Fn }
      if (!mod.action) return
      const { fields, intents } = fieldsOf(file)
      const rnd = prng(routeId(file).length * 7919 + 1)
      const strings = fuzzStrings(rnd, ROUNDS * 4)
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]
      let answered = 0
      for (const actor of FULL ? ['supervisor', 'staff', 'admin'] : ['supervisor', 'staff']) {
        for (const intent of [...intents, '', pick(strings)]) {
          for (let round = 0; round < ROUNDS; round++) {
            const form = new FormData()
            if (intent) form.append('intent', intent)
            for (const f of fields) {
              if (f === 'intent') continue
              const r = rnd()
              if (r < 0.25) continue // missing
              form.append(f, r < 0.45 ? pick(realIds()) : pick(strings))
              if (rnd() < 0.1) form.append(f, pick(strings)) // repeated field
            }
            if (rnd() < 0.3)
              form.append(
                'file',
                new File([new Uint8Array(Math.floor(rnd() * 2048)).map(() => Math.floor(rnd() * 256))], pick(hostileFilenames)),
              )
            const before = await fingerprint(w.db)
            const params = paramsFor(file)
            const res = await invokeRoute(
              mod.action,
              new Request(urlFor(file, params), { method: 'POST', headers: { Cookie: w.cookies[actor] }, body: form }),
              params,
            )
            const what = `${actor} intent=${intent.slice(0, 40)} → ${res.status} ${res.text.slice(0, 200)}`
            expect(res.status, what).toBeLessThan(500)
            if (res.status >= 400 && res.status !== 404 && res.status !== 403) expect(res.text, `${what}: a message`).toMatch(CJK)
            if (res.status >= 400) expect(await fingerprint(w.db), `${what}: refused, nothing changes`).toBe(before)
            answered++
            tally.formRequests++
            if (res.status >= 400) tally.refused++
          }
        }
      }
      expect(answered).toBeGreaterThan(0)
    }, 300_000)
  }
})

describe('fuzzed API endpoints (every api.* route)', () => {
  const apis = routeFiles.filter(f => f.startsWith('api.'))
  for (const file of apis) {
    it(`${routeId(file)}: random JSON bodies, wrong types, junk and query strings → 4xx JSON error or success, never 500`, async () => {
      const mod = (await import(path.join(ROUTES_DIR, file))) as { loader?: Fn; action?: Fn }
      const { fields, queryParams } = fieldsOf(file)
      const keys = [
        ...new Set([...fields, ...queryParams, 'status', 'unit', 'q', 'page', 'limit', 'items', 'action', 'ownerId', 'dueDate']),
      ]
      const rnd = prng(routeId(file).length * 104729 + 3)
      const strings = fuzzStrings(rnd, ROUNDS * 4)
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]
      const value = (): unknown => {
        const r = rnd()
        return r < 0.4
          ? pick(strings)
          : r < 0.6
            ? pick(realIds())
            : r < 0.8
              ? pick(wrongTypes)
              : [{ id: pick(realIds()), ownerId: pick(strings), dueDate: pick(strings) }]
      }
      const params = paramsFor(file)
      const url = `http://localhost/${routeId(file)
        .split('.')
        .map(s => (s.startsWith('$') ? params[s.slice(1)] : s))
        .join('/')}`
      for (let round = 0; round < ROUNDS * 3; round++) {
        const body: Record<string, unknown> = {}
        for (const k of keys) if (rnd() < 0.6) body[k] = value()
        const query = new URLSearchParams()
        for (const k of keys) if (rnd() < 0.4) query.append(k, pick(strings).slice(0, 2000))
        const kind = rnd()
        const raw = kind < 0.7 ? JSON.stringify(body) : kind < 0.8 ? JSON.stringify(pick(wrongTypes)) : kind < 0.9 ? '{"a":' : pick(strings)
        for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
          const fn = method === 'GET' ? mod.loader : mod.action
          if (!fn) continue
          const actor = pick(['admin', 'supervisor', 'staff', 'oversight', 'othersup'])
          const headers = new Headers({ Authorization: `Bearer ${w.tokens[actor]}` })
          if (method !== 'GET')
            headers.set(
              'Content-Type',
              rnd() < 0.9
                ? 'application/json'
                : pick(['text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']),
            )
          const before = await fingerprint(w.db)
          const res = await invokeRoute(
            fn,
            new Request(`${url}?${query}`, { method, headers, body: method === 'GET' ? undefined : raw }),
            params,
          )
          const what = `${method} ${actor} ${raw.slice(0, 120)} → ${res.status} ${res.text.slice(0, 200)}`
          expect(res.status, what).toBeLessThan(500)
          tally.apiRequests++
          if (res.status >= 400) {
            tally.refused++
            expect(errorOf(res.text), what).toMatch(CJK)
            expect(await fingerprint(w.db), `${what}: refused, nothing changes`).toBe(before)
          }
        }
      }
    }, 300_000)
  }
})
