// A client that keeps sending a large request body until the server answers or closes, over a
// plain socket: an HTTP client library gives up on the answer when the server closes the connection
// mid-body (EPIPE), which is exactly what a server refusing a body early does.
import net from 'node:net'

export interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
  /** Body bytes written before the answer arrived. */
  sent: number
  /** Milliseconds from the first byte sent to the answer's first byte. */
  ms: number
}

/** POSTs `declared` bytes of 'a' (or, when null, an endless chunked body) to host:port. */
export function sendLargeBody(
  host: string,
  port: number,
  path: string,
  declared: number | null,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const chunk = Buffer.alloc(1024 * 1024, 'a')
    const sock = net.connect(port, host)
    let received = Buffer.alloc(0)
    let sent = 0
    let answeredAt = 0
    const head = [
      `${method} ${path} HTTP/1.1`,
      `Host: ${host}:${port}`,
      declared === null ? 'Transfer-Encoding: chunked' : `Content-Length: ${declared}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      '',
      '',
    ].join('\r\n')
    sock.on('data', d => {
      if (!answeredAt) answeredAt = performance.now()
      received = Buffer.concat([received, d])
    })
    sock.on('error', () => {}) // EPIPE / ECONNRESET once the server has closed: the answer is already in `received`
    sock.on('close', () => {
      const text = received.toString('utf8')
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text)
      if (!m) return reject(new Error(`no HTTP answer (sent ${sent} bytes)`))
      const [rawHead, ...rest] = text.split('\r\n\r\n')
      const hs: Record<string, string> = {}
      for (const line of rawHead.split('\r\n').slice(1)) {
        const i = line.indexOf(':')
        if (i > 0) hs[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim()
      }
      resolve({ status: Number(m[1]), headers: hs, body: rest.join('\r\n\r\n'), sent, ms: answeredAt - started })
    })
    sock.once('connect', () => {
      sock.write(head)
      const pump = () => {
        while (!answeredAt && !sock.destroyed && (declared === null || sent < declared)) {
          const n = declared === null ? chunk.length : Math.min(chunk.length, declared - sent)
          const piece = n === chunk.length ? chunk : chunk.subarray(0, n)
          sent += n
          const ok = sock.write(
            declared === null ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece,
          )
          if (!ok) return void sock.once('drain', pump)
        }
        // Answered (or all sent): stop writing; close our side once the answer is complete.
        if (answeredAt) setTimeout(() => sock.end(), 50)
        else sock.once('data', () => setTimeout(() => sock.end(), 50))
      }
      pump()
    })
  })
}
