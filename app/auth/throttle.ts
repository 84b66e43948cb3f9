// Login throttling rules (pure): how long a key must wait after its failures. OWASP's
// authentication cheat sheet: slow guessing down exponentially rather than lock an account out, so
// nobody can lock a user out from elsewhere by failing on purpose. Keys: the (user, address) pair,
// which is what a guesser repeats, and the address alone with a much higher allowance, so one
// address cannot try many users quickly while an office behind one address is not stopped by a
// colleague's typos.

export interface ThrottlePolicy {
  /** Failures allowed without any wait. */
  free: number
  /** Wait after the first failure beyond `free`; doubled with each further failure. */
  baseMs: number
  maxMs: number
  /** Failures older than this (since the last attempt) are forgotten. */
  forgetAfterMs: number
}

export const PAIR_POLICY: ThrottlePolicy = { free: 4, baseMs: 2_000, maxMs: 15 * 60_000, forgetAfterMs: 15 * 60_000 }
export const ADDRESS_POLICY: ThrottlePolicy = { free: 40, baseMs: 1_000, maxMs: 60_000, forgetAfterMs: 15 * 60_000 }

/** The wait before the next attempt once a key has `failures` (counting the attempt just made). */
export function waitAfter(failures: number, p: ThrottlePolicy): number {
  if (failures <= p.free) return 0
  return Math.min(p.maxMs, p.baseMs * 2 ** Math.min(30, failures - p.free - 1))
}

export interface ThrottleState {
  failures: number
  blockedUntil: string | null
  updatedAt: string
}

/** What an attempt at `now` does to a key: refused (still waiting), or allowed with the new state to write. */
export function nextAttempt(
  state: ThrottleState | null,
  now: Date,
  p: ThrottlePolicy,
): { allowed: false; retryAfterMs: number } | { allowed: true; next: ThrottleState } {
  const t = now.getTime()
  if (state?.blockedUntil && Date.parse(state.blockedUntil) > t) return { allowed: false, retryAfterMs: Date.parse(state.blockedUntil) - t }
  const forgotten = !state || t - Date.parse(state.updatedAt) > p.forgetAfterMs
  const failures = (forgotten ? 0 : state!.failures) + 1
  const wait = waitAfter(failures, p)
  return { allowed: true, next: { failures, blockedUntil: wait ? new Date(t + wait).toISOString() : null, updatedAt: now.toISOString() } }
}
