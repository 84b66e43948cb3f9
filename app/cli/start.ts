// `npm start`: the whole system on one machine. Builds if needed, migrates, seeds the demo on an
// empty database, finds Redis (or starts a private one), then runs the web and worker processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { createDb, dataDir, migrateToLatest } from '../../db/db'
import { exposedDemoAccounts, exposedDemoMessage, isEmpty, seedDemo } from '../org/demo.server'
import { freePort } from './ports'

const root = process.cwd()
const log = (msg: string) => console.log(`[start] ${msg}`)

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs)
  }
  return newest
}

function buildIfNeeded() {
  const out = path.join(root, 'build/index.js')
  const stale =
    !fs.existsSync(out) ||
    fs.statSync(out).mtimeMs < Math.max(newestMtime(path.join(root, 'app')), fs.statSync(path.join(root, 'remix.config.js')).mtimeMs)
  if (!stale) return
  log('building the web app (remix build)…')
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  })
  if (r.status !== 0) throw new Error('remix build failed')
}

function redisAnswers(host: string, port: number): Promise<boolean> {
  return new Promise(resolve => {
    const sock = net.connect({ host, port })
    const done = (ok: boolean) => {
      sock.destroy()
      resolve(ok)
    }
    sock.setTimeout(1000, () => done(false))
    sock.once('error', () => done(false))
    sock.once('connect', () => sock.write('PING\r\n'))
    sock.once('data', d => done(d.toString().startsWith('+PONG') || d.toString().startsWith('-NOAUTH')))
  })
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
}

const children: ChildProcess[] = []
let privateRedis: ChildProcess | undefined

async function ensureRedis(): Promise<void> {
  if (process.env.REDIS_URL) return log(`Redis: ${process.env.REDIS_URL}`)
  if (await redisAnswers('127.0.0.1', 6379)) {
    process.env.REDIS_URL = 'redis://127.0.0.1:6379'
    return log('Redis: found one on 127.0.0.1:6379')
  }
  if (!onPath('redis-server')) {
    console.error(
      [
        '未找到 Redis：127.0.0.1:6379 没有响应，且系统中没有安装 redis-server。',
        '请安装 Redis（Debian/Ubuntu：sudo apt-get install -y redis-server；macOS：brew install redis），或设置 REDIS_URL 指向已有的 Redis。',
        'No Redis found: nothing answers on 127.0.0.1:6379 and redis-server is not installed.',
        'Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) or set REDIS_URL to an existing Redis.',
      ].join('\n'),
    )
    process.exit(1)
  }
  const dir = path.join(dataDir(), 'redis')
  fs.mkdirSync(dir, { recursive: true })
  const port = await freePort()
  privateRedis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  for (let i = 0; i < 50 && !(await redisAnswers('127.0.0.1', port)); i++) await new Promise(r => setTimeout(r, 100))
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`
  log(`Redis: started a private redis-server on port ${port} (data in ${dir})`)
}

function run(name: string, script: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' },
  })
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping everything`)
      void stop(1)
    }
  })
  children.push(child)
}

let stopping = false
async function stop(code = 0) {
  if (stopping) return
  stopping = true
  await Promise.all(
    children.map(
      c =>
        new Promise<void>(resolve => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve()
          c.once('exit', () => resolve())
          c.kill('SIGTERM')
          setTimeout(() => c.kill('SIGKILL'), 10_000).unref()
        }),
    ),
  )
  if (privateRedis && privateRedis.exitCode === null) {
    await new Promise<void>(resolve => {
      privateRedis!.once('exit', () => resolve())
      privateRedis!.kill('SIGTERM')
    })
    log('private Redis stopped')
  }
  process.exit(code)
}
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))

buildIfNeeded()
const db = createDb()
await migrateToLatest(db)
if (process.env.SEED_DEMO !== '0' && (await isEmpty(db))) {
  const password = process.env.DEMO_PASSWORD ?? 'demo'
  const { reports } = await seedDemo(db, { password, fixturesDir: path.join(root, 'tests/fixtures') })
  log(
    `demo data created: users admin / supervisor / staff / oversight (password “${password}”), ${reports} reports (one with tasks in every state, the rest queued for the worker)`,
  )
}
// A real installation must not keep accounts anyone who saw the demo can sign in to.
const exposed = process.env.ALLOW_DEMO_PASSWORD === '1' ? [] : await exposedDemoAccounts(db)
if (exposed.length) {
  console.error(`[start] ${exposedDemoMessage(exposed)}`)
  await db.destroy()
  process.exit(1)
}
await db.destroy()
await ensureRedis()
run('worker', 'workers/main.ts')
run('web', 'app/cli/web.ts')
