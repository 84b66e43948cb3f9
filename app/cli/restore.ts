// npm run restore -- PATH [--force] | --check PATH: restores a backup made by `npm run backup` into an
// empty data directory / database (DATA_DIR, DATABASE_URL, DATABASE_SCHEMA), then checks it against
// the manifest. --check only verifies the backup's own files.
import { dataDir, isPostgresUrl } from '../../db/db'
import { BackupError, restoreBackup, sqliteFileOf, verifyBackup, type DatabaseTarget, type Problem } from '../ops/backup.server'

const args = process.argv.slice(2)
const force = args.includes('--force')
const checkOnly = args.includes('--check')
const paths = args.filter(a => !a.startsWith('--'))
if (paths.length !== 1 || args.some(a => a.startsWith('--') && a !== '--force' && a !== '--check')) {
  console.error('用法 usage: npm run restore -- PATH [--force]   |   npm run restore -- --check PATH')
  process.exit(2)
}

const printProblems = (problems: Problem[]) => {
  for (const p of problems) console.error(`  ✗ ${p.what}: 应为 expected ${p.expected}，实际 actual ${p.actual}`)
}

const url = process.env.DATABASE_URL
const database: DatabaseTarget = isPostgresUrl(url)
  ? { engine: 'postgres', url: url!, schema: process.env.DATABASE_SCHEMA || 'public' }
  : { engine: 'sqlite', file: sqliteFileOf(url, dataDir()) }

try {
  if (checkOnly) {
    const { manifest, problems } = await verifyBackup(paths[0])
    if (problems.length) {
      console.error(`备份已损坏 backup is corrupt: ${problems.length} 处不符 mismatches`)
      printProblems(problems)
      process.exitCode = 1
    } else console.log(`备份完好 backup is intact: 数据库 database + ${manifest.files.length} 个文件 files 与清单一致 match the manifest`)
  } else {
    const r = await restoreBackup({ backupDir: paths[0], database, dataDir: dataDir(), force })
    if (r.ok) {
      console.log(
        `恢复完成并已核对 restored and verified: ${r.tables} 张表 tables，${r.rows} 行 rows，${r.files} 个文件 files，迁移 migration ${r.manifest.migration}`,
      )
      console.log(`  → ${database.engine === 'sqlite' ? database.file : `${database.schema} @ PostgreSQL`}，文件 files → ${dataDir()}`)
    } else {
      console.error(r.message)
      printProblems(r.problems)
      process.exitCode = 1
    }
  }
} catch (err) {
  console.error(err instanceof BackupError ? err.message : `恢复失败 restore failed: ${(err as Error).stack ?? err}`)
  process.exitCode = 1
}
