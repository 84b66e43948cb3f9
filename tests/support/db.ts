// Real databases for tests: a fresh SQLite file, or a fresh schema on the PostgreSQL server
// named by TEST_DATABASE_URL. Nothing is mocked.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { createDb, migrateToLatest, type DB } from '../../db/db'

export type Engine = 'sqlite' | 'postgres'

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export const engines: Engine[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']

export interface TestDb {
  db: DB
  engine: Engine
  /** Environment that points another process (a worker) at the same database. */
  env: Record<string, string>
  cleanup: () => Promise<void>
}

export async function createTestDb(engine: Engine): Promise<TestDb> {
  if (engine === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!
    const schema = `t_${randomBytes(6).toString('hex')}`
    const db = createDb({ url, schema })
    await migrateToLatest(db, { schema })
    return {
      db,
      engine,
      env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
      cleanup: async () => {
        await sql.raw(`drop schema if exists ${schema} cascade`).execute(db)
        await db.destroy()
      },
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-test-'))
  const file = path.join(dir, 'test.sqlite')
  const db = createDb({ url: file })
  await migrateToLatest(db)
  return {
    db,
    engine,
    env: { DATABASE_URL: file, DATA_DIR: dir },
    cleanup: async () => {
      await db.destroy()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function uniquePrefix(): string {
  return `fttest-${randomBytes(5).toString('hex')}`
}
