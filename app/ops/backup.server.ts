// Backups and restores: a consistent database snapshot (SQLite online backup API, or pg_dump in custom
// format inside one exported snapshot) plus the uploaded files under the data directory, with a
// manifest (last migration, rows per table, sha256 of every file) that a restore is checked against.
// The CLIs (app/cli/backup.ts, app/cli/restore.ts) only parse arguments and print what these return.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'

export const MANIFEST_FILE = 'manifest.json'
/** Uploaded files live here, relative to the data directory. The outbox (.eml copies of mail already
 * recorded in the database) and the private Redis data (rebuilt from the database) are not backed up. */
export const BACKED_UP_DIRS = ['evidence'] as const
const SQLITE_FILE = 'database.sqlite'
const PG_DUMP_FILE = 'database.dump'

export interface FileEntry {
  /** Relative to the data directory, with forward slashes, e.g. evidence/<id>. */
  path: string
  bytes: number
  sha256: string
}

export interface BackupManifest {
  format: 'follow-through-backup'
  version: 1
  createdAt: string
  engine: 'sqlite' | 'postgres'
  /** PostgreSQL: the schema that was dumped (a restore recreates it under the same name). */
  schema: string | null
  /** Name of the last applied migration. */
  migration: string | null
  tables: Record<string, number>
  database: FileEntry
  files: FileEntry[]
}

export type DatabaseTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string; schema: string }

export class BackupError extends Error {}

const sha256File = (file: string) =>
  new Promise<string>((resolve, reject) => {
    const h = createHash('sha256')
    fs.createReadStream(file)
      .on('data', d => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject)
  })

async function fileEntry(root: string, rel: string): Promise<FileEntry> {
  const abs = path.join(root, rel)
  return { path: rel.split(path.sep).join('/'), bytes: fs.statSync(abs).size, sha256: await sha256File(abs) }
}

function listFiles(root: string, rel = ''): string[] {
  const dir = path.join(root, rel)
  if (!fs.existsSync(dir)) return []
  const out: string[] = []
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const r = path.join(rel, e.name)
    if (e.isDirectory()) out.push(...listFiles(root, r))
    else if (e.isFile()) out.push(r)
  }
  return out
}

export function backupName(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `follow-through-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`
}

/** The SQLite database file of a sqlite DATABASE_URL (or the default one in the data directory). */
export function sqliteFileOf(databaseUrl: string | undefined, dataDir: string): string {
  return databaseUrl ? path.resolve(databaseUrl.replace(/^sqlite:(\/\/)?/, '')) : path.join(dataDir, 'follow-through.sqlite')
}

// ---------- SQLite ----------

/** Rows per table (FTS virtual tables excluded: their shadow tables are counted) and the last migration. */
function sqliteFacts(file: string): { tables: Record<string, number>; migration: string | null } {
  const db = new SQLite(file, { readonly: true, fileMustExist: true })
  try {
    const names = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`,
      )
      .pluck()
      .all() as string[]
    const tables: Record<string, number> = {}
    for (const n of names)
      tables[n] = db
        .prepare(`SELECT count(*) FROM "${n.replace(/"/g, '""')}"`)
        .pluck()
        .get() as number
    const migration = names.includes('kysely_migration')
      ? ((db.prepare('SELECT max(name) FROM kysely_migration').pluck().get() as string | null) ?? null)
      : null
    return { tables, migration }
  } finally {
    db.close()
  }
}

async function snapshotSqlite(source: string, target: string): Promise<void> {
  if (!fs.existsSync(source)) throw new BackupError(`找不到数据库文件 database file not found: ${source}`)
  const db = new SQLite(source, { fileMustExist: true })
  try {
    db.pragma('busy_timeout = 10000')
    // Online backup API: a page-consistent copy even while the web and worker processes write
    // (it restarts if another connection writes mid-copy; after the first step it copies everything in one step).
    await db.backup(target, { progress: () => 0x7fffffff })
  } finally {
    db.close()
  }
  // The copy keeps WAL mode in its header; a backup is a single self-contained file.
  const copy = new SQLite(target)
  copy.pragma('journal_mode = DELETE')
  copy.close()
}

// ---------- PostgreSQL ----------

