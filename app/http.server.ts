// Small request helpers shared by routes.

/** Client address for rate limiting, set by the web server from the socket (or a trusted proxy). */
export function clientIp(request: Request): string {
  return request.headers.get('x-ft-client-ip') || 'unknown'
}
