// Size limits on what clients send, in one place: the request body limit the web server enforces
// before any body is read (so an oversized request costs neither memory nor CPU), and the per-file
// limits the routes and domain code check after parsing. Pure: reads only the environment given.
type Env = Record<string, string | undefined>

const MB = 1024 * 1024
/** Room for multipart boundaries, part headers and the small fields sent beside a file. */
const FORM_OVERHEAD = 256 * 1024

export interface UploadLimits {
  /** One report file, or pasted text (MAX_UPLOAD_BYTES). */
  reportBytes: number
  /** The .zip of a batch import through the page (IMPORT_MAX_UPLOAD_BYTES). */
  importZipBytes: number
  /** One evidence file (EVIDENCE_MAX_BYTES). */
  evidenceBytes: number
  /** A ledger workbook to import. */
  ledgerBytes: number
  /** Any other request body: forms and JSON (MAX_FORM_BYTES). */
  formBytes: number
}

const num = (value: string | undefined, fallback: number) => {
  const n = Number(value)
  return value !== undefined && value !== '' && Number.isFinite(n) && n > 0 ? n : fallback
}

export function uploadLimits(env: Env = process.env): UploadLimits {
  return {
    reportBytes: num(env.MAX_UPLOAD_BYTES, 20 * MB),
    importZipBytes: num(env.IMPORT_MAX_UPLOAD_BYTES, 200 * MB),
    evidenceBytes: num(env.EVIDENCE_MAX_BYTES, 20 * MB),
    ledgerBytes: 5 * MB,
    formBytes: num(env.MAX_FORM_BYTES, 1 * MB),
  }
}

/**
 * The largest body a request may carry, decided from its method and path alone (before reading it).
 * Only the routes that take a file get more than a form's worth; each gets its file limit plus the
 * form around it, so two files in one request are refused as a whole.
 */
export function bodyLimitFor(method: string, pathname: string, limits: UploadLimits): number {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE') return 0
  const p = pathname.replace(/\/+$/, '') || '/'
  // Pasted text as JSON: escapes can double its size (the decoder then checks the text's real size).
  if (p === '/api/v1/reports') return apiReportJsonBytes(limits)
  if (p === '/reports/new') return limits.reportBytes + FORM_OVERHEAD
  if (p === '/reports/import') return limits.importZipBytes + FORM_OVERHEAD
  if (/^\/tasks\/[^/]+$/.test(p)) return limits.evidenceBytes + FORM_OVERHEAD
  if (p === '/ledger') return Math.ceil(limits.ledgerBytes * 1.4) + FORM_OVERHEAD
  return limits.formBytes
}

/** A report sent to the API as JSON text. */
export const apiReportJsonBytes = (limits: UploadLimits) => limits.reportBytes * 2 + FORM_OVERHEAD

export function formatBytes(n: number): string {
  return n >= MB ? `${Math.round(n / MB)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`
}
