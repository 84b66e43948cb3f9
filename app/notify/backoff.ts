// When to try an email again, and when to give up. Pure: the outbox sender applies it.

export interface RetryPolicy {
  /** Wait after the first failed attempt. */
  baseMs: number
  /** The wait never grows past this. */
  capMs: number
  /** After this many attempts the email is marked failed for the admin to look at. */
  maxAttempts: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 60_000, capMs: 6 * 3600_000, maxAttempts: 8 }

export function retryPolicyFromEnv(env: Record<string, string | undefined> = process.env): RetryPolicy {
  const num = (v: string | undefined, fallback: number) =>
    v !== undefined && v !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) : fallback
  return {
    baseMs: num(env.OUTBOX_RETRY_BASE_MS, DEFAULT_RETRY_POLICY.baseMs),
    capMs: num(env.OUTBOX_RETRY_CAP_MS, DEFAULT_RETRY_POLICY.capMs),
    maxAttempts: Math.max(1, Math.floor(num(env.OUTBOX_MAX_ATTEMPTS, DEFAULT_RETRY_POLICY.maxAttempts))),
  }
}

/** The wait after the `attempts`-th failed attempt (1-based): base × 2^(attempts-1), capped. */
export function retryDelayMs(attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const n = Math.max(1, Math.floor(attempts))
  // 2^n overflows to Infinity long after any sane cap; Math.min keeps the cap.
  return Math.min(policy.capMs, policy.baseMs * 2 ** (n - 1))
}

export type FailureOutcome = { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' }

/**
 * What a failed attempt leads to. A permanent error (the server refused the message or the
 * address: SMTP 5xx) gives up at once; anything else (server down, timeout, 4xx) is retried
 * until the attempts run out.
 */
export function afterFailure(attempts: number, permanent: boolean, now: Date, policy: RetryPolicy = DEFAULT_RETRY_POLICY): FailureOutcome {
  if (permanent || attempts >= policy.maxAttempts) return { status: 'failed' }
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, policy)) }
}

/** SMTP replies 500–599 (and nodemailer's envelope errors) will not get better by retrying. */
export function isPermanentEmailError(err: unknown): boolean {
  const e = err as { responseCode?: unknown; code?: unknown } | null
  if (!e || typeof e !== 'object') return false
  if (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600) return true
  return e.code === 'EENVELOPE'
}
