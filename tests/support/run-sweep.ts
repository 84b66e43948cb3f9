// One reminder sweep in its own process (for tests of concurrent sweeps):
//   node --import tsx tests/support/run-sweep.ts <now ISO> <batch size>
// The database comes from DATABASE_URL / DATABASE_SCHEMA; prints the result as JSON.
import { createDb } from '../../db/db'
import { DEFAULT_REMINDER_CONFIG } from '../../app/reminders/config'
import { runSweep } from '../../app/reminders/sweep.server'

const db = createDb()
try {
  const result = await runSweep(db, new Date(process.argv[2]), {
    config: DEFAULT_REMINDER_CONFIG,
    batchSize: Number(process.argv[3] ?? 2000),
  })
  process.stdout.write(JSON.stringify(result))
} finally {
  await db.destroy()
}
