// Waiting for the reminder worker's work instead of for the clock: "several more sweeps change
// nothing" is checked after that many sweeps have completed, however long they take on a loaded machine.
import type { DB } from '../../db/db'
import { readSweptUntil } from '../../app/reminders/sweep.server'
import { waitFor } from './redis'

/** Resolves once the sweep marker (the `now` of the last completed sweep) has moved forward `n` times. */
export async function waitForSweeps(db: DB, n = 2, timeoutMs = 30_000): Promise<void> {
  let last = (await readSweptUntil(db))?.getTime() ?? 0
  let moves = 0
  await waitFor(
    async () => {
      const now = (await readSweptUntil(db))?.getTime() ?? 0
      if (now > last) {
        moves++
        last = now
      }
      return moves >= n
    },
    { timeoutMs, what: `${n} more reminder sweeps` },
  )
}
