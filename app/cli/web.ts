// The web process: Express serving the built Remix app, static assets and /healthz.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { getDb } from '../../db/db'
import { exposedDemoAccounts, exposedDemoMessage } from '../org/demo.server'
import { appUrl } from '../notify/links'
import { createWebApp } from '../web-app.server'

const BUILD = path.resolve('build/index.js')
const build = await import(pathToFileURL(BUILD).href)
// Workflow notices are recorded by this process, with links under APP_URL: a malformed one stops it here.
const linkBase = appUrl()
const db = getDb()
// A real installation must not keep accounts anyone who saw the demo can sign in to.
// (A database not migrated yet has no accounts to check.)
const exposed = process.env.ALLOW_DEMO_PASSWORD === '1' ? [] : await exposedDemoAccounts(db).catch(() => [] as string[])
if (exposed.length) {
  console.error(`[web] ${exposedDemoMessage(exposed)}`)
  process.exit(1)
}
const app = createWebApp({ build, db })
const port = Number(process.env.PORT ?? 3000)
const server = app.listen(port, () =>
  console.log(
    `[web] http://localhost:${port} (pid ${process.pid}); links in messages: ${linkBase}${process.env.APP_URL ? '' : ' (APP_URL unset)'}`,
  ),
)

function shutdown(signal: string) {
  console.log(`[web] ${signal}: closing`)
  server.close(() => void db.destroy().finally(() => process.exit(0)))
  setTimeout(() => process.exit(0), 5000).unref()
}
process.on('SIGINT', () => shutdown('SIGINT'))
process.on('SIGTERM', () => shutdown('SIGTERM'))
