// The web process: Express serving the built Remix app, static assets and /healthz.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import compression from 'compression'
import express from 'express'
import { createRequestHandler } from '@remix-run/express'
import { sql } from 'kysely'
import { getDb } from '../../db/db'
import { errorHandler, securityMiddleware } from '../security.server'

const BUILD = path.resolve('build/index.js')
const build = await import(pathToFileURL(BUILD).href)
const db = getDb()
const app = express()

app.disable('x-powered-by')
if (process.env.TRUST_PROXY) app.set('trust proxy', process.env.TRUST_PROXY === 'true' ? true : process.env.TRUST_PROXY)
app.use(compression())

app.use(securityMiddleware)

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
app.use(errorHandler)

const port = Number(process.env.PORT ?? 3000)
const server = app.listen(port, () => console.log(`[web] http://localhost:${port} (pid ${process.pid})`))

function shutdown(signal: string) {
  console.log(`[web] ${signal}: closing`)
  server.close(() => void db.destroy().finally(() => process.exit(0)))
  setTimeout(() => process.exit(0), 5000).unref()
}
process.on('SIGINT', () => shutdown('SIGINT'))
process.on('SIGTERM', () => shutdown('SIGTERM'))
