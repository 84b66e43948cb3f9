// Demo organisation for a first run: a small unit tree, one user per role, the five sample reports
// stored as queued so the worker processes them exactly as it would an upload, and a living loop:
// an agency's earlier report confirmed into tasks in every state (closed, returned and overdue,
// awaiting verification, an extension pending) and its next year's report queued, which the worker
// links to it (prior-year notices, evidence suggestions). The loop goes through the same domain
// functions a person's clicks do, so its events, notifications and emails are the real ones.
import fs from 'node:fs'
import path from 'node:path'
import type { DB } from '../../db/db'
import { verifyPassword } from '../auth/password.server'
import type { Actor } from '../auth/scope'
import { addProgress, requestExtension, transitionTask, updateTask } from '../tasks/workflow.server'
import { confirmReport } from '../tasks/tasks.server'
import { todayInShanghai } from '../tasks/dates'
import { assignItems } from '../reports/review.server'
import { processReport, storeReport } from '../reports/reports.server'
import { createUnit, createUser } from './org.server'

export const DEMO_SETTING = 'demo_password'
/** The demo's users, one per role. */
export const DEMO_USERNAMES = ['admin', 'supervisor', 'staff', 'oversight'] as const

export async function isEmpty(db: DB): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n) === 0
}

export async function seedDemo(db: DB, opts: { password: string; fixturesDir: string; now?: Date }): Promise<{ reports: number }> {
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
  let staffId: string | null = null
  for (const p of people) {
    const { id } = await createUser(db, { ...p, password: opts.password, email: `${p.username}@demo.example` })
    if (p.username === 'supervisor') supervisorId = id
    if (p.username === 'staff') staffId = id
  }

  const files = fs.existsSync(opts.fixturesDir)
    ? fs
        .readdirSync(opts.fixturesDir)
        .filter(f => /^00.*\.txt$/.test(f))
        .sort()
    : []
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(opts.fixturesDir, f))
    await storeReport(db, { bytes, filename: f, unitId: root.id, uploadedBy: supervisorId })
  }
  const loopDir = path.join(opts.fixturesDir, 'demo')
  let loopReports = 0
  if (fs.existsSync(loopDir)) {
    loopReports = await seedDemoLoop(db, {
      dir: loopDir,
      supervisor: { id: supervisorId!, role: 'supervisor', unitId: root.id, unitPath: root.path },
      staff: { id: staffId!, role: 'staff', unitId: ndrc.id, unitPath: ndrc.path },
      now: opts.now ?? new Date(),
    })
  }
  await db
    .insertInto('settings')
    .values({ key: DEMO_SETTING, value: opts.password })
    .onConflict(oc => oc.column('key').doUpdateSet({ value: opts.password }))
    .execute()
  return { reports: files.length + loopReports }
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

/**
 * The loop: the earliest report of `dir` is extracted here and confirmed into tasks owned by staff,
 * which are then moved as people would move them; the later reports are stored queued for the worker.
 */
async function seedDemoLoop(db: DB, o: { dir: string; supervisor: Actor; staff: Actor; now: Date }): Promise<number> {
  const [first, ...later] = fs
    .readdirSync(o.dir)
    .filter(f => f.endsWith('.txt'))
    .sort()
  if (!first) return 0
  const today = todayInShanghai(o.now)
  const { report } = await storeReport(db, {
    bytes: fs.readFileSync(path.join(o.dir, first)),
    filename: first,
    unitId: o.supervisor.unitId,
    uploadedBy: o.supervisor.id,
  })
  if ((await processReport(db, report.id)) !== 'extracted') return 1
  const items = await db.selectFrom('report_items').select('id').where('report_id', '=', report.id).orderBy('seq').execute()
  if (!items.length) return 1
  await assignItems(
    db,
    o.supervisor,
    report.id,
    items.map(i => i.id),
    { unitId: o.staff.unitId, ownerId: o.staff.id, dueDate: addDays(today, 60), priority: 'normal' },
  )
  const user = { ...o.supervisor, username: 'supervisor', displayName: '张督办', unitName: '' }
  await confirmReport(db, user, report.id)
  const tasks = await db
    .selectFrom('tasks')
    .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
    .select('tasks.id')
    .where('tasks.report_id', '=', report.id)
    .orderBy('report_items.seq')
    .execute()
  const [closed, returned, pending, extension] = tasks.map(t => t.id)
  if (closed) {
    await addProgress(db, o.staff, closed, { progress: 100, note: '已梳理本局政府信息，新增主动公开目录 2 类，栏目已上线。' })
    await transitionTask(db, o.staff, closed, { action: 'submit' })
    await transitionTask(db, o.supervisor, closed, { action: 'verify' })
  }
  if (returned) {
    await addProgress(db, o.staff, returned, { progress: 60, note: '已建立信息更新台账，本季度更新信息 46 条。' })
    await transitionTask(db, o.staff, returned, { action: 'submit' })
    await transitionTask(db, o.supervisor, returned, { action: 'return', reason: '请补充栏目更新前后的截图作为佐证。' })
    // and its deadline has passed: it shows as overdue and the reminder sweep picks it up (set the
    // way a supervisor sets it, so the timeline records the change)
    await updateTask(db, o.supervisor, returned, { dueDate: addDays(today, -12) })
  }
  if (pending) {
    await addProgress(db, o.staff, pending, { progress: 100, note: '已在局门户网站和公众号开展宣传 3 次。' })
    await transitionTask(db, o.staff, pending, { action: 'submit' })
  }
  if (extension) {
    await addProgress(db, o.staff, extension, { progress: 30, note: '公开目录梳理方案已拟定，待局务会审定。' })
    await requestExtension(
      db,
      o.staff,
      extension,
      { newDueDate: addDays(today, 120), reason: '目录梳理需与全区统一目录调整同步进行。' },
      o.now,
    )
  }
  for (const f of later)
    await storeReport(db, {
      bytes: fs.readFileSync(path.join(o.dir, f)),
      filename: f,
      unitId: o.supervisor.unitId,
      uploadedBy: o.supervisor.id,
    })
  return 1 + later.length
}

/** Whether anyone but the demo's users has an account: then this is a real installation, not a demo. */
export async function hasRealUsers(db: DB): Promise<boolean> {
  return !!(await db
    .selectFrom('users')
    .select('id')
    .where('username', 'not in', [...DEMO_USERNAMES])
    .limit(1)
    .executeTakeFirst())
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
  const users = await db
    .selectFrom('users')
    .select(['username', 'password_hash'])
    .where('username', 'in', [...DEMO_USERNAMES])
    .where('active', '=', 1)
    .execute()
  const exposed: string[] = []
  for (const u of users) if (await verifyPassword(row.value, u.password_hash)) exposed.push(u.username)
  return exposed
}

/** The refusal printed when a real installation still has demo accounts with the demo password. */
export function exposedDemoMessage(usernames: string[]): string {
  return `演示账号 ${usernames.join('、')} 仍使用演示密码，而系统中已有正式用户：任何见过演示的人都能以这些账号登录。请修改这些账号的密码或停用它们；若这确实是演示环境，设置 ALLOW_DEMO_PASSWORD=1。\n(Demo accounts ${usernames.join(', ')} still accept the demo password on an installation with real users. Change or deactivate them, or set ALLOW_DEMO_PASSWORD=1 for a demo.)`
}
