// Changes an account from the command line: a new password, or deactivation (its sessions and API
// tokens stop working at once: both check the user is active), or reactivation. Until the admin
// pages manage accounts, this is how the demo accounts of a real installation are closed.
// npm run user:update -- --username NAME [--password NEW] [--deactivate | --activate]
import { parseArgs } from 'node:util'
import { createDb, migrateToLatest } from '../../db/db'
import { hashPassword } from '../auth/password.server'

const { values } = parseArgs({ options: { username: { type: 'string' }, password: { type: 'string' }, deactivate: { type: 'boolean', default: false }, activate: { type: 'boolean', default: false } } })
const fail = (msg: string): never => {
  console.error(msg)
  process.exit(1)
}
const { username, password } = values
if (!username || (!password && !values.deactivate && !values.activate) || (values.deactivate && values.activate)) fail('用法 usage: npm run user:update -- --username NAME [--password NEW] [--deactivate | --activate]')
if (password !== undefined && password.length < 8) fail('密码至少 8 位 (password must have at least 8 characters)')

const db = createDb()
await migrateToLatest(db)
const user = await db.selectFrom('users').select('id').where('username', '=', username!.trim().toLowerCase()).executeTakeFirst()
if (!user) fail(`找不到用户 user not found: ${username}`)
const set: { password_hash?: string; active?: number } = {}
if (password) set.password_hash = await hashPassword(password)
if (values.deactivate) set.active = 0
if (values.activate) set.active = 1
await db.updateTable('users').set(set).where('id', '=', user!.id).execute()
// A new password ends the sessions opened with the old one.
if (password || values.deactivate) await db.deleteFrom('sessions').where('user_id', '=', user!.id).execute()
console.log(`updated user ${username}: ${[password ? 'new password' : '', values.deactivate ? 'deactivated' : '', values.activate ? 'activated' : ''].filter(Boolean).join(', ')}`)
await db.destroy()
