import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { expectWithin } from '../../tests/support/timing'
import iconv from 'iconv-lite'
import mammoth from 'mammoth'
import { zipSync, strToU8 } from 'fflate'
import { DEFAULT_MAX_BYTES, DocumentError, decodeDocument, decodePastedText, type DocumentErrorCode } from './decode'

const FIXTURES = new URL('../../tests/fixtures/documents/', import.meta.url)
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, FIXTURES)))
const decodeFixture = (name: string, filename = name) => decodeDocument({ bytes: fixture(name), filename })

const TITLE = '某某县人民政府办公室2018年政府信息公开工作年度报告'
const SENTENCE = '2018年，我办认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息1234条。'
const EXPECTED_TXT = [
  TITLE,
  '一、总体情况',
  SENTENCE,
  '二、存在的主要问题和改进措施',
  '（一）存在的问题：信息公开不够及时，部分栏目更新滞后。',
  '（二）改进措施：加强培训，健全制度，确保年底前完成整改。',
].join('\n')

/** Asserts that `p` rejects with a DocumentError of `code` whose message is Chinese and names the file. */
async function expectDocError(p: Promise<unknown> | (() => unknown), code: DocumentErrorCode, filename?: string) {
  let err: unknown
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (e) {
    err = e
  }
  expect(err, 'expected a DocumentError').toBeInstanceOf(DocumentError)
  const de = err as DocumentError
  expect(de.code).toBe(code)
  expect(de.message.match(/[\u4e00-\u9fff]/g)?.length ?? 0).toBeGreaterThanOrEqual(4)
  if (filename) expect(de.message).toContain(filename)
  expect(de.status).toBe(code === 'too_large' ? 413 : code === 'unsupported_type' ? 415 : 400)
  return de
}

describe('plain text encodings', () => {
  it.each([
    ['utf8.txt', 'UTF-8'],
    ['utf8-bom.txt', 'UTF-8'],
    ['gbk.txt', 'GB18030'],
    ['utf16le-bom.txt', 'UTF-16LE'],
    ['utf16be-bom.txt', 'UTF-16BE'],
    ['utf16le-nobom.txt', 'UTF-16LE'],
  ])('%s decodes as %s', async (name, encoding) => {
    const doc = await decodeFixture(name)
    expect(doc.encoding).toBe(encoding)
    expect(doc.format).toBe('txt')
    // CRLF normalised, BOM stripped, text otherwise verbatim.
    expect(doc.text).toBe(EXPECTED_TXT)
    expect(doc.text).not.toContain('\uFFFD')
    expect(doc.text).not.toContain('\r')
    expect(doc.text.charCodeAt(0)).not.toBe(0xfeff)
  })

  it('GB18030 with four-byte sequences and the euro sign', async () => {
    const doc = await decodeFixture('gb18030.txt')
    expect(doc.encoding).toBe('GB18030')
    expect(doc.text).toContain('附：𠮷字（四字节字符）与欧元符号€。')
    expect(doc.text).toContain(SENTENCE)
  })

  it('Big5 is told apart from GBK and kept in traditional characters', async () => {
    const doc = await decodeFixture('big5.txt')
    expect(doc.encoding).toBe('Big5')
    expect(doc.text).toContain('某某縣人民政府辦公室2018年政府資訊公開工作年度報告')
    expect(doc.text).toContain('部分欄目更新不夠及時，下一步將加強培訓，健全制度。')
    expect(doc.text).not.toContain('\uFFFD')
  })

  it.each([
    ['政府信息公开', 'gbk', 'GB18030'],
    ['政府資訊公開', 'big5', 'Big5'],
    ['存在的问题', 'gbk', 'GB18030'],
    ['存在的問題', 'big5', 'Big5'],
    ['年度报告', 'gbk', 'GB18030'],
    ['年度報告', 'big5', 'Big5'],
    ['一、工作情况\n二、存在问题', 'gbk', 'GB18030'],
    ['2018年工作總結', 'big5', 'Big5'],
  ])('short text %j in %s', async (text, enc, name) => {
    const doc = await decodeDocument({ bytes: iconv.encode(text, enc), filename: 'short.txt' })
    expect(doc.encoding).toBe(name)
    expect(doc.text).toBe(text)
  })

  it('UTF-16BE without BOM is found by its NUL pattern', async () => {
    const doc = await decodeDocument({ bytes: iconv.encode(EXPECTED_TXT, 'utf16be'), filename: 'a.txt' })
    expect(doc.encoding).toBe('UTF-16BE')
    expect(doc.text).toBe(EXPECTED_TXT)
  })

  it('pure ASCII is UTF-8', async () => {
    const doc = await decodeDocument({ bytes: Buffer.from('Annual report 2018\r\nline two\rline three'), filename: 'a.TXT' })
    expect(doc).toEqual({ text: 'Annual report 2018\nline two\nline three', encoding: 'UTF-8', format: 'txt' })
  })

  it('a UTF-8 file cut inside a character still decodes (partial character dropped)', async () => {
    const bytes = Buffer.from(EXPECTED_TXT, 'utf8')
    const doc = await decodeDocument({ bytes: bytes.subarray(0, bytes.length - 1), filename: 'cut.txt' })
    expect(doc.encoding).toBe('UTF-8')
    expect(doc.text).toBe(EXPECTED_TXT.slice(0, -1))
  })

  it('a long GBK text with one corrupt byte is still GB18030', async () => {
    const bytes = iconv.encode(EXPECTED_TXT.repeat(50), 'gbk')
    bytes[1000] = 0xff
    const doc = await decodeDocument({ bytes, filename: 'x.txt' })
    expect(doc.encoding).toBe('GB18030')
    expect(doc.text).toContain(SENTENCE)
  })

  it('strips NULs and keeps traditional characters, full-width forms and indentation verbatim', async () => {
    const text = '\u3000\u3000臺灣ＡＢＣ１２３\u0000 公开'
    const doc = await decodeDocument({ bytes: Buffer.from(text), filename: 'v.txt' })
    expect(doc.text).toBe('\u3000\u3000臺灣ＡＢＣ１２３ 公开')
  })

  it('an HTML page saved as .txt is read as HTML', async () => {
    const doc = await decodeDocument({
      bytes: Buffer.from('<!DOCTYPE html><html><body><nav>导航</nav><p>正文内容</p></body></html>'),
      filename: 'page.txt',
    })
    expect(doc.format).toBe('html')
    expect(doc.text).toBe('正文内容')
  })

  it('a PDF saved as .txt is read as PDF', async () => {
    const doc = await decodeDocument({ bytes: fixture('report.pdf'), filename: 'report.txt' })
    expect(doc.format).toBe('pdf')
    expect(doc.text).toContain(TITLE)
  })
})

