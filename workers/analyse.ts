// The CPU-heavy parts of the worker, as data in → data out: decode the stored bytes (or take the text
// already decoded at upload) and extract; compare two reports for the follow-up step. They run in the
// extraction threads (extract-pool.ts) so a 300 ms PDF or a 4 s text of 12 MB never blocks the
// worker's event loop; everything that touches the database stays in the worker's main thread
// (processReport, runFollowUp).
import { decodeDocument, DocumentError, type DecodedDocument } from '../app/documents/decode'
import { extractReport, type Extraction } from '../app/extract/index'
import { followUp, type FollowUp, type ReportForFollowUp } from '../app/followup/index'

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

/** The follow-up engine's comparison of two reports (piscina calls it by name). */
export function compareReports({ earlier, later }: { earlier: ReportForFollowUp; later: ReportForFollowUp }): FollowUp {
  return followUp(earlier, later)
}

/** The extraction thread's entry point (piscina calls the default export with the task). */
export default analyseReport
