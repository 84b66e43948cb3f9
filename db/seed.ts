// Demo organisation for a first run: a small unit tree, one user per role, and the five sample
// reports stored as queued so the worker processes them exactly as it would an upload.
import fs from 'node:fs'
import path from 'node:path'
import type { DB } from './db'
import { verifyPassword } from '../app/auth/password.server'
import { createUnit, createUser } from '../app/org/org.server'
import { storeReport } from '../app/reports/reports.server'

export const DEMO_SETTING = 'demo_password'
/** The demo's users, one per role. */
export const DEMO_USERNAMES = ['admin', 'supervisor', 'staff', 'oversight'] as const

export async function isEmpty(db: DB): Promise<boolean> {
  const row = await db.selectFrom('users').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n) === 0
}

export async function seedDemo(db: DB, opts: { password: string; fixturesDir: string }): Promise<{ reports: number }> {
  const root = await createUnit(db, { name: '示范市人民政府办公室（政务公开办）' })
  const ndrc = await createUnit(db, { name: '示范市发展和改革委员会', parentId: root.id })
  await createUnit(db, { name: '综合科', parentId: ndrc.id })
  await createUnit(db, { name: '示范市教育局', parentId: root.id })
  await createUnit(db, { name: '示范市政务服务中心', parentId: root.id })

  const people = [
    { username: 'admin', displayName: '系统管理员', role: 'admin', unitId: root.id },
    { username: 'supervisor', displayName: '张督办', role: 'supervisor', unitId: root.id },
    { username: 'staff', displayName: '李责任', role: 'staff', unitId: ndrc.id },
    { username: 'oversight', displayName: '王监督', role: 'oversight', unitId: root.id },
  ] as const
  let supervisorId: string | null = null
  for (const p of people) {
    const { id } = await createUser(db, { ...p, password: opts.password, email: `${p.username}@demo.example` })
    if (p.username === 'supervisor') supervisorId = id
  }

  const files = fs.existsSync(opts.fixturesDir) ? fs.readdirSync(opts.fixturesDir).filter(f => /^00.*\.txt$/.test(f)).sort() : []
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(opts.fixturesDir, f))
    await storeReport(db, { bytes, filename: f, unitId: root.id, uploadedBy: supervisorId })
  }
  await db.insertInto('settings').values({ key: DEMO_SETTING, value: opts.password }).onConflict(oc => oc.column('key').doUpdateSet({ value: opts.password })).execute()
  return { reports: files.length }
}

/** Whether anyone but the demo's users has an account: then this is a real installation, not a demo. */
export async function hasRealUsers(db: DB): Promise<boolean> {
  return !!(await db.selectFrom('users').select('id').where('username', 'not in', [...DEMO_USERNAMES]).limit(1).executeTakeFirst())
}

/**
 * The demo password to show on the login page: only on a pure demo (the demo users exist and nobody
 * else has an account). Once a real user exists, the page stops telling anyone the password.
 */
export async function demoLoginHint(db: DB): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', DEMO_SETTING).executeTakeFirst()
  if (!row) return null
  const demoUser = await db.selectFrom('users').select('id').where('username', '=', 'supervisor').executeTakeFirst()
  if (!demoUser || (await hasRealUsers(db))) return null
  return row.value
}

/**
 * Demo accounts that still accept the demo password on a real installation (someone else has an
 * account too): anyone who has seen the demo can sign in as them. Empty on a pure demo.
 */
export async function exposedDemoAccounts(db: DB): Promise<string[]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', DEMO_SETTING).executeTakeFirst()
  if (!row || !(await hasRealUsers(db))) return []
  const users = await db.selectFrom('users').select(['username', 'password_hash']).where('username', 'in', [...DEMO_USERNAMES]).where('active', '=', 1).execute()
  const exposed: string[] = []
  for (const u of users) if (await verifyPassword(row.value, u.password_hash)) exposed.push(u.username)
  return exposed
}

/** The refusal printed when a real installation still has demo accounts with the demo password. */
export function exposedDemoMessage(usernames: string[]): string {
  return `演示账号 ${usernames.join('、')} 仍使用演示密码，而系统中已有正式用户：任何见过演示的人都能以这些账号登录。请修改这些账号的密码或停用它们；若这确实是演示环境，设置 ALLOW_DEMO_PASSWORD=1。\n(Demo accounts ${usernames.join(', ')} still accept the demo password on an installation with real users. Change or deactivate them, or set ALLOW_DEMO_PASSWORD=1 for a demo.)`
}
