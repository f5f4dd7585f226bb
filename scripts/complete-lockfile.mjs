// Completes package-lock.json with the platform packages of optional native dependencies that
// the registry this project installs from does not serve (it answers 404 for most of
// @rollup/rollup-<platform>). npm leaves them out of the lock, and then `npm ci` refuses the lock
// as out of sync with rollup's optionalDependencies. Each added entry names its os / cpu / libc,
// so npm skips it on every machine it does not fit, exactly as it would with a full lock.
//
// Run after any `npm install` that rewrites package-lock.json: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs'

const lockPath = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(lockPath, 'utf8'))
const packages = lock.packages

const osNames = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32', 'netbsd', 'sunos', 'aix']
const cpuNames = { 'arm-eabi': 'arm', 'arm-gnueabihf': 'arm', 'arm-musleabihf': 'arm', arm64: 'arm64', x64: 'x64', ia32: 'ia32', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' }

function platformOf(name) {
  const suffix = name.split('/').pop().replace(/^[a-z-]*?-(?=(android|darwin|freebsd|linux|openbsd|openharmony|win32|netbsd|sunos|aix)-)/, '')
  const os = osNames.find((o) => suffix.startsWith(`${o}-`))
  if (!os) return undefined
  const rest = suffix.slice(os.length + 1)
  const cpuKey = Object.keys(cpuNames)
    .sort((a, b) => b.length - a.length)
    .find((k) => rest === k || rest.startsWith(`${k}-`))
  if (!cpuKey) return undefined
  const entry = { os: [os], cpu: [cpuNames[cpuKey]] }
  if (/-musl/.test(rest)) entry.libc = ['musl']
  else if (/-gnu/.test(rest) && os === 'linux') entry.libc = ['glibc']
  return entry
}

let added = 0
for (const [path, pkg] of Object.entries(packages)) {
  const optional = pkg.optionalDependencies ?? {}
  for (const [dep, version] of Object.entries(optional)) {
    const location = `${path ? `${path}/` : ''}node_modules/${dep}`
    const hoisted = `node_modules/${dep}`
    if (packages[location] || packages[hoisted]) continue
    const platform = platformOf(dep)
    if (!platform) continue
    packages[hoisted] = { version, dev: pkg.dev ?? undefined, optional: true, ...platform }
    added++
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))))
lock.packages = sorted
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n')
console.log(`complete-lockfile: added ${added} platform entries`)
