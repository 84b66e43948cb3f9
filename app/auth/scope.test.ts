// The subtree rule, pure: who sees which unit, which task, and who may own one.
import { describe, expect, it } from 'vitest'
import {
  ancestorPaths,
  canOwnTasks,
  canSeeTask,
  coversAll,
  inScope,
  isUnder,
  ROLE_SCOPE,
  seesEverything,
  subtreeRoot,
  unitsUnder,
  type Actor,
} from './scope'

const sup: Actor = { id: 'u-sup', role: 'supervisor', unitId: 'b', unitPath: '/a/b/' }

describe('the subtree rule', () => {
  it('a unit is under a root when it is the root or below it, never a sibling whose id starts alike', () => {
    expect(isUnder('/a/b/', '/a/b/')).toBe(true)
    expect(isUnder('/a/b/c/', '/a/b/')).toBe(true)
    expect(isUnder('/a/', '/a/b/')).toBe(false)
    expect(isUnder('/a/bb/', '/a/b/')).toBe(false)
    expect(isUnder('/1/20/', '/1/2/')).toBe(false)
    // a root given without its closing "/" is read as the subtree, not as a prefix of names
    expect(subtreeRoot('/1/2')).toBe('/1/2/')
    expect(isUnder('/1/20/', '/1/2')).toBe(false)
    expect(isUnder('/1/2/3/', '/1/2')).toBe(true)
  })

  it('scope: admins everything, every other role its unit subtree', () => {
    expect(
      Object.entries(ROLE_SCOPE)
        .filter(([, s]) => s === 'everything')
        .map(([r]) => r),
    ).toEqual(['admin'])
    for (const role of ['supervisor', 'staff', 'oversight'] as const) {
      const actor = { role, unitPath: '/a/b/' }
      expect(seesEverything(actor)).toBe(false)
      expect(inScope(actor, '/a/b/c/')).toBe(true)
      expect(inScope(actor, '/a/')).toBe(false)
      expect(inScope(actor, '/x/')).toBe(false)
    }
    expect(inScope({ role: 'admin', unitPath: '/x/' }, '/a/b/')).toBe(true)
  })

  it('a task is seen in scope, or by its owner wherever it lies', () => {
    expect(canSeeTask(sup, { unitPath: '/a/b/c/', ownerId: null })).toBe(true)
    expect(canSeeTask(sup, { unitPath: '/a/', ownerId: null })).toBe(false)
    expect(canSeeTask(sup, { unitPath: '/a/', ownerId: 'u-sup' })).toBe(true)
    expect(canSeeTask(sup, { unitPath: '/x/', ownerId: 'someone' })).toBe(false)
  })

  it('only staff and supervisors own tasks', () => {
    expect(['admin', 'supervisor', 'staff', 'oversight'].filter(r => canOwnTasks(r as Actor['role']))).toEqual(['supervisor', 'staff'])
  })

  it('lists narrow to a subtree; the whole-tree check and the ancestors', () => {
    const units = [{ path: '/a/' }, { path: '/a/b/' }, { path: '/a/b/c/' }, { path: '/a/bb/' }]
    expect(unitsUnder(units, '/a/b/').map(u => u.path)).toEqual(['/a/b/', '/a/b/c/'])
    const people = [
      { name: '甲', unit_path: '/a/b/c/' },
      { name: '乙', unit_path: '/a/bb/' },
    ]
    expect(unitsUnder(people, '/a/b/', p => p.unit_path).map(p => p.name)).toEqual(['甲'])
    expect(
      coversAll(
        '/a/',
        units.map(u => u.path),
      ),
    ).toBe(true)
    expect(
      coversAll(
        '/a/b/',
        units.map(u => u.path),
      ),
    ).toBe(false)
    expect(ancestorPaths('/a/b/c/')).toEqual(['/a/', '/a/b/'])
    expect(ancestorPaths('/a/')).toEqual([])
  })
})
