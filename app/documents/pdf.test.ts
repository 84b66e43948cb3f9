// Rebuilding lines from a PDF's positioned text: glyphs drawn from another font put back where they
// belong, and lines the page wrapped joined again (so a PDF reads like the text it was made from);
// and flate bombs refused before pdfjs inflates them.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { checkInflatedSize, rebuildLines } from './pdf'

/** A run of glyphs 10 units wide each, on the line at y. */
const run = (str: string, x: number, y: number, size = 10) => ({ str, x, y, w: [...str].length * size, h: size })

describe('rebuildLines', () => {
  it('puts a quote drawn from a Latin font back into the space its Chinese run left for it', () => {
    // LibreOffice's PDF: "按照“大厅之外无审批”的要求" as a CJK run with spaces, and the quotes as items of their own.
    const lines = rebuildLines([run('按照 大厅之外无审批 的要求', 0, 100), run('“', 21, 100), run('”', 101, 100)])
    expect(lines).toEqual(['按照“大厅之外无审批”的要求'])
  })

  it('leaves a lone glyph that falls in no run where its position puts it', () => {
    expect(rebuildLines([run('第一行文字', 0, 100), run('”', 60, 100)])).toEqual(['第一行文字”'])
  })

  const W = 30 // glyphs a full line holds
  const full = (s: string) => s.padEnd(W, '字').slice(0, W)
  it('joins lines the page wrapped (they reach the right margin, same size, no sentence end)', () => {
    const rows = [
      full('一、存在的问题主要表现在信息公开的及时性'),
      full('还不够高部分栏目更新较慢群众反映的问题回应不'),
      '够及时。',
      full('二是平台建设相对滞后移动端的公开渠道还比较少'),
      '需要加强。',
    ]
    const lines = rebuildLines(rows.map((s, i) => run(s, 0, 100 + 20 * i)))
    expect(lines).toEqual([rows[0] + rows[1] + rows[2], rows[3] + rows[4]])
  })

  it('never joins before an enumeration marker, after a sentence end, across font sizes, or on a page without a margin', () => {
    const rows = [
      full('工作中存在的不足有以下几个方面主要表现在'),
      '（二）更新不及时。',
      full('公开的内容还不够全面群众关心的事项公开得少'),
      full('而且平台的建设较为滞后我们将加以改进今后将加'),
      '强。',
    ]
    const lines = rebuildLines(rows.map((s, i) => run(s, 0, 100 + 20 * i)))
    expect(lines[0]).toBe(rows[0])
    expect(lines[1]).toBe(rows[1])
    // the title is wider than anything else and larger: one line at the edge is no margin
    const title = rebuildLines([
      run(full('某某县人民政府办公室年度报告标题很长很长'), 0, 50, 16),
      run('2018年，我办认真贯彻落实《条例》，', 0, 80),
    ])
    expect(title).toHaveLength(2)
    // four lines at the margin; the second is in a larger font and is joined to neither neighbour
    const rows2 = [
      full('甲乙丙丁戊己庚辛壬癸甲乙丙丁戊'),
      full('子丑寅卯辰巳午未申酉子丑寅卯辰'),
      full('一二三四五六七八九十一二三四五'),
      full('天地玄黄宇宙洪荒日月盈昃辰宿列张'),
    ]
    const sizes = rebuildLines(rows2.map((s, i) => ({ ...run(s, 0, 100 + 30 * i), h: i === 1 ? 14 : 10, w: W * 10 })))
    expect(sizes).toEqual([rows2[0], rows2[1], rows2[2] + rows2[3]])
  })
})

describe('checkInflatedSize (flate bombs are refused before pdfjs inflates them)', () => {
  const MB = 1024 * 1024
  const obj = (dict: string, data: Uint8Array) =>
    Buffer.concat([Buffer.from(`4 0 obj\n<< /Length ${data.length} ${dict} >>\nstream\n`), data, Buffer.from('\nendstream\nendobj\n')])
  const pdf = (...objs: Buffer[]) => new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.4\n'), ...objs, Buffer.from('%%EOF\n')]))
  const blanks = (mb: number) => zlib.deflateSync(Buffer.alloc(mb * MB, 0x20))
  const limits = { maxStreamBytes: 4 * MB, maxInflatedBytes: 10 * MB }

  it('refuses one stream past the per-stream limit, and streams that together pass the total', async () => {
    await expect(checkInflatedSize(pdf(obj('/Filter /FlateDecode', blanks(5))), limits)).rejects.toMatchObject({
      kind: 'inflates_too_much',
    })
    await expect(
      checkInflatedSize(pdf(...Array.from({ length: 3 }, () => obj('/Filter /FlateDecode', blanks(3.5)))), limits),
    ).rejects.toMatchObject({ kind: 'inflates_too_much' })
    await expect(
      checkInflatedSize(pdf(obj('/Filter /FlateDecode', blanks(3)), obj('/Filter [/FlateDecode]', blanks(3))), limits),
    ).resolves.toBeUndefined()
  })

  it('follows a chain of flate filters (a small outer stream hiding a bomb inside)', async () => {
    const inner = blanks(6)
    expect(inner.length).toBeLessThan(limits.maxStreamBytes)
    await expect(checkInflatedSize(pdf(obj('/Filter [/FlateDecode /FlateDecode]', zlib.deflateSync(inner))), limits)).rejects.toMatchObject(
      { kind: 'inflates_too_much' },
    )
  })

  it('leaves alone images (never inflated for text), other filters and data that is not flate', async () => {
    await expect(checkInflatedSize(pdf(obj('/Subtype /Image /Filter /FlateDecode', blanks(6))), limits)).resolves.toBeUndefined()
    await expect(checkInflatedSize(pdf(obj('/Filter /DCTDecode', blanks(6))), limits)).resolves.toBeUndefined()
    await expect(checkInflatedSize(pdf(obj('/Filter /FlateDecode', new Uint8Array(1000).fill(7))), limits)).resolves.toBeUndefined()
  })

  it('passes the real fixture PDFs with the real limits', async () => {
    for (const name of ['report.pdf', 'report-unigb.pdf'])
      await expect(
        checkInflatedSize(fs.readFileSync(path.resolve(__dirname, '../../tests/fixtures/documents', name))),
      ).resolves.toBeUndefined()
  })
})