describe('HTML', () => {
  const EXPECTED_HTML = [
    TITLE,
    '2018年，我办认真贯彻落实《条例》&相关规定，主动公开政府信息1234条。',
    '第一段',
    '第二行',
    '第三行',
    '二、存在的主要问题和改进措施',
    '信息公开不够及时；',
    '部分栏目更新滞后。',
    '类别\t数量',
    '主动公开\t1234',
    '依申请公开\t56',
    '  保留',
    '    缩进',
    '引号“测试”与实体中文<标签>',
  ].join('\n')

  it.each([
    ['page-gbk.html', 'GB18030'],
    ['page-utf8.htm', 'UTF-8'],
    ['page-mislabelled.html', 'UTF-8'],
  ])('%s: visible text only, blocks as lines, charset %s', async (name, encoding) => {
    const doc = await decodeFixture(name)
    expect(doc.format).toBe('html')
    expect(doc.encoding).toBe(encoding)
    expect(doc.text).not.toContain('不应出现')
    expect(doc.text).not.toMatch(/首页|var nav|color:red|搜索/)
    expect(doc.text).toBe(EXPECTED_HTML)
  })

  it('honours <meta charset> for Big5 pages', async () => {
    const html = '<html><head><meta charset="big5"></head><body><p>政府資訊公開</p><p>年度報告</p></body></html>'
    const doc = await decodeDocument({ bytes: iconv.encode(html, 'big5'), filename: 'a.html' })
    expect(doc.encoding).toBe('Big5')
    expect(doc.text).toBe('政府資訊公開\n年度報告')
  })

  it('detects the encoding when the page declares none', async () => {
    const html = '<html><body><div>某某县人民政府</div><div>政府信息公开工作年度报告</div></body></html>'
    const doc = await decodeDocument({ bytes: iconv.encode(html, 'gbk'), filename: 'a.htm' })
    expect(doc.encoding).toBe('GB18030')
    expect(doc.text).toBe('某某县人民政府\n政府信息公开工作年度报告')
  })

  it('keeps an article header (title) but drops page header and footer', async () => {
    const html =
      '<header>站点</header><main><article><header><h1>年度报告</h1></header><p>正文</p><footer>2019年1月发布</footer></article></main><footer>版权</footer>'
    const doc = await decodeDocument({ bytes: Buffer.from(html), filename: 'a.html' })
    expect(doc.text).toBe('年度报告\n正文\n2019年1月发布')
  })

  it('survives 200,000 levels of nesting quickly', async () => {
    const depth = 200_000
    const html = '<div>'.repeat(depth) + '深层文字' + '</div>'.repeat(depth) + '<span>'.repeat(depth) + '尾部'
    const t0 = Date.now()
    const doc = await decodeDocument({ bytes: Buffer.from(html), filename: 'deep.html' })
    expect(doc.text).toBe('深层文字\n尾部')
    expectWithin(Date.now() - t0, 5000)
  })

  it('a page with no visible text is no_text', async () => {
    await expectDocError(
      decodeDocument({
        bytes: Buffer.from('<html><head><title>标题</title></head><body><script>x()</script></body></html>'),
        filename: 'blank.html',
      }),
      'no_text',
      'blank.html',
    )
  })
})

