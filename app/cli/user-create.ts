// Creates a user. On an empty system the named unit is created as the root of the unit tree.
// npm run user:create -- --username NAME --password PASS --role ROLE --unit UNIT_NAME_OR_ID [--name 显示名] [--email E]
import { parseArgs } from 'node:util'
import { createDb, migrateToLatest } from '../../db/db'
import { isRole } from '../auth/permissions'
import { passwordProblem } from '../auth/password-rules'
import { createUnit, createUser, listUnits, usernameTaken } from '../org/org.server'

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    password: { type: 'string' },
    role: { type: 'string' },
    unit: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
  },
})
const fail = (msg: string): never => {
  console.error(msg)
  process.exit(1)
}
const { username, password, role, unit } = values
if (!username || !password || !role || !unit)
  fail(
    '用法 usage: npm run user:create -- --username NAME --password PASS --role admin|supervisor|staff|oversight --unit 单位名称或ID [--name 姓名] [--email 邮箱]',
  )
if (!isRole(role)) fail(`角色无效 invalid role: ${role}`)
const problem = passwordProblem(password!)
if (problem) fail(problem)

const db = createDb()
await migrateToLatest(db)
let found = await db
  .selectFrom('units')
  .select('id')
  .where(eb => eb.or([eb('id', '=', unit!), eb('name', '=', unit!)]))
  .execute()
// Bootstrapping an empty system (SEED_DEMO=0): the first user's unit becomes the root of the tree.
if (found.length === 0 && (await listUnits(db)).length === 0) found = [await createUnit(db, { name: unit! })]
if (found.length !== 1) fail(found.length ? `单位名称不唯一，请用 ID: ${unit}` : `找不到单位 unit not found: ${unit}`)
if (await usernameTaken(db, username!)) fail(`用户名已存在 username taken: ${username}`)
const { id } = await createUser(db, {
  username: username!,
  password: password!,
  role: role as 'staff',
  unitId: found[0].id,
  displayName: values.name ?? username!,
  email: values.email,
})
console.log(`created user ${username} (${id})`)
await db.destroy()
