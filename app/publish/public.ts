// What a public progress page shows of a published report, and its Atom feed of closures. Pure: the
// published rows in, the view out. Only what is meant to be public is in the view: item titles and
// kinds, status, progress, deadline, close-out date, evidence titles; never people, files, addresses
// or internal ids (items are numbered; feed entries are keyed by a hash under the token).
import { createHash } from 'node:crypto'
import type { TaskStatus } from '../../db/schema'
import { zh } from '../ui/zh'

export interface PublishedTaskRow {
  /** Used only to key feed entries (hashed), never shown. */
  taskId: string
  kind: 'problem' | 'plan'
  title: string
  status: TaskStatus
  progress: number
  dueDate: string | null
  closedAt: string | null
  evidence: Array<{ kind: 'file' | 'link'; filename: string | null; title: string | null }>
}

export interface PublicItem {
  n: number
  kind: string
  title: string
  status: TaskStatus
  statusLabel: string
  progress: number
  dueDate: string | null
  closedOn: string | null
  /** The close-out instant (feed entries' updated). */
  closedAt: string | null
  evidence: string[]
  /** Stable, opaque key for the feed. */
  key: string
}

export interface PublicProgress {
  heading: string
  agency: string
  year: number | null
  publishedAt: string
  items: PublicItem[]
  totals: { all: number; closed: number; ongoing: number; open: number; percent: number }
}

const day = (iso: string | null) => (iso ? new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(iso)) : null)

/** A file's title is its name without the extension; a link's, its title (never its address). */
function evidenceTitle(e: PublishedTaskRow['evidence'][number]): string {
  if (e.kind === 'file') return (e.filename ?? '').replace(/\.[A-Za-z0-9]{1,5}$/, '') || '文件材料'
  return e.title?.trim() || '网页材料'
}

/**
 * `people`: names of those who worked on the report (owners, uploaders); a title or file name that
 * happens to contain one shows it masked, since the page names nobody.
 */
export function buildPublicProgress(
  token: string,
  report: { agencyName: string | null; year: number | null; publishedAt: string },
  rows: readonly PublishedTaskRow[],
  people: readonly string[] = [],
): PublicProgress {
  const names = [...new Set(people.map(p => p.trim()).filter(p => p.length >= 2))].sort((a, b) => b.length - a.length)
  const mask = (s: string) => names.reduce((out, name) => out.split(name).join('＊'.repeat(name.length)), s)
  const live = rows.filter(r => r.status !== 'cancelled')
  const items = live.map((r, i) => ({
    n: i + 1,
    kind: zh.itemKind[r.kind],
    title: mask(r.title),
    status: r.status,
    statusLabel: zh.taskStatus[r.status],
    progress: r.status === 'closed' ? 100 : r.progress,
    dueDate: r.dueDate,
    closedOn: r.status === 'closed' ? day(r.closedAt) : null,
    closedAt: r.status === 'closed' ? r.closedAt : null,
    evidence: r.evidence.map(e => mask(evidenceTitle(e))),
    key: createHash('sha256').update(`${token}:${r.taskId}`).digest('base64url').slice(0, 22),
  }))
  const closed = items.filter(i => i.status === 'closed').length
  const ongoing = items.filter(i => i.status === 'ongoing').length
  const agency = report.agencyName ?? '本机关'
  return {
    heading: `${agency}${report.year ? `${report.year}年政府信息公开工作年度报告` : '年度报告'}所列问题整改进展`,
    agency,
    year: report.year,
    publishedAt: report.publishedAt,
    items,
    totals: {
      all: items.length,
      closed,
      ongoing,
      open: items.length - closed - ongoing,
      percent: items.length ? Math.round((100 * closed) / items.length) : 0,
    },
  }
}

const xml = (s: string) => s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)

/** An Atom feed with one entry per closed item, newest first. `pageUrl` is the public page's absolute address. */
export function closuresFeed(view: PublicProgress, pageUrl: string): string {
  const closed = view.items
    .filter(i => i.status === 'closed')
    .map(i => ({ i, at: i.closedAt ?? view.publishedAt }))
    .sort((a, b) => (a.at < b.at ? 1 : -1))
  const updated = closed[0]?.at ?? view.publishedAt
  const entries = closed.map(
    ({ i, at }) => `  <entry>
    <id>${xml(`${pageUrl}#item-${i.key}`)}</id>
    <title>${xml(`已销号：${i.title}`)}</title>
    <updated>${xml(at)}</updated>
    <link rel="alternate" type="text/html" href="${xml(`${pageUrl}#item-${i.n}`)}"/>
    <content type="text">${xml(`${i.kind}“${i.title}”已于 ${i.closedOn ?? ''} 核验销号。${i.evidence.length ? `佐证材料：${i.evidence.join('、')}。` : ''}`)}</content>
  </entry>`,
  )
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <id>${xml(pageUrl)}</id>
  <title>${xml(view.heading)}</title>
  <subtitle>${xml(`已销号 ${view.totals.closed} / ${view.totals.all} 项`)}</subtitle>
  <updated>${xml(updated)}</updated>
  <link rel="self" type="application/atom+xml" href="${xml(`${pageUrl}/feed`)}"/>
  <link rel="alternate" type="text/html" href="${xml(pageUrl)}"/>
  <author><name>${xml(view.agency)}</name></author>
${entries.join('\n')}
</feed>
`
}
