// The layers import downward only: workers/ may use app/ and db/, app/ may use db/, never the other
// way (the web process must not load worker code; the schema and migrations must not load the app).
// A plain scan of import specifiers until the lint rule (import/no-restricted-paths) enforces it too.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(__dirname, '../..')

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p)
    return /\.(?:[cm]?[jt]sx?)$/.test(e.name) ? [p] : []
  })
}

// `from '…'` (import and export), bare `import '…'`, `import('…')` and `require('…')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g

/** The repository-relative path an import points at, or null for a package. */
function importTarget(file: string, specifier: string): string | null {
  if (specifier.startsWith('~/')) return path.relative(ROOT, path.join(ROOT, 'app', specifier.slice(2)))
  if (!specifier.startsWith('.')) return null
  return path.relative(ROOT, path.resolve(path.dirname(file), specifier))
}

/** Every import of a file under `from` that points into `forbidden`, as "file → specifier". */
function upwardImports(from: string, forbidden: string): string[] {
  const found: string[] = []
  for (const file of sourceFiles(path.join(ROOT, from))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const target = importTarget(file, m[2])
      if (target && (target === forbidden || target.startsWith(`${forbidden}/`))) found.push(`${path.relative(ROOT, file)} → ${m[2]}`)
    }
  }
  return found
}

describe('layers', () => {
  it('the scan sees the imports it looks for', () => {
    const file = path.join(ROOT, 'app/reports/x.ts')
    expect(importTarget(file, '../../workers/main')).toBe('workers/main')
    expect(importTarget(file, '~/jobs/client.server')).toBe('app/jobs/client.server')
    expect(importTarget(file, 'bullmq')).toBeNull()
    const text = `import a from '../../workers/a'\nexport { b } from "../../workers/b"\nimport '../../workers/c'\nconst d = await import('../../workers/d')`
    expect([...text.matchAll(SPECIFIER)].map(m => m[2])).toEqual([
      '../../workers/a',
      '../../workers/b',
      '../../workers/c',
      '../../workers/d',
    ])
  })

  it('no file of app/ imports workers/', () => {
    expect(upwardImports('app', 'workers')).toEqual([])
  })

  it('no file of db/ imports app/', () => {
    expect(upwardImports('db', 'app')).toEqual([])
  })
})
