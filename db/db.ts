// The Kysely instance. SQLite (better-sqlite3) by default, PostgreSQL when DATABASE_URL says so.
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider } from 'kysely'
import pg from 'pg'
import { migrations } from './migrations/index'
import type { Database } from './schema'
import { engineOf } from './engine'

export type DB = Kysely<Database>

export function dataDir(): string {
  return path.resolve(process.env.DATA_DIR ?? 'data')
}

export function isPostgresUrl(url: string | undefined): boolean {
  return !!url && /^postgres(ql)?:\/\//.test(url)
}

export interface DbOptions {
  /** postgres://… or a SQLite file path / sqlite: URL. Default: $DATABASE_URL, else data/follow-through.sqlite */
  url?: string
  /** PostgreSQL only: schema to use (created if missing); lets tests run isolated. */
  schema?: string
}

// PostgreSQL returns COUNT(*) and BIGINT as strings; we only count rows well below 2^53.
pg.types.setTypeParser(20, v => Number(v))

export function createDb(opts: DbOptions = {}): DB {
  const url = opts.url ?? process.env.DATABASE_URL
  if (url && isPostgresUrl(url)) {
    const schema = opts.schema ?? process.env.DATABASE_SCHEMA
    const pool = new pg.Pool({
      connectionString: url,
      max: Number(process.env.DATABASE_POOL_MAX ?? 10),
      // Parallel plans off unless asked for (PG_PARALLEL_WORKERS): a web request is a short query among
      // many, and on a small server starting workers cost more than it saved (the oversight overview:
      // ≈110 ms serial, ≈220 ms parallel on 2 cores). A large server with few users may raise it.
      options: [
        ...(schema ? [`-c search_path=${schema}`] : []),
        `-c max_parallel_workers_per_gather=${Number(process.env.PG_PARALLEL_WORKERS ?? 0)}`,
      ].join(' '),
    })
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  }
  const file = url ? url.replace(/^sqlite:(\/\/)?/, '') : path.join(dataDir(), 'follow-through.sqlite')
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const sqlite = new SQLite(file)
  // Web and worker processes share the file: WAL lets readers run beside one writer.
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('busy_timeout = 10000')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('cache_size = -65536') // 64 MiB page cache: sweeps and imports touch many pages
  // Checkpoint (copy the WAL back into the file, with an fsync) every ~40 MB instead of every 4 MB:
  // bulk writes such as a reminder sweep otherwise paid a checkpoint on almost every commit.
  sqlite.pragma('wal_autocheckpoint = 10000')
  // Query plans need table statistics (without them SQLite guessed, e.g. read 50,000 reports through
  // the status index instead of a covering one: 10× slower), and stale ones are worse than none: a
  // batch import into the demo database kept its five-row statistics, the follow-up's neighbour query
  // scanned every report (17 ms instead of 0.02) and the import ran at a third of its speed. So every
  // connection re-analyses what has none or has grown or shrunk 10× (bounded by analysis_limit),
  // at open and every SQLITE_OPTIMIZE_EVERY_MS (10 s; a fraction of a millisecond when nothing
  // changed). Each connection: statistics another connection gathered are not reloaded here.
  let optimizeTimer: NodeJS.Timeout | undefined
  if (file !== ':memory:') {
    optimizeSqlite(sqlite)
    const every = Number(process.env.SQLITE_OPTIMIZE_EVERY_MS ?? 10_000)
    if (every > 0) {
      optimizeTimer = setInterval(() => {
        try {
          optimizeSqlite(sqlite)
        } catch (err) {
          // Busy (another process writes for longer than the busy timeout): next time.
          console.error(`[db] PRAGMA optimize: ${(err as Error).message}`)
        }
      }, every)
      optimizeTimer.unref()
    }
  }
  // Every transaction takes the write lock at BEGIN (IMMEDIATE). A deferred one that reads and then
  // writes fails at once with "database is locked" when another process committed in between (the
  // busy timeout cannot help it); an immediate one waits its turn. The fault suite found this
  // (17 of 400 progress updates refused beside a writing worker).
  // Statements are kept by their SQL (the most recent 500): Kysely prepares every query it runs, and
  // preparing a write on a table with many triggers (search, oversight) cost more than running it
  // (2.7 s of 1,000 imported reports' processing).
  const statements = new Map<string, SQLite.Statement>()
  const prepare = (q: string): SQLite.Statement => {
    const text = q === 'begin' ? 'begin immediate' : q
    let stmt = statements.get(text)
    if (stmt) statements.delete(text)
    else {
      stmt = sqlite.prepare(text)
      if (statements.size >= 500) statements.delete(statements.keys().next().value!)
    }
    statements.set(text, stmt)
    return stmt
  }
  const database = {
    prepare,
    close: () => {
      clearInterval(optimizeTimer)
      sqlite.close()
    },
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
}

/** SQLite's own statistics upkeep (PRAGMA optimize); 0x10002 covers every table, also those never analysed. */
function optimizeSqlite(sqlite: SQLite.Database): void {
  sqlite.pragma('analysis_limit = 1000')
  sqlite.pragma('optimize = 0x10002')
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

export async function migrateToLatest(db: DB, opts: { schema?: string } = {}): Promise<void> {
  if (opts.schema) await db.schema.createSchema(opts.schema).ifNotExists().execute()
  // Kysely looks for its migration tables in any schema unless told which: another migrated schema
  // in the same database (a second installation, a test or bench run) would make it skip creating
  // its own. So on PostgreSQL name the schema this connection works in.
  const schema =
    engineOf(db) === 'postgres'
      ? (opts.schema ?? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s)
      : undefined
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) })
  const { error, results } = await migrator.migrateToLatest()
  for (const r of results ?? []) if (r.status === 'Error') console.error(`migration ${r.migrationName} failed`)
  if (error) throw error
  // New tables and indexes (and a migration's backfill) have no statistics yet.
  if ((results ?? []).length && engineOf(db) === 'sqlite') await sql.raw('PRAGMA optimize = 0x10002').execute(db)
}

let shared: DB | undefined
/** The process-wide instance (web server, worker, CLIs). Tests create their own with createDb. */
export function getDb(): DB {
  shared ??= createDb()
  return shared
}
