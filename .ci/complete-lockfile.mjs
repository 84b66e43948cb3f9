#!/usr/bin/env node
// Adds lockfile entries for platform-specific optional packages that npm left out.
//
// Why: the registry mirror this project is built on does not serve every foreign-platform build
// (e.g. @rollup/rollup-darwin-arm64 at the exact version rollup wants), so `npm install` cannot
// record them, and `npm ci` then refuses the lockfile ("Missing: … from lock file"). Each added
// entry carries the os/cpu/libc its name declares, so npm skips it on other platforms and fetches
// it normally on its own. Run after changing dependencies: node .ci/complete-lockfile.mjs
import fs from 'node:fs'

const file = 'package-lock.json'
const lock = JSON.parse(fs.readFileSync(file, 'utf8'))
const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openbsd', 'netbsd', 'openharmony', 'sunos', 'aix']
const CPU = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' }

function platformOf(name) {
  const parts = name.split('/').pop().split('-')
  const os = parts.find(p => OS.includes(p))
  const cpu = parts.map(p => CPU[p]).find(Boolean)
  if (!os || !cpu) return null
  const libc = parts.some(p => p.startsWith('musl')) ? 'musl' : os === 'linux' && parts.some(p => p.startsWith('gnu')) ? 'glibc' : null
  return { os: [os], cpu: [cpu], ...(libc ? { libc: [libc] } : {}) }
}

let added = 0
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const [dep, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const depKey = `node_modules/${dep}`
    if (lock.packages[depKey] || lock.packages[`${key}/${depKey}`]) continue
    const platform = platformOf(dep)
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) continue
    lock.packages[depKey] = { version: spec, ...(pkg.dev ? { dev: true } : {}), optional: true, ...platform }
    added++
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))))
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n')
console.log(`added ${added} platform-specific optional entr${added === 1 ? 'y' : 'ies'}`)
