// npm run backup [-- --out PATH]: a consistent snapshot of the database (SQLite online backup, or
// pg_dump for PostgreSQL) plus the uploaded files, with a manifest. Safe while the app runs.
import { dataDir, isPostgresUrl } from '../../db/db'
import { BackupError, createBackup, sqliteFileOf, type DatabaseTarget } from '../ops/backup.server'

const args = process.argv.slice(2)
let out: string | undefined
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out' && args[i + 1]) out = args[++i]
  else {
    console.error('用法 usage: npm run backup [-- --out PATH]')
    process.exit(2)
  }
}

const url = process.env.DATABASE_URL
const database: DatabaseTarget = isPostgresUrl(url)
  ? { engine: 'postgres', url: url!, schema: process.env.DATABASE_SCHEMA || 'public' }
  : { engine: 'sqlite', file: sqliteFileOf(url, dataDir()) }

try {
  const { dir, manifest } = await createBackup({ database, dataDir: dataDir(), out })
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0)
  console.log(`备份完成 backup written: ${dir}`)
  console.log(
    `  ${manifest.engine}${manifest.schema ? ` (schema ${manifest.schema})` : ''}，迁移 migration ${manifest.migration}，${Object.keys(manifest.tables).length} 张表 tables，${rows} 行 rows，${manifest.files.length} 个文件 files`,
  )
} catch (err) {
  console.error(err instanceof BackupError ? err.message : `备份失败 backup failed: ${(err as Error).stack ?? err}`)
  process.exitCode = 1
}
