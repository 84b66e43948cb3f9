// Reminder settings, read once from the environment (every default from PRODUCT.md is configurable).
// The planner never reads the environment: it is handed a ReminderConfig.

export interface ReminderConfig {
  /** Days before the deadline on which the owner is reminded (e.g. 30, 7, 1). */
  beforeDays: number[]
  /** After the first overdue notice (the day after the deadline), repeat every this many days. */
  overdueEveryDays: number
  /** Once a task is more than this many days overdue, oversight of its scope is told too. */
  escalateAfterDays: number
  /** Weekly digest: ISO weekday (1 = Monday … 7 = Sunday) and hour, local time. */
  digest: { weekday: number; hour: number }
  /** IANA time zone in which calendar days, weekdays and hours are counted. */
  timeZone: string
}

export const DEFAULT_REMINDER_CONFIG: ReminderConfig = {
  beforeDays: [30, 7, 1],
  overdueEveryDays: 7,
  escalateAfterDays: 30,
  digest: { weekday: 1, hour: 9 },
  timeZone: 'Asia/Shanghai',
}

type Env = Record<string, string | undefined>

function int(env: Env, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name]?.trim()
  if (!raw) return dflt
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`)
  return n
}

export function reminderConfigFromEnv(env: Env = process.env): ReminderConfig {
  const d = DEFAULT_REMINDER_CONFIG
  let beforeDays = d.beforeDays
  const rawBefore = env.REMINDER_BEFORE_DAYS?.trim()
  if (rawBefore) {
    beforeDays = rawBefore.split(',').map(s => Number(s.trim()))
    if (beforeDays.some(n => !Number.isInteger(n) || n < 1 || n > 366))
      throw new Error(`REMINDER_BEFORE_DAYS must be whole days (1–366) separated by commas, got "${rawBefore}"`)
  }
  const timeZone = env.APP_TIME_ZONE?.trim() || d.timeZone
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone })
  } catch {
    throw new Error(`APP_TIME_ZONE is not a known time zone: "${timeZone}"`)
  }
  return {
    beforeDays: [...new Set(beforeDays)].sort((a, b) => a - b),
    overdueEveryDays: int(env, 'REMINDER_OVERDUE_EVERY_DAYS', d.overdueEveryDays, 1, 366),
    escalateAfterDays: int(env, 'REMINDER_ESCALATE_AFTER_DAYS', d.escalateAfterDays, 1, 3660),
    digest: { weekday: int(env, 'DIGEST_WEEKDAY', d.digest.weekday, 1, 7), hour: int(env, 'DIGEST_HOUR', d.digest.hour, 0, 23) },
    timeZone,
  }
}

/** "2s", "30s", "5m", "1h", "250ms" or plain milliseconds → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text)
  if (!m) throw new Error(`not a duration: "${text}" (use e.g. 2s, 30s, 5m, 1h)`)
  const n = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h']
  if (!(n >= 1)) throw new Error(`duration too short: "${text}"`)
  return Math.round(n)
}

export function sweepEveryMs(env: Env = process.env): number {
  return parseDuration(env.REMINDER_SWEEP_EVERY?.trim() || '5m')
}
