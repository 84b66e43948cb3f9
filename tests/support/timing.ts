// Wall-clock limits hold on a quiet machine only. They are checked in the hardening run
// (`npm run test:hardening`, HARDENING_FULL=1), never in the default suite, where a loaded CI
// machine (both cores busy) would make them fail at random. Speed itself is measured by the
// benchmark scripts (npm run bench:…), not by tests.
import { expect } from 'vitest'

export const checkTiming = !!process.env.HARDENING_FULL

export function expectWithin(ms: number, limitMs: number, what?: string): void {
  if (checkTiming) expect(ms, what).toBeLessThan(limitMs)
}
