// The web process's Express app: secure headers, allowed methods and the forgery check, the request
// body limit, static assets, no caching of anything else, /healthz and the built Remix app, in that order. app/cli/web.ts serves it; the
// security tests drive the same app, so what they prove is what runs.
import compression from 'compression'
import express, { type Express } from 'express'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import { sql } from 'kysely'
import type { DB } from '../db/db'
import { bodyLimitMiddleware, errorHandler, noStore, securityMiddleware } from './security.server'

export interface WebAppOptions {
  build: ServerBuild
  db: DB
  mode?: string
  /** Extra routes mounted before the Remix app (tests). */
  extraRoutes?: (app: Express) => void
}

export function createWebApp({ build, db, mode = process.env.NODE_ENV, extraRoutes }: WebAppOptions): Express {
  const app = express()
  app.disable('x-powered-by')
  if (process.env.TRUST_PROXY) app.set('trust proxy', process.env.TRUST_PROXY === 'true' ? true : process.env.TRUST_PROXY)
  app.use(compression())

  app.use(securityMiddleware)
  app.use(bodyLimitMiddleware())

  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }))
  app.use(express.static('public', { maxAge: '1h' }))
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/favicon.svg'))
  app.use(noStore)

  app.get('/healthz', async (_req, res) => {
    try {
      await sql`select 1`.execute(db)
      res.json({ ok: true, process: 'web' })
    } catch {
      res.status(503).json({ ok: false, error: '数据库不可用。' })
    }
  })
  extraRoutes?.(app)

  app.all('*', createRequestHandler({ build, mode, getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }) }))
  app.use(errorHandler)
  return app
}