describe('DOCX', () => {
  const EXPECTED_DOCX = [
    TITLE,
    '一、总体情况',
    '2018年，我办认真贯彻落实《条例》&规定。',
    '二、存在的主要问题和改进措施',
    '（一）信息公开不够及时。',
    '（二）部分栏目更新滞后。',
    '第一行',
    '第二行\t制表符后',
    '链接文字',
    '可见文字',
    '文本框内容',
    '',
    '类别',
    '数量',
    '主动公开',
    '1234',
    '1. 加强培训，健全制度。',
    '2. 年底前完成整改。',
  ].join('\n')

  it('one line per paragraph, tables, breaks, automatic numbering; no field codes, hidden or deleted text', async () => {
    const doc = await decodeFixture('report.docx')
    expect(doc.format).toBe('docx')
    expect(doc.encoding).toBe('DOCX')
    expect(doc.text).toBe(EXPECTED_DOCX)
    expect(doc.text).not.toMatch(/HYPERLINK|不应出现/)
  })

  it('the fixture is a real .docx: mammoth reads the same paragraphs', async () => {
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(fixture('report.docx')) })
    for (const s of ['2018年，我办认真贯彻落实《条例》&规定。', '信息公开不够及时。', '主动公开', '链接文字']) expect(value).toContain(s)
  })

  it('a .doc name with a real .docx inside is read', async () => {
    const doc = await decodeDocument({ bytes: fixture('report.docx'), filename: '报告.doc' })
    expect(doc.text).toContain(TITLE)
  })

  it('a .doc that is really an HTML page (common on government sites) is read', async () => {
    const html =
      '<html xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta charset="gb2312"></head><body><p>年度报告正文</p></body></html>'
    const doc = await decodeDocument({ bytes: iconv.encode(html, 'gbk'), filename: '报告.doc' })
    expect(doc.format).toBe('html')
    expect(doc.text).toBe('年度报告正文')
  })

  it.each([
    ['broken.docx', 'corrupt'],
    ['not-a-zip.docx', 'corrupt'],
    ['no-document.docx', 'corrupt'],
  ] as const)('%s → %s', async (name, code) => {
    const err = await expectDocError(decodeFixture(name), code, name)
    expect(err.message).toMatch(/Word 文件已损坏或不是有效的 \.docx 文件/)
  })

  it.each(['bomb.docx', 'bomb-lying.docx'])('zip bomb %s is refused fast without inflating it', async name => {
    const before = process.memoryUsage().rss
    const t0 = Date.now()
    const err = await expectDocError(decodeFixture(name), 'corrupt', name)
    expect(err.message).toContain('压缩炸弹')
    expectWithin(Date.now() - t0, 3000)
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024)
  })

  it('a zip whose declared total is over the limit is too_large', async () => {
    // Stored (uncompressed) entries: the ratio is 1, only the total is too big.
    const chunk = new Uint8Array(1024)
    const files: Record<string, [Uint8Array, { level: 0 }]> = { 'word/document.xml': [strToU8('<w:document/>'), { level: 0 }] }
    for (let i = 0; i < 4; i++) files[`word/media/${i}.bin`] = [chunk, { level: 0 }]
    const zip = zipSync(files)
    // Claim 60 MB for each media entry in the central directory.
    const dv = new DataView(zip.buffer)
    for (let i = 0; i + 46 < zip.length; i++) if (dv.getUint32(i, true) === 0x02014b50) dv.setUint32(i + 24, 60 * 1024 * 1024, true)
    await expectDocError(decodeDocument({ bytes: zip, filename: 'huge.docx' }), 'too_large', 'huge.docx')
  })

  it('old binary Word (.doc) is unsupported, with advice', async () => {
    const err = await expectDocError(decodeFixture('legacy.doc'), 'unsupported_type', 'legacy.doc')
    expect(err.message).toMatch(/\.docx/)
    expect(err.message).toMatch(/PDF/)
  })

  it('an old .doc renamed to .docx is unsupported, with advice', async () => {
    const err = await expectDocError(decodeFixture('legacy.doc', 'renamed.docx'), 'unsupported_type', 'renamed.docx')
    expect(err.message).toMatch(/另存为/)
  })
})

