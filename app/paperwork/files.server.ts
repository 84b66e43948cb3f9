// The paperwork as files to download: reads the record in the actor's scope, assembles the
// document (pure modules beside this one) and writes it. Null when the record is out of scope.
import type { DB } from '../../db/db'
import type { DownloadFile } from '../http.server'
import { todayInShanghai } from '../tasks/dates'
import type { Actor } from '../auth/scope'
import { renderDocx } from './docx'
import { loadReportRecord } from './record.server'
import { buildRectificationReport, reportName } from './rectification'

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

export async function rectificationReportFile(
  db: DB,
  actor: Actor,
  reportId: string,
  today = todayInShanghai(),
): Promise<DownloadFile | null> {
  const record = await loadReportRecord(db, actor, reportId, today)
  if (!record) return null
  const body = await renderDocx(buildRectificationReport(record, today))
  return { filename: `${reportName(record.report)}整改情况报告.docx`, contentType: DOCX_TYPE, body }
}
