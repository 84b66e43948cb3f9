// The web process: Express serving the built Remix app, static assets and /healthz.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import compression from 'compression'
import express from 'express'
import { createRequestHandler } from '@remix-run/express'
import { sql } from 'kysely'
import { getDb } from '../../db/db'

const BUILD = path.resolve('build/index.js')
const build = await import(pathToFileURL(BUILD).href)
const db = getDb()
const app = express()

app.disable('x-powered-by')
if (process.env.TRUST_PROXY) app.set('trust proxy', process.env.TRUST_PROXY === 'true' ? true : process.env.TRUST_PROXY)
app.use(compression())

app.use((req, res, next) => {
  // The client address as Express sees it (honouring TRUST_PROXY); a client cannot forge this header.
  req.headers['x-ft-client-ip'] = req.ip ?? 'unknown'
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'same-origin')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  )
  // Cross-site request forgery: a state-changing request must come from our own origin.
  if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method) && !req.headers.authorization) {
    const origin = req.headers.origin
    if (origin && new URL(origin).host !== req.headers.host) {
      res.status(403).type('text/plain; charset=utf-8').send('跨站请求被拒绝 (cross-site request refused)')
      return
    }
  }
  next()
})

app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }))
app.use(express.static('public', { maxAge: '1h' }))
app.get('/favicon.ico', (_req, res) => res.redirect(301, '/favicon.svg'))

app.get('/healthz', async (_req, res) => {
  try {
    await sql`select 1`.execute(db)
    res.json({ ok: true, process: 'web', pid: process.pid })
  } catch (err) {
    res.status(503).json({ ok: false, error: (err as Error).message })
  }
})

app.all('*', createRequestHandler({ build, mode: process.env.NODE_ENV }))

const port = Number(process.env.PORT ?? 3000)
const server = app.listen(port, () => console.log(`[web] http://localhost:${port} (pid ${process.pid})`))

function shutdown(signal: string) {
  console.log(`[web] ${signal}: closing`)
  server.close(() => void db.destroy().finally(() => process.exit(0)))
  setTimeout(() => process.exit(0), 5000).unref()
}
process.on('SIGINT', () => shutdown('SIGINT'))
process.on('SIGTERM', () => shutdown('SIGTERM'))
