// The 督办单 as a PDF (A4, pdfkit), with a CJK font found on the machine and a QR code of the task's
// address. Fonts are looked up at each call so a font installed later is used without a restart;
// without one the download answers with a clear Chinese message (README: fonts-wqy-microhei).
import fs from 'node:fs'
import PDFDocument from 'pdfkit'
import QRCode from 'qrcode'
import type { SupervisionNotice } from './notice'

/** Where CJK fonts are on Debian/Ubuntu and other systems; CJK_FONT_PATH first. A .ttc needs the face's PostScript name. */
const CANDIDATES: Array<{ path: string; face?: string }> = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/wqy-microhei/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
]

export class CjkFontMissing extends Error {
  constructor() {
    super(
      '服务器未安装中文字体，无法生成 PDF。请管理员安装 fonts-wqy-microhei（sudo apt-get install -y fonts-wqy-microhei），或用 CJK_FONT_PATH 指定字体文件。',
    )
    this.name = 'CjkFontMissing'
  }
}

export function findCjkFont(env: NodeJS.ProcessEnv = process.env): { path: string; face?: string } {
  const own = env.CJK_FONT_PATH?.trim()
  const list = own ? [{ path: own, face: env.CJK_FONT_FACE?.trim() || undefined }, ...CANDIDATES] : CANDIDATES
  const found = list.find(c => fs.existsSync(c.path))
  if (!found) throw new CjkFontMissing()
  return found
}

export function renderNoticePdf(notice: SupervisionNotice): Promise<Uint8Array<ArrayBuffer>> {
  return renderNoticesPdf([notice])
}

/** Several notices in one PDF (a batch), each starting on its own page. */
export async function renderNoticesPdf(notices: readonly SupervisionNotice[]): Promise<Uint8Array<ArrayBuffer>> {
  if (!notices.length) throw new Error('no notices')
  const font = findCjkFont()
  const qrs = await Promise.all(
    notices.map(n => QRCode.toBuffer(n.link, { type: 'png', margin: 1, width: 240, errorCorrectionLevel: 'M' })),
  )
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 72, bottom: 60, left: 72, right: 72 },
    info: {
      Title: notices.length === 1 ? `${notices[0].heading} ${notices[0].number}` : `${notices[0].heading}（${notices.length} 份）`,
      Creator: '整改跟踪',
    },
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<void>(resolve => doc.on('end', () => resolve()))
  if (font.face) doc.registerFont('cjk', font.path, font.face)
  else doc.registerFont('cjk', font.path)
  doc.font('cjk')
  notices.forEach((notice, i) => {
    if (i > 0) doc.addPage()
    drawNotice(doc, notice, qrs[i])
  })
  doc.end()
  await done
  const buf = Buffer.concat(chunks)
  return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)) as Uint8Array<ArrayBuffer>
}

function drawNotice(doc: PDFKit.PDFDocument, notice: SupervisionNotice, qr: Buffer) {
  const width = doc.page.width - 144
  doc.x = 72
  doc.y = 72
  doc.fillColor('#c00000').fontSize(26).text(notice.heading, { align: 'center', characterSpacing: 4 })
  doc.moveDown(0.3).fillColor('#000000').fontSize(12).text(notice.number, { align: 'center' })
  doc
    .moveDown(0.4)
    .moveTo(72, doc.y)
    .lineTo(72 + width, doc.y)
    .lineWidth(1.5)
    .strokeColor('#c00000')
    .stroke()
  doc.moveDown(1).fontSize(14).text(notice.addressee)
  doc.moveDown(0.6)
  // The facts as a two-column table.
  const labelWidth = 90
  for (const [label, value] of notice.rows) {
    const y = doc.y
    const h =
      Math.max(doc.heightOfString(value, { width: width - labelWidth - 16 }), doc.heightOfString(label, { width: labelWidth - 12 })) + 12
    if (y + h > doc.page.height - 60) doc.addPage()
    const top = doc.y
    doc
      .lineWidth(0.7)
      .strokeColor('#000000')
      .rect(72, top, labelWidth, h)
      .stroke()
      .rect(72 + labelWidth, top, width - labelWidth, h)
      .stroke()
    doc.fontSize(12).text(label, 78, top + 6, { width: labelWidth - 12 })
    doc.text(value, 72 + labelWidth + 8, top + 6, { width: width - labelWidth - 16 })
    doc.x = 72
    doc.y = top + h
  }
  doc.moveDown(1).fontSize(13).text(notice.request, 72, doc.y, { width, indent: 26, lineGap: 4 })
  const qrTop = doc.y + 20
  doc.image(qr, 72, qrTop, { width: 96 })
  doc.fontSize(10).text('扫码查看任务', 72, qrTop + 100, { width: 96, align: 'center' })
  doc.fontSize(13).text(`签发单位：${notice.issuer}`, 72 + 200, qrTop + 20, { width: width - 200, align: 'right' })
  doc.text(`签发日期：${notice.issuedOn}`, 72 + 200, doc.y + 8, { width: width - 200, align: 'right' })
}