export function findPgTool(name: 'pg_dump' | 'pg_restore'): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, name)
    if (dir && fs.existsSync(p)) return p
  }
  throw new BackupError(
    `找不到 ${name}：请安装 PostgreSQL 客户端工具（Debian/Ubuntu：sudo apt-get install postgresql-client，版本不低于服务器）。\n` +
      `${name} not found: install the PostgreSQL client tools (Debian/Ubuntu: sudo apt-get install postgresql-client, same major version as the server or newer).`,
  )
}

function runOutput(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', d => (out += d))
    child.stderr.on('data', d => (err += d))
    child.on('error', reject)
    child.on('close', code =>
      code === 0 ? resolve(out) : reject(new BackupError(`${path.basename(cmd)} 失败 failed (${code}): ${err.trim()}`)),
    )
  })
}
const run = async (cmd: string, args: string[]) => void (await runOutput(cmd, args))

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`

async function pgFacts(client: pg.Client, schema: string): Promise<{ tables: Record<string, number>; migration: string | null }> {
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [schema],
  )
  const tables: Record<string, number> = {}
  for (const r of rows) {
    const c = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(schema)}.${quoteIdent(r.table_name)}`)
    tables[r.table_name] = Number(c.rows[0].n)
  }
  const migration =
    'kysely_migration' in tables
      ? ((await client.query<{ m: string | null }>(`SELECT max(name) AS m FROM ${quoteIdent(schema)}.kysely_migration`)).rows[0].m ?? null)
      : null
  return { tables, migration }
}

async function dumpPostgres(url: string, schema: string, target: string) {
  const pgDump = findPgTool('pg_dump')
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    // The counts and pg_dump see the same snapshot, so the manifest describes exactly what was dumped.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    const snapshot = (await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0].s
    const dump = run(pgDump, [
      '--format=custom',
      '--no-owner',
      '--no-acl',
      `--snapshot=${snapshot}`,
      `--schema=${schema}`,
      `--file=${target}`,
      `--dbname=${url}`,
    ])
    const facts = await pgFacts(client, schema)
    await dump
    if (!Object.keys(facts.tables).length)
      throw new BackupError(`PostgreSQL 模式 "${schema}" 中没有表（DATABASE_SCHEMA 是否正确？）no tables in schema "${schema}"`)
    await client.query('COMMIT')
    return facts
  } finally {
    await client.end()
  }
}

// ---------- backup ----------

export interface BackupOptions {
  database: DatabaseTarget
  dataDir: string
  /** Directory to create; default DATA_DIR/backups/follow-through-YYYYMMDD-HHMMSS. */
  out?: string
  now?: Date
}

