// Hostile inputs, generated at test time (nothing large is committed): junk, empty and huge files,
// zip bombs inside .docx, broken PDFs, deeply nested HTML, wrong encodings, very long lines,
// control characters, bidi marks and dangerous file names. Seeded, so a failure can be replayed.
import iconv from 'iconv-lite'
import { Zlib, zipSync } from 'fflate'

export function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const enc = (s: string) => new TextEncoder().encode(s)

/** A short but real report, so a file that is accepted also gets extracted. */
export function reportText(tag: string): string {
  return `某某局2024年政府信息公开工作年度报告（${tag}）\n五、存在的主要问题及改进情况\n（一）信息更新不及时。\n下一步，我局将加强培训。\n`
}

export function docx(documentXml: string | Uint8Array, extra: Record<string, Uint8Array> = {}): Uint8Array {
  const ct =
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
  return zipSync(
    { '[Content_Types].xml': enc(ct), 'word/document.xml': typeof documentXml === 'string' ? enc(documentXml) : documentXml, ...extra },
    { level: 9 },
  )
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
const para = (t: string) => `<w:p><w:r><w:t>${t}</w:t></w:r></w:p>`

/** Rewrites the uncompressed size of one entry in the central directory and its local header. */
export function lieAboutSize(zip: Uint8Array, entryName: string, fakeSize: number): Uint8Array {
  const out = zip.slice()
  const dv = new DataView(out.buffer)
  const name = enc(entryName)
  const matches = (at: number) => name.every((b, i) => out[at + i] === b)
  for (let i = 0; i + 46 < out.length; i++) {
    const sig = dv.getUint32(i, true)
    if (sig === 0x02014b50 && dv.getUint16(i + 28, true) === name.length && matches(i + 46)) dv.setUint32(i + 24, fakeSize, true)
    if (sig === 0x04034b50 && dv.getUint16(i + 26, true) === name.length && matches(i + 30)) dv.setUint32(i + 22, fakeSize, true)
  }
  return out
}

function minimalPdf(body: string, pages = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'): Uint8Array {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    pages,
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>`,
    `<< /Length ${body.length} >>\nstream\n${body}\nendstream`,
  ]
  let s = '%PDF-1.4\n'
  const offs: number[] = []
  objs.forEach((o, i) => {
    offs.push(s.length)
    s += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = s.length
  s += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offs.map(o => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return enc(s)
}

/**
 * A small PDF whose one page's content stream inflates to `mb` MB of blanks (a flate bomb): 400 MB
 * comes to about 400 KB. Deflated in 1 MB pieces, so making it never holds the inflated stream.
 */
export function flateBombPdf(mb: number, filter = '/FlateDecode'): Uint8Array {
  const parts: Uint8Array[] = []
  const deflate = new Zlib({ level: 6 }, chunk => parts.push(chunk))
  const blanks = new Uint8Array(1024 * 1024).fill(0x20)
  for (let i = 0; i < mb; i++) deflate.push(blanks)
  deflate.push(enc('BT ET\n'), true)
  const stream = Buffer.concat(parts)
  const head = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
  ]
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n')]
  let at = chunks[0].length
  const offs: number[] = []
  const add = (b: Buffer) => {
    chunks.push(b)
    at += b.length
  }
  head.forEach((o, i) => {
    offs.push(at)
    add(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`))
  })
  offs.push(at)
  add(Buffer.from(`4 0 obj\n<< /Length ${stream.length} /Filter ${filter} >>\nstream\n`))
  add(stream)
  add(Buffer.from('\nendstream\nendobj\n'))
  const xref = at
  add(
    Buffer.from(
      `xref\n0 5\n0000000000 65535 f \n${offs.map(o => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
    ),
  )
  return new Uint8Array(Buffer.concat(chunks))
}

export interface HostileFile {
  name: string
  filename: string
  bytes: () => Uint8Array
  /**
   * refuse: a 4xx with a Chinese message, nothing stored.
   * accept: stored; the text must come out clean (no NUL, no C0 controls but tab/newline).
   * either: refusing or accepting is fine, the point is no crash, no hang.
   */
  expect: 'refuse' | 'accept' | 'either'
  /** Slow or memory-hungry: only with HARDENING_FULL=1. */
  full?: boolean
}

export function hostileFiles(seed = 9): HostileFile[] {
  const rnd = prng(seed)
  const junk = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256))
  const junkBytes = junk(64 * 1024)
  const MB = 1024 * 1024
  const bombXml = (mb: number) =>
    `<?xml version="1.0"?><w:document ${W}><w:body>${para('正文')}${' '.repeat(mb * MB)}</w:body></w:document>`
  const nested = (depth: number, open: string, close: string) => open.repeat(depth) + '正文' + close.repeat(depth)
  return [
    { name: 'binary junk as .txt', filename: 'junk.txt', bytes: () => junkBytes, expect: 'refuse' },
    { name: 'binary junk as .docx', filename: 'junk.docx', bytes: () => junkBytes, expect: 'refuse' },
    { name: 'binary junk as .pdf', filename: 'junk.pdf', bytes: () => junkBytes, expect: 'refuse' },
    { name: 'binary junk as .html', filename: 'junk.html', bytes: () => junkBytes, expect: 'refuse' },
    {
      name: 'an executable renamed .txt',
      filename: 'report.txt',
      bytes: () => Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, ...junk(4000)]),
      expect: 'refuse',
    },
    { name: 'zero bytes', filename: '空.txt', bytes: () => new Uint8Array(0), expect: 'refuse' },
    { name: '1 MB of NUL bytes', filename: 'nul.txt', bytes: () => new Uint8Array(MB), expect: 'refuse' },
    { name: 'only whitespace and BOM', filename: 'blank.txt', bytes: () => enc('\uFEFF \n\t\n   \r\n'), expect: 'refuse' },
    { name: '100 MB file', filename: '巨大.txt', bytes: () => new Uint8Array(100 * MB).fill(0x41), expect: 'refuse', full: true },
    {
      name: 'a file just over the 20 MB limit',
      filename: '超限.txt',
      bytes: () => new Uint8Array(20 * MB + 1).fill(0x41),
      expect: 'refuse',
    },
    {
      name: 'zip bomb in .docx (honest sizes, 150 MB of XML)',
      filename: 'bomb.docx',
      bytes: () => docx(bombXml(150)),
      expect: 'refuse',
      full: true,
    },
    {
      name: 'zip bomb in .docx (honest sizes, 30 MB of XML at ~1000:1)',
      filename: 'bomb30.docx',
      bytes: () => docx(bombXml(30)),
      expect: 'refuse',
    },
    {
      name: 'zip bomb in .docx (directory lies: 1 KB declared)',
      filename: 'bomb-lying.docx',
      bytes: () => lieAboutSize(docx(bombXml(30)), 'word/document.xml', 1024),
      expect: 'refuse',
    },
    {
      name: '.docx with 20,000 entries',
      filename: 'many.docx',
      bytes: () => {
        const extra: Record<string, Uint8Array> = {}
        for (let i = 0; i < 20_000; i++) extra[`word/media/x${i}.bin`] = new Uint8Array(0)
        return docx(`<w:document ${W}><w:body>${para('正文')}</w:body></w:document>`, extra)
      },
      expect: 'refuse',
    },
    {
      name: '.docx with XML nested 200,000 deep',
      filename: 'deep.docx',
      bytes: () => docx(`<w:document ${W}><w:body>${nested(200_000, '<w:p><w:r>', '</w:r></w:p>')}</w:body></w:document>`),
      expect: 'either',
    },
    { name: '.docx without word/document.xml', filename: 'nodoc.docx', bytes: () => zipSync({ 'a.txt': enc('x') }), expect: 'refuse' },
    {
      name: '.docx truncated in half',
      filename: 'half.docx',
      bytes: () => {
        const d = docx(`<w:document ${W}><w:body>${para(reportText('half'))}</w:body></w:document>`)
        return d.subarray(0, d.length >> 1)
      },
      expect: 'refuse',
    },
    { name: '.docx whose XML is not XML', filename: 'badxml.docx', bytes: () => docx('<<<<&&&&\u0000\u0001>>>>'), expect: 'refuse' },
    {
      name: 'PDF header then junk',
      filename: 'junk.pdf',
      bytes: () => new Uint8Array([...enc('%PDF-1.7\n'), ...junk(20_000)]),
      expect: 'refuse',
    },
    {
      name: 'PDF truncated (no xref, no trailer)',
      filename: 'cut.pdf',
      bytes: () => {
        const p = minimalPdf('BT /F1 12 Tf 10 10 Td (x) Tj ET')
        return p.subarray(0, Math.floor(p.length * 0.6))
      },
      expect: 'refuse',
    },
    {
      name: 'PDF with arrays nested 100,000 deep',
      filename: 'nested.pdf',
      bytes: () => minimalPdf(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
      expect: 'refuse',
    },
    {
      name: 'PDF claiming 10 million pages',
      filename: 'pages.pdf',
      bytes: () => minimalPdf('', '<< /Type /Pages /Kids [3 0 R] /Count 10000000 >>'),
      expect: 'refuse',
    },
    {
      name: 'PDF whose page tree points at itself',
      filename: 'loop.pdf',
      bytes: () => minimalPdf('', '<< /Type /Pages /Kids [2 0 R] /Count 5 >>'),
      expect: 'refuse',
    },
    {
      name: 'HTML nested 200,000 deep',
      filename: 'deep.html',
      bytes: () => enc(`<html><body>${nested(200_000, '<div>', '</div>')}<p>${reportText('deep')}</p></body></html>`),
      expect: 'either',
    },
    {
      name: 'HTML with 500,000 unclosed tags',
      filename: 'open.html',
      bytes: () => enc(`<html><body>${'<b><i><span>'.repeat(166_000)}${reportText('open')}`),
      expect: 'either',
    },
    {
      name: 'HTML that is only script and style',
      filename: 'script.html',
      bytes: () =>
        enc('<html><head><script>alert(1)</script><style>p{}</style></head><body><script>document.write(1)</script></body></html>'),
      expect: 'refuse',
    },
    {
      name: 'GBK bytes labelled charset=utf-8',
      filename: 'lie.html',
      bytes: () =>
        new Uint8Array([
          ...enc('<html><head><meta charset="utf-8"></head><body><p>'),
          ...iconv.encode(reportText('gbk'), 'gbk'),
          ...enc('</p></body></html>'),
        ]),
      expect: 'either',
    },
    {
      name: 'UTF-16LE without BOM',
      filename: 'u16.txt',
      bytes: () => new Uint8Array(iconv.encode(reportText('utf16'), 'utf16le')),
      expect: 'either',
    },
    {
      name: 'invalid UTF-8 sequences in Chinese text',
      filename: 'bad-utf8.txt',
      bytes: () => new Uint8Array([...enc(reportText('bad')), 0xc3, 0x28, 0xe2, 0x82, 0xff, 0xfe, ...enc(reportText('bad2'))]),
      expect: 'either',
    },
    {
      name: 'Big5 text named .html',
      filename: 'big5.html',
      bytes: () => new Uint8Array(iconv.encode(`<p>${reportText('big5')}</p>`, 'big5')),
      expect: 'either',
    },
    {
      name: 'a 1 MB single line',
      filename: 'line.txt',
      bytes: () => enc(reportText('line').replace(/\n/g, '') + '信息公开工作'.repeat(60_000)),
      expect: 'accept',
    },
    {
      name: 'control characters throughout',
      filename: 'ctrl.txt',
      bytes: () => enc(reportText('ctrl').replace(/。/g, '。\u0000\u0001\u0007\u001b[31m\u007f\u000b\f')),
      expect: 'either',
    },
    {
      name: 'right-to-left and zero-width marks',
      filename: 'rtl.txt',
      bytes: () => enc(reportText('rtl').replace(/问题/g, '问\u202e题\u200f').replace(/培训/g, '培\u200b训\u2066')),
      expect: 'accept',
    },
  ]
}

/** File names an attacker might send; each must be stored and shown as a harmless base name. */
export const hostileFilenames: string[] = [
  '../../../../etc/passwd.txt',
  '..\\..\\..\\Windows\\win.ini.txt',
  '/absolute/path/报告.txt',
  '<script>alert("fn")</script>.txt',
  '"><img src=x onerror=alert(1)>.txt',
  'report\u202etxt.exe.txt',
  'a\u0000b\r\nSet-Cookie: x=1.txt',
  `${'长'.repeat(3000)}.txt`,
  '%2e%2e%2f%2e%2e%2fsecret.txt',
]

/** Random strings for form and API fuzzing: huge, unicode, SQL and full-text syntax, control characters. */
export function fuzzStrings(rnd: () => number, n: number): string[] {
  const fixed = [
    '',
    ' ',
    "' OR '1'='1",
    "'; DROP TABLE tasks; --",
    '" OR ""="',
    '1; SELECT * FROM users',
    '%',
    '_',
    '\\',
    'NEAR(a b) OR "x" AND NOT y*',
    '*',
    '"',
    '(',
    'a:b',
    '-1',
    '0',
    '1e309',
    'NaN',
    'null',
    'true',
    '[]',
    '{}',
    '9999-99-99',
    '2024-02-30',
    '<script>alert(1)</script>',
    '\u0000',
    '\u202e\u200b\ufeff',
    '𠀀𪚥😀',
    'x'.repeat(100_000),
    '中'.repeat(20_000),
    '../../../../etc/passwd',
    'javascript:alert(1)',
  ]
  const alphabet = [
    "'",
    '"',
    ';',
    '-',
    '*',
    '%',
    '_',
    '(',
    ')',
    '\\',
    '\u0000',
    '\u202e',
    '中',
    '文',
    'a',
    '1',
    ' ',
    '<',
    '>',
    '&',
    '😀',
    '\n',
    'OR',
    'NEAR',
    ':',
  ]
  const out = [...fixed]
  while (out.length < n) {
    const len = Math.floor(rnd() ** 3 * 2000)
    let s = ''
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)]
    out.push(s)
  }
  return out.slice(0, Math.max(n, fixed.length))
}

/** Wrong-typed JSON values for API fuzzing. */
export const wrongTypes: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  true,
  [],
  [1, 2],
  {},
  { $gt: '' },
  'x'.repeat(10_000),
  ['中'],
  { nested: { deep: [null] } },
]

// ─── A small world to attack: the demo organisation, another city, a confirmed report with tasks ───

export interface World {
  db: (typeof import('../../../app/db.server'))['db']
  cookies: Record<string, string>
  tokens: Record<string, string>
  ids: Record<string, string>
  /** ids that belong to the demo city; the other city's users must never see them. */
  mainIds: string[]
  target: {
    reportId: string
    confirmedReportId: string
    itemId: string
    otherItemId: string
    taskId: string
    evidenceId: string
    extensionId: string
    unitId: string
    ownerId: string
    agencyId: string
    notificationId: string
    tokenId: string
  }
}

/** Call after pointing DATABASE_URL at a fresh database (useFreshAppDatabase). */
export async function buildWorld(dir: string): Promise<World> {
  const db = (await import('../../../app/db.server')).db
  const { migrateToLatest } = await import('../../../db/db')
  const { seedDemo } = await import('../../../app/org/demo.server')
  const { createUnit, createUser } = await import('../../../app/org/org.server')
  const { createApiToken } = await import('../../../app/auth/tokens.server')
  const { sessionCookieFor } = await import('../../support/app')
  const { confirmReport } = await import('../../../app/tasks/tasks.server')
  const wf = await import('../../../app/tasks/workflow.server')
  const { newId, nowIso } = await import('../../../db/ids')
  await migrateToLatest(db)
  await seedDemo(db, { password: 'hardening-pw-1', fixturesDir: `${dir}/no-fixtures` })
  const otherRoot = await createUnit(db, { name: '邻市政务公开办' })
  await createUser(db, { username: 'othersup', displayName: '邻市督办', password: 'password-1', role: 'supervisor', unitId: otherRoot.id })
  const ids: Record<string, string> = {}
  for (const u of await db.selectFrom('units').select(['id', 'name']).execute()) ids[u.name] = u.id
  for (const u of await db.selectFrom('users').select(['id', 'username']).execute()) ids[u.username] = u.id
  const cookies: Record<string, string> = {}
  const tokens: Record<string, string> = {}
  for (const name of ['admin', 'supervisor', 'staff', 'oversight', 'othersup']) {
    cookies[name] = await sessionCookieFor(ids[name])
    tokens[name] = (await createApiToken(db, ids[name], 'hardening')).token
  }
  const actor = async (username: string) => {
    const u = await db
      .selectFrom('users')
      .innerJoin('units', 'units.id', 'users.unit_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'units.name', 'units.path'])
      .where('users.username', '=', username)
      .executeTakeFirstOrThrow()
    return {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      role: u.role,
      unitId: u.unit_id,
      unitName: u.name,
      unitPath: u.path,
    }
  }
  const supervisor = await actor('supervisor')
  const staff = await actor('staff')
  const insertReport = async (tag: string) => {
    const id = newId()
    const now = nowIso()
    const text = `加固测试报告${tag}。问题一。措施一。`
    await db
      .insertInto('reports')
      .values({
        id,
        filename: `h-${tag}.txt`,
        format: 'txt',
        size_bytes: text.length,
        sha256: `hardening-${tag}-${id}`,
        encoding: 'UTF-8',
        text,
        status: 'extracted',
        error: null,
        agency_id: null,
        agency_name: '加固测试局',
        year: 2024,
        published_at: null,
        title: null,
        unit_id: supervisor.unitId,
        uploaded_by: supervisor.id,
        created_at: now,
        updated_at: now,
        processed_at: now,
      })
      .execute()
    const itemIds: string[] = []
    for (let i = 0; i < 2; i++) {
      const itemId = newId()
      itemIds.push(itemId)
      await db
        .insertInto('report_items')
        .values({
          id: itemId,
          report_id: id,
          seq: i,
          kind: i ? 'plan' : 'problem',
          title: `条目${i}`,
          text: `条目${i}。`,
          start_offset: i * 4,
          end_offset: i * 4 + 3,
          answers: '[]',
          due_date: null,
          created_at: now,
        })
        .execute()
    }
    return { id, itemIds }
  }
  const open = await insertReport('open')
  const confirmed = await insertReport('confirmed')
  await confirmReport(db, supervisor, confirmed.id)
  const taskId = (await db.selectFrom('tasks').select('id').where('report_id', '=', confirmed.id).orderBy('id').executeTakeFirstOrThrow())
    .id
  const unitId = ids['示范市发展和改革委员会']
  await wf.updateTask(db, supervisor, taskId, { unitId, ownerId: staff.id })
  const evidence = await wf.addEvidenceFile(db, staff, taskId, { filename: '佐证.txt', bytes: new TextEncoder().encode('佐证材料') })
  const extension = await wf.requestExtension(db, staff, taskId, { newDueDate: '2031-01-01', reason: '需要更多时间' })
  const agencyId = newId()
  await db
    .insertInto('agencies')
    .values({ id: agencyId, name: '加固测试局', normalized_name: `hardening-${agencyId}`, unit_id: null, created_at: nowIso() })
    .execute()
  await db.updateTable('reports').set({ agency_id: agencyId }).where('id', 'in', [open.id, confirmed.id]).execute()
  const notificationId = newId()
  await db
    .insertInto('notifications')
    .values({
      id: notificationId,
      user_id: staff.id,
      task_id: taskId,
      kind: 'due_soon',
      title: '即将到期',
      body: '加固',
      dedupe_key: `hardening-${notificationId}`,
      read_at: null,
      created_at: nowIso(),
    })
    .execute()
  const token = await createApiToken(db, staff.id, 'hardening-target')
  const mainRoot = (await db.selectFrom('units').select('path').where('id', '=', unitId).executeTakeFirstOrThrow()).path.split('/')[1]
  const like = `/${mainRoot}/%`
  const mainIds = [
    ...(
      await db
        .selectFrom('tasks')
        .innerJoin('units', 'units.id', 'tasks.unit_id')
        .select('tasks.id')
        .where('units.path', 'like', like)
        .execute()
    ).map(r => r.id),
    ...(
      await db
        .selectFrom('reports')
        .innerJoin('units', 'units.id', 'reports.unit_id')
        .select('reports.id')
        .where('units.path', 'like', like)
        .execute()
    ).map(r => r.id),
  ]
  return {
    db,
    cookies,
    tokens,
    ids,
    mainIds,
    target: {
      reportId: open.id,
      confirmedReportId: confirmed.id,
      itemId: open.itemIds[0],
      otherItemId: open.itemIds[1],
      taskId,
      evidenceId: evidence.id,
      extensionId: extension.id,
      unitId,
      ownerId: staff.id,
      agencyId,
      notificationId,
      tokenId: token.id,
    },
  }
}

/** Everything a refused request must leave as it was (sessions, login attempts and token use are bookkeeping). */
export async function fingerprint(db: World['db']): Promise<string> {
  const tables = [
    'units',
    'users',
    'reports',
    'report_items',
    'tasks',
    'task_events',
    'task_evidence',
    'task_extensions',
    'notifications',
    'agencies',
    'followup_suggestions',
  ] as const
  const out: Record<string, unknown> = {}
  for (const t of tables) out[t] = await db.selectFrom(t).selectAll().orderBy('id').execute()
  out.api_tokens = await db.selectFrom('api_tokens').select(['id', 'revoked_at', 'name']).orderBy('id').execute()
  return JSON.stringify(out)
}

/** Runs a loader or action as Remix would; a thrown Response is an answer, anything else a crash. */
export async function invokeRoute(
  fn: (a: any) => Promise<unknown>,
  request: Request,
  params: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  let r: unknown
  try {
    r = await fn({ request, params, context: {} })
  } catch (e) {
    if (!(e instanceof Response)) throw e
    r = e
  }
  if (r instanceof Response) return { status: r.status, text: r.body ? await r.text() : '', headers: r.headers }
  return { status: 200, text: JSON.stringify(r ?? null), headers: new Headers() }
}
