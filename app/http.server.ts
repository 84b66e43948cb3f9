// Small request helpers shared by routes.

/** Client address for rate limiting, set by the web server from the socket (or a trusted proxy). */
export function clientIp(request: Request): string {
  return request.headers.get('x-ft-client-ip') || 'unknown'
}

/** A file to download, as the exports make them. */
export interface DownloadFile {
  filename: string
  contentType: string
  body: Uint8Array<ArrayBuffer>
}

/** RFC 6266: an ASCII fallback for old clients (`<fallback>-…`), the real (Chinese) name in filename*. */
export function contentDisposition(filename: string, fallback: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '').replace(/^-+/, '') || fallback
  return `attachment; filename="${fallback}-${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}

/** The response that downloads a generated file: never cached, never sniffed. */
export function downloadResponse(file: DownloadFile, fallback: string): Response {
  return new Response(file.body, {
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': contentDisposition(file.filename, fallback),
      'Content-Length': String(file.body.byteLength),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