export async function createBackup(opts: BackupOptions): Promise<{ dir: string; manifest: BackupManifest }> {
  const now = opts.now ?? new Date()
  const dir = path.resolve(opts.out ?? path.join(opts.dataDir, 'backups', backupName(now)))
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0)
    throw new BackupError(`备份目录已存在且不为空 backup directory exists and is not empty: ${dir}`)
  // Written under a temporary name and renamed at the end: a half-written backup is never mistaken for one.
  const work = `${dir}.partial`
  fs.rmSync(work, { recursive: true, force: true })
  fs.mkdirSync(work, { recursive: true })
  try {
    let facts: { tables: Record<string, number>; migration: string | null }
    let dbFile: string
    if (opts.database.engine === 'sqlite') {
      dbFile = SQLITE_FILE
      await snapshotSqlite(opts.database.file, path.join(work, dbFile))
      facts = sqliteFacts(path.join(work, dbFile))
    } else {
      dbFile = PG_DUMP_FILE
      facts = await dumpPostgres(opts.database.url, opts.database.schema, path.join(work, dbFile))
    }
    // Files after the database: a file is written before its row commits, so every row in the snapshot finds its file.
    const files: FileEntry[] = []
    for (const sub of BACKED_UP_DIRS) {
      for (const rel of listFiles(opts.dataDir, sub)) {
        const target = path.join(work, 'files', rel)
        fs.mkdirSync(path.dirname(target), { recursive: true })
        fs.copyFileSync(path.join(opts.dataDir, rel), target)
        files.push(await fileEntry(path.join(work, 'files'), rel))
      }
    }
    const manifest: BackupManifest = {
      format: 'follow-through-backup',
      version: 1,
      createdAt: now.toISOString(),
      engine: opts.database.engine,
      schema: opts.database.engine === 'postgres' ? opts.database.schema : null,
      migration: facts.migration,
      tables: facts.tables,
      database: await fileEntry(work, dbFile),
      files,
    }
    fs.writeFileSync(path.join(work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
    fs.rmSync(dir, { recursive: true, force: true })
    fs.renameSync(work, dir)
    return { dir, manifest }
  } catch (err) {
    fs.rmSync(work, { recursive: true, force: true })
    throw err
  }
}

// ---------- verification ----------

export interface Problem {
  what: string
  expected: string
  actual: string
}

export function readManifest(backupDir: string): BackupManifest {
  const file = path.join(backupDir, MANIFEST_FILE)
  if (!fs.existsSync(file)) throw new BackupError(`不是备份目录（缺少 ${MANIFEST_FILE}）not a backup directory: ${backupDir}`)
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest
  if (m.format !== 'follow-through-backup' || m.version !== 1) throw new BackupError(`无法识别的备份格式 unknown backup format: ${file}`)
  return m
}

async function checkFile(root: string, e: FileEntry, label: string): Promise<Problem[]> {
  const abs = path.join(root, ...e.path.split('/'))
  if (!fs.existsSync(abs)) return [{ what: `${label} ${e.path}`, expected: `${e.bytes} bytes`, actual: '缺失 missing' }]
  const sha = await sha256File(abs)
  return sha === e.sha256 ? [] : [{ what: `${label} ${e.path}`, expected: `sha256 ${e.sha256}`, actual: `sha256 ${sha}` }]
}

/** Checks a backup directory's own files against its manifest (before anything is restored). */
export async function verifyBackup(backupDir: string): Promise<{ manifest: BackupManifest; problems: Problem[] }> {
  const manifest = readManifest(backupDir)
  const problems = await checkFile(backupDir, manifest.database, '数据库 database')
  for (const f of manifest.files) problems.push(...(await checkFile(path.join(backupDir, 'files'), f, '文件 file')))
  return { manifest, problems }
}

function compareFacts(manifest: BackupManifest, facts: { tables: Record<string, number>; migration: string | null }): Problem[] {
  const problems: Problem[] = []
  if (facts.migration !== manifest.migration)
    problems.push({ what: '迁移 migration', expected: String(manifest.migration), actual: String(facts.migration) })
  for (const name of new Set([...Object.keys(manifest.tables), ...Object.keys(facts.tables)])) {
    const want = manifest.tables[name]
    const got = facts.tables[name]
    if (want !== got)
      problems.push({
        what: `表 table ${name}`,
        expected: want === undefined ? '不存在 absent' : `${want} rows`,
        actual: got === undefined ? '不存在 absent' : `${got} rows`,
      })
  }
  return problems
}

// ---------- restore ----------

export interface RestoreOptions {
  backupDir: string
  database: DatabaseTarget
  dataDir: string
  /** SQLite: overwrite an existing database file and files of the same name. A non-empty PostgreSQL schema is always refused. */
  force?: boolean
}

export type RestoreResult =
  | { ok: true; manifest: BackupManifest; tables: number; rows: number; files: number }
  | { ok: false; reason: 'corrupt-backup' | 'target-not-empty' | 'verification-failed'; message: string; problems: Problem[] }

async function pgSchemaTables(url: string, schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1`, [schema])
    return Number(r.rows[0].n)
  } finally {
    await client.end()
  }
}

/** What already exists at the target, in words; empty when the target is empty. */
async function occupied(opts: RestoreOptions, manifest: BackupManifest): Promise<string[]> {
  const found: string[] = []
  if (opts.database.engine === 'sqlite') {
    if (fs.existsSync(opts.database.file) && fs.statSync(opts.database.file).size > 0)
      found.push(`数据库文件 database file ${opts.database.file}`)
  } else {
    const n = await pgSchemaTables(opts.database.url, opts.database.schema)
    if (n > 0) found.push(`PostgreSQL 模式 schema "${opts.database.schema}" 已有 ${n} 张表 has ${n} tables`)
  }
  for (const f of manifest.files) if (fs.existsSync(path.join(opts.dataDir, ...f.path.split('/')))) found.push(`文件 file ${f.path}`)
  return found
}

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const backupDir = path.resolve(opts.backupDir)
  const { manifest, problems } = await verifyBackup(backupDir)
  if (problems.length)
    return {
      ok: false,
      reason: 'corrupt-backup',
      message: '备份已损坏：文件与清单不符，未做任何更改。Backup is corrupt: files do not match the manifest; nothing was changed.',
      problems,
    }
  if (manifest.engine !== opts.database.engine)
    throw new BackupError(
      `备份来自 ${manifest.engine}，目标数据库是 ${opts.database.engine}；请用同一种数据库恢复。Backup is ${manifest.engine}, target is ${opts.database.engine}.`,
    )
  if (opts.database.engine === 'postgres' && manifest.schema !== opts.database.schema)
    throw new BackupError(
      `备份的模式是 "${manifest.schema}"，目标是 "${opts.database.schema}"；pg_restore 按原名恢复，请把 DATABASE_SCHEMA 设为 "${manifest.schema}"。Backup schema "${manifest.schema}" differs from target "${opts.database.schema}".`,
    )
  const found = await occupied(opts, manifest)
  if (opts.database.engine === 'postgres' && found.some(f => f.startsWith('PostgreSQL')))
    return {
      ok: false,
      reason: 'target-not-empty',
      message: `PostgreSQL 模式 "${opts.database.schema}" 不是空的，未做任何更改（--force 不会删除 PostgreSQL 数据：请先自行 DROP SCHEMA … CASCADE 或换一个空库）。Schema is not empty; nothing was changed (drop it yourself first).`,
      problems: found.slice(0, 20).map(what => ({ what, expected: '空 empty', actual: '已存在 exists' })),
    }
  if (found.length && !opts.force)
    return {
      ok: false,
      reason: 'target-not-empty',
      message: '目标不是空的，未做任何更改；确认要覆盖请加 --force。Target is not empty; nothing was changed (use --force to overwrite).',
      problems: found.slice(0, 20).map(what => ({ what, expected: '空 empty', actual: '已存在 exists' })),
    }

  let facts: { tables: Record<string, number>; migration: string | null }
  if (opts.database.engine === 'sqlite') {
    const target = path.resolve(opts.database.file)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    const tmp = `${target}.restoring`
    fs.copyFileSync(path.join(backupDir, SQLITE_FILE), tmp)
    for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${target}${suffix}`, { force: true })
    fs.renameSync(tmp, target)
    facts = sqliteFacts(target)
  } else {
    const { url, schema } = opts.database
    const pgRestore = findPgTool('pg_restore')
    const dump = path.join(backupDir, PG_DUMP_FILE)
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      // The search indexes use pg_trgm, which lives outside the dumped schema (in public): create it if allowed.
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public').catch(() => {})
      const schemaExists = (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount! > 0
      const args = ['--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', `--dbname=${url}`]
      if (schemaExists) {
        // An empty schema of that name is kept (public holds extensions): restore everything but its CREATE SCHEMA.
        const toc = await runOutput(pgRestore, ['--list', dump])
        const listFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ft-restore-')), 'toc.list')
        fs.writeFileSync(
          listFile,
          toc
            .split('\n')
            .filter(l => !/^\d+; \d+ \d+ (SCHEMA|COMMENT) - (SCHEMA )?\S+ /.test(l))
            .join('\n'),
        )
        args.push(`--use-list=${listFile}`)
      }
      await run(pgRestore, [...args, dump])
      facts = await pgFacts(client, schema)
    } finally {
      await client.end()
    }
  }
  for (const f of manifest.files) {
    const target = path.join(opts.dataDir, ...f.path.split('/'))
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.copyFileSync(path.join(backupDir, 'files', ...f.path.split('/')), target)
  }

  const after = compareFacts(manifest, facts)
  for (const f of manifest.files) after.push(...(await checkFile(opts.dataDir, f, '文件 file')))
  if (after.length)
    return {
      ok: false,
      reason: 'verification-failed',
      message: '恢复后的数据与清单不符。Restored data does not match the manifest.',
      problems: after,
    }
  const rows = Object.values(facts.tables).reduce((a, b) => a + b, 0)
  return { ok: true, manifest, tables: Object.keys(facts.tables).length, rows, files: manifest.files.length }
}
