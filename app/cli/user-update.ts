// Changes an account from the command line: a new password, or deactivation (its sessions end and
// its API tokens are revoked at once), or reactivation. The same functions as the admin pages
// (app/org/accounts.server.ts), for when no admin can sign in.
// npm run user:update -- --username NAME [--password NEW] [--deactivate | --activate]
import { parseArgs } from 'node:util'
import { createDb, migrateToLatest } from '../../db/db'
import { passwordProblem } from '../auth/password-rules'
import { deactivateUser, reactivateUser, setUserPassword } from '../org/accounts.server'

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    password: { type: 'string' },
    deactivate: { type: 'boolean', default: false },
    activate: { type: 'boolean', default: false },
  },
})
const fail = (msg: string): never => {
  console.error(msg)
  process.exit(1)
}
const { username, password } = values
if (!username || (!password && !values.deactivate && !values.activate) || (values.deactivate && values.activate))
  fail('用法 usage: npm run user:update -- --username NAME [--password NEW] [--deactivate | --activate]')
const problem = password !== undefined ? passwordProblem(password) : null
if (problem) fail(problem)

const db = createDb()
await migrateToLatest(db)
const user = await db.selectFrom('users').select('id').where('username', '=', username!.trim().toLowerCase()).executeTakeFirst()
if (!user) fail(`找不到用户 user not found: ${username}`)
if (password) await setUserPassword(db, user!.id, password)
if (values.deactivate) await deactivateUser(db, user!.id, null)
if (values.activate) await reactivateUser(db, user!.id)
console.log(
  `updated user ${username}: ${[password ? 'new password' : '', values.deactivate ? 'deactivated' : '', values.activate ? 'activated' : ''].filter(Boolean).join(', ')}`,
)
await db.destroy()
