// The CPU-heavy parts of the worker, as data in → data out: decode the stored bytes (or take the text
// already decoded at upload) and extract; compare two reports for the follow-up step; and for the
// web process, validate an upload by decoding it and make the upload page's preview. They run in
// extraction threads (extract-pool.ts) so a 300 ms PDF, a 4 s text of 12 MB or a flate bomb never
// blocks an event loop; everything that touches the database stays in the main thread
// (processReport, runFollowUp, storeReport).
import { decodeDocument, decodePastedText, DocumentError, type DecodedDocument, type DocumentErrorCode } from '../documents/decode'
import { extractReport, type Extraction } from '../extract/index'
import { followUp, type FollowUp, type ReportForFollowUp } from '../followup/index'

export type AnalyseInput = { text: string } | { bytes: Uint8Array; filename: string }

/** A decoding failure is an answer (the report ends failed with its Chinese reason), not an exception. */
export type Analysis = { extraction: Extraction; text: string; decoded?: DecodedDocument } | { documentError: string }

export async function analyseReport(input: AnalyseInput): Promise<Analysis> {
  if ('text' in input) return { text: input.text, extraction: extractReport(input.text) }
  let decoded: DecodedDocument
  try {
    decoded = await decodeDocument({ bytes: input.bytes, filename: input.filename })
  } catch (err) {
    if (err instanceof DocumentError) return { documentError: err.message }
    throw err
  }
  return { text: decoded.text, decoded, extraction: extractReport(decoded.text) }
}

/** An upload as the web process received it (app/reports/upload.server.ts decodes it in a thread). */
export type UploadDecodeInput =
  { kind: 'file'; bytes: Uint8Array; filename: string; maxBytes: number } | { kind: 'paste'; text: string; maxBytes: number }

/** A DocumentError as data: a class does not survive the way back from a thread. */
export type DocumentRefusal = { documentError: { code: DocumentErrorCode; message: string } }

const refusal = (err: unknown): DocumentRefusal => {
  if (err instanceof DocumentError) return { documentError: { code: err.code, message: err.message } }
  throw err
}

/** An upload's validation: decoded, or refused with its Chinese reason (piscina calls it by name). */
export async function decodeUpload(input: UploadDecodeInput): Promise<{ decoded: DecodedDocument } | DocumentRefusal> {
  try {
    return { decoded: input.kind === 'file' ? await decodeDocument(input) : decodePastedText(input.text, input.maxBytes) }
  } catch (err) {
    return refusal(err)
  }
}

/** What the upload page's 预览 shows: only the summary crosses back, not the text (piscina calls it by name). */
export interface UploadPreview {
  encoding: string
  format: string
  agency: string | null
  year: number | null
  publishedAt: string | null
  items: { kind: 'problem' | 'plan'; title: string; due: string | null }[]
}

export async function previewUpload(input: UploadDecodeInput): Promise<{ preview: UploadPreview } | DocumentRefusal> {
  const answer = await decodeUpload(input)
  if ('documentError' in answer) return answer
  const { decoded } = answer
  const x = extractReport(decoded.text)
  return {
    preview: {
      encoding: decoded.encoding,
      format: decoded.format,
      agency: x.agency,
      year: x.year,
      publishedAt: x.publishedAt,
      items: x.items.map(i => ({ kind: i.kind, title: i.title, due: i.due })),
    },
  }
}

/** The follow-up engine's comparison of two reports (piscina calls it by name). */
export function compareReports({ earlier, later }: { earlier: ReportForFollowUp; later: ReportForFollowUp }): FollowUp {
  return followUp(earlier, later)
}

/** The extraction thread's entry point (piscina calls the default export with the task). */
export default analyseReport
