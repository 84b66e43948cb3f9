// Creates a personal API token for a user and prints ONLY the token on stdout, so scripts can do
// TOKEN=$(npm run -s token -- <username> [name]). Messages go to stderr.
import { getDb, migrateToLatest } from '../../db/db'
import { createApiToken } from '../auth/tokens.server'

const [username, ...nameParts] = process.argv.slice(2)
if (!username || username.startsWith('-')) {
  console.error('用法 usage: npm run -s token -- <用户名 username> [令牌名称 name]')
  process.exit(1)
}

// The same instance the app uses (tokens.server imports it), closed at the end.
const db = getDb()
try {
  await migrateToLatest(db)
  const user = await db
    .selectFrom('users')
    .select(['id', 'active'])
    .where('username', '=', username.trim().toLowerCase())
    .executeTakeFirst()
  if (!user) throw new Error(`找不到用户 user not found: ${username}`)
  if (!user.active) throw new Error(`用户已停用 user is inactive: ${username}`)
  const { token } = await createApiToken(db, user.id, nameParts.join(' ') || `命令行 ${new Date().toISOString().slice(0, 10)}`)
  process.stdout.write(`${token}\n`)
} catch (err) {
  console.error((err as Error).message)
  process.exitCode = 1
} finally {
  await db.destroy()
}
