// The body limit each route gets, decided before the body is read.
import { describe, expect, it } from 'vitest'
import { bodyLimitFor, formatBytes, uploadLimits } from './limits'

const MB = 1024 * 1024

describe('bodyLimitFor', () => {
  const limits = uploadLimits({})
  it('gives forms a form’s worth and only the file routes their file limit plus the form', () => {
    expect(bodyLimitFor('POST', '/login', limits)).toBe(MB)
    expect(bodyLimitFor('POST', '/settings', limits)).toBe(MB)
    expect(bodyLimitFor('POST', '/api/v1/tasks/abc/updates', limits)).toBe(MB)
    expect(bodyLimitFor('POST', '/reports/abc', limits)).toBe(MB)
    for (const [path, file] of [
      ['/reports/new', 20 * MB],
      ['/reports/import', 200 * MB],
      ['/tasks/abc', 20 * MB],
      ['/tasks/abc/', 20 * MB],
      ['/ledger', 7 * MB],
    ] as const) {
      const limit = bodyLimitFor('POST', path, limits)
      expect(limit, path).toBeGreaterThan(file)
      expect(limit, path).toBeLessThan(file + MB)
    }
    expect(bodyLimitFor('POST', '/api/v1/reports', limits)).toBeGreaterThan(40 * MB)
    expect(bodyLimitFor('POST', '/tasks/abc/extra', limits)).toBe(MB)
  })
  it('allows no body on GET, HEAD, OPTIONS and TRACE', () => {
    for (const m of ['GET', 'HEAD', 'OPTIONS', 'TRACE']) expect(bodyLimitFor(m, '/reports/new', limits), m).toBe(0)
  })
  it('follows the environment, ignoring values that are not positive numbers', () => {
    const l = uploadLimits({ MAX_UPLOAD_BYTES: String(2 * MB), EVIDENCE_MAX_BYTES: 'lots', MAX_FORM_BYTES: '0' })
    expect(l.reportBytes).toBe(2 * MB)
    expect(l.evidenceBytes).toBe(20 * MB)
    expect(l.formBytes).toBe(MB)
    expect(bodyLimitFor('POST', '/reports/new', l)).toBeLessThan(3 * MB)
  })
  it('formats sizes for messages', () => {
    expect(formatBytes(MB)).toBe('1 MB')
    expect(formatBytes(300 * 1024)).toBe('300 KB')
  })
})