describe('PDF', () => {
  const EXPECTED_PDF = [
    TITLE,
    '2018年，我办认真贯彻落实《条例》，',
    '主动公开政府信息1234条。',
    '二、存在的主要问题和改进措施',
    'Annual report on disclosure',
    '',
    '（一）信息公开不够及时。',
    '（二）加强培训，确保年底前完成整改。',
    '第2页',
  ].join('\n')

  it('text layer, lines rebuilt in reading order, no spaces between CJK glyphs, blank line between pages', async () => {
    const doc = await decodeFixture('report.pdf')
    expect(doc.format).toBe('pdf')
    expect(doc.encoding).toBe('PDF')
    expect(doc.text).toBe(EXPECTED_PDF)
  })

  it('non-embedded Chinese font with a predefined CMap (UniGB-UCS2-H)', async () => {
    const doc = await decodeFixture('report-unigb.pdf')
    expect(doc.text).toBe(EXPECTED_PDF)
  })

  it('a scanned PDF (no text layer) is no_text', async () => {
    const err = await expectDocError(decodeFixture('scanned.pdf'), 'no_text', 'scanned.pdf')
    expect(err.message).toContain('没有文字层')
  })

  it.each(['broken.pdf', 'not-a-pdf.pdf'])('%s is corrupt', async name => {
    await expectDocError(decodeFixture(name), 'corrupt', name)
  })

  it('a truncated PDF never throws anything but DocumentError', async () => {
    const bytes = fixture('report.pdf')
    for (const cut of [20, 200, 1000, 2000, bytes.length - 40]) {
      try {
        const doc = await decodeDocument({ bytes: bytes.subarray(0, cut), filename: 'cut.pdf' })
        expect(typeof doc.text).toBe('string')
      } catch (e) {
        expect(e).toBeInstanceOf(DocumentError)
      }
    }
  })
})

describe('bad input', () => {
  it('empty file', async () => {
    await expectDocError(decodeFixture('empty.txt'), 'empty', 'empty.txt')
    await expectDocError(decodeDocument({ bytes: new Uint8Array(0), filename: 'a.pdf' }), 'empty', 'a.pdf')
  })

  it('whitespace-only text', async () => {
    await expectDocError(decodeFixture('whitespace.txt'), 'empty', 'whitespace.txt')
  })

  it('binary content with a .txt name', async () => {
    await expectDocError(decodeFixture('binary.txt'), 'encoding', 'binary.txt')
  })

  it('an image with a .txt name names the real type', async () => {
    const err = await expectDocError(decodeFixture('image.png', 'notes.txt'), 'unsupported_type', 'notes.txt')
    expect(err.message).toContain('PNG')
  })

  it.each(['setup.exe', 'photo.png', 'archive.zip', 'table.xlsx', 'slides.pptx', 'README', 'x.wps'])(
    '%s is unsupported_type naming the type',
    async name => {
      const err = await expectDocError(decodeDocument({ bytes: fixture('utf8.txt'), filename: name }), 'unsupported_type', name)
      const ext = name.includes('.') ? name.split('.').pop()! : ''
      if (ext) expect(err.message).toContain(`.${ext}`)
    },
  )

  it('over the size limit is too_large (413) before any parsing', async () => {
    // Garbage that would be "corrupt" if parsed: the size check must come first.
    const bytes = new Uint8Array(2048).fill(0xff)
    const err = await expectDocError(decodeDocument({ bytes, filename: 'big.pdf', maxBytes: 1024 }), 'too_large', 'big.pdf')
    expect(err.status).toBe(413)
    await expectDocError(decodeDocument({ bytes, filename: 'big.exe', maxBytes: 1024 }), 'too_large')
    expect(DEFAULT_MAX_BYTES).toBe(20 * 1024 * 1024)
    await expectDocError(decodeDocument({ bytes: new Uint8Array(DEFAULT_MAX_BYTES + 1), filename: 'x.txt' }), 'too_large')
  })

  it('file names with directories are shown without them', async () => {
    const err = await expectDocError(decodeDocument({ bytes: new Uint8Array(0), filename: 'C:\\Users\\me\\报告.txt' }), 'empty')
    expect(err.message).toContain('“报告.txt”')
  })
})

describe('pasted text', () => {
  it('normalises line endings and strips BOM/NUL, keeps the rest', () => {
    expect(decodePastedText('\uFEFF第一行\r\n第二行\r第三行\u0000')).toEqual({
      text: '第一行\n第二行\n第三行',
      encoding: 'UTF-8',
      format: 'paste',
    })
  })
  it('empty and too large', async () => {
    await expectDocError(() => decodePastedText('  \n '), 'empty')
    await expectDocError(() => decodePastedText('一二三四五', 10), 'too_large')
  })
})
