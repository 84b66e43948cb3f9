// Uploads through the route action: good files are stored and queued once; bad ones get a clear
// Chinese message with the right status and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessionCookieFor, useFreshAppDatabase } from '../support/app'
import { deletePrefix } from '../support/redis'

const dir = useFreshAppDatabase()
process.env.MAX_UPLOAD_BYTES = String(64 * 1024)
process.env.QUEUE_PREFIX = `fttest-upload-${process.pid}`
let db: (typeof import('../../app/db.server'))['db']
let cookies: Record<string, string>
let route: typeof import('../../app/routes/_app.reports.new')

beforeAll(async () => {
  db = (await import('../../app/db.server')).db
  const { migrateToLatest } = await import('../../db/db')
  const { seedDemo } = await import('../../app/org/demo.server')
  await migrateToLatest(db)
  await seedDemo(db, { password: 'pw-123456', fixturesDir: dir })
  cookies = {}
  for (const u of await db.selectFrom('users').select(['id', 'username']).execute()) cookies[u.username] = await sessionCookieFor(u.id)
  route = await import('../../app/routes/_app.reports.new')
})

afterAll(() => deletePrefix(process.env.QUEUE_PREFIX!))

function upload(cookie: string, fields: Record<string, string | File>) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  return new Request('http://localhost/reports/new', { method: 'POST', headers: { Cookie: cookie }, body: form })
}
const reportCount = async () =>
  Number(
    (
      await db
        .selectFrom('reports')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
async function run(req: Request) {
  try {
    return (await route.action({ request: req, params: {}, context: {} })) as Response
  } catch (e) {
    if (e instanceof Response) return e
    throw e
  }
}

describe('upload', () => {
  const report = '某某局2019年政府信息公开工作年度报告\n五、存在的主要问题及改进情况\n（一）信息更新不及时。\n下一步，我局将加强培训。\n'

  it('stores pasted text as a queued report and recognises the same text again', async () => {
    const first = await run(upload(cookies.supervisor, { text: report, title: '某某局报告' }))
    expect(first.status).toBe(302)
    const id = first.headers.get('Location')!.split('/').pop()
    const row = await db
      .selectFrom('reports')
      .select(['status', 'filename', 'text', 'encoding'])
      .where('id', '=', id!)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'queued', filename: '某某局报告.txt', text: report })
    const again = await run(upload(cookies.supervisor, { text: report }))
    expect(again.headers.get('Location')).toBe(`/reports/${id}?duplicate=1`)
    expect(await reportCount()).toBe(1)
  })

  const bad: Array<[string, () => Record<string, string | File>, number, RegExp]> = [
    ['wrong file type', () => ({ file: new File([new Uint8Array([0x4d, 0x5a, 0x90, 0, 3])], 'tool.exe') }), 415, /不支持/],
    ['a broken .docx', () => ({ file: new File([new TextEncoder().encode('PK\x03\x04 broken')], '报告.docx') }), 400, /Word|损坏/],
    ['a broken PDF', () => ({ file: new File([new TextEncoder().encode('%PDF-1.7\n garbage')], '报告.pdf') }), 400, /PDF/],
    ['a file over the size limit', () => ({ file: new File([new Uint8Array(70 * 1024).fill(0x41)], 'big.txt') }), 413, /大小上限/],
    ['nothing at all', () => ({ text: '   ' }), 400, /请选择一个文件或粘贴报告全文/],
  ]
  for (const [name, fields, status, message] of bad) {
    it(`refuses ${name} with ${status} and a Chinese message, storing nothing`, async () => {
      const before = await reportCount()
      const res = await run(upload(cookies.supervisor, fields()))
      expect(res.status).toBe(status)
      expect((await res.json()).error).toMatch(message)
      expect(await reportCount()).toBe(before)
    })
  }

  it('a preview shows what would be extracted and stores nothing', async () => {
    const before = await reportCount()
    const text =
      '某某局2021年政府信息公开工作年度报告\n四、存在的主要问题及改进情况\n（一）信息公开不及时，部分栏目更新滞后。\n（二）工作人员业务能力不足。\n下一步，我局将加强培训，提高业务能力。\n'
    const res = await run(upload(cookies.supervisor, { text, intent: 'preview' }))
    expect(res.status).toBe(200)
    const { preview } = await res.json()
    expect(preview.year).toBe(2021)
    expect(preview.items.filter((i: { kind: string }) => i.kind === 'problem').length).toBeGreaterThanOrEqual(2)
    expect(await reportCount()).toBe(before)
  })

  it('staff and oversight may not upload', async () => {
    for (const who of ['staff', 'oversight']) {
      const res = await run(upload(cookies[who], { text: report + who }))
      expect(res.status).toBe(403)
    }
    expect(await reportCount()).toBe(1)
  })
})
