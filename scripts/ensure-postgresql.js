#!/usr/bin/env node
// Runs before `npm test`: the PostgreSQL store's tests start a throwaway cluster from Debian's
// PostgreSQL binaries unless HUB_TEST_DATABASE_URL names a server. When the binaries are missing
// and we may install packages (root with apt), install them; otherwise say how, and stop.
'use strict'
const fs = require('fs')
const path = require('path')
const { execSync } = require('child_process')

if (process.env.HUB_TEST_DATABASE_URL) process.exit(0)

/** The folder of the newest Debian PostgreSQL binaries (`initdb`, `pg_ctl`), or null. */
function findBinaries () {
  if (process.env.HUB_TEST_POSTGRES_BIN) return fs.existsSync(path.join(process.env.HUB_TEST_POSTGRES_BIN, 'initdb')) ? process.env.HUB_TEST_POSTGRES_BIN : null
  const root = '/usr/lib/postgresql'
  if (!fs.existsSync(root)) return null
  const versions = fs.readdirSync(root).filter(v => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
  for (const v of versions) if (fs.existsSync(path.join(root, v, 'bin', 'initdb'))) return path.join(root, v, 'bin')
  return null
}

/** The major version the `initdb` in `bin` reports ("initdb (PostgreSQL) 15.4" → 15), or null when it cannot say. */
function majorVersion (bin) {
  try {
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(execSync(`"${path.join(bin, 'initdb')}" --version`, { encoding: 'utf8' }))
    return match ? Number(match[1]) : null
  } catch {
    return null
  }
}

/** Exits: 0 when the binaries in `bin` are PostgreSQL 13 or later, else 1 with what to do. */
function useBinaries (bin) {
  const major = majorVersion(bin)
  if (major !== null && major >= 13) process.exit(0)
  // The migrations need 13: the unaccent extension is trusted (a database owner may create it) from 13 on.
  console.error(`The PostgreSQL store tests need PostgreSQL 13 or later; ${path.join(bin, 'initdb')} is ${major === null ? 'a version that could not be read' : `PostgreSQL ${major}`}.
Install a newer PostgreSQL (Debian/Ubuntu: sudo apt-get install postgresql) or set HUB_TEST_POSTGRES_BIN to the folder of a newer initdb,
or set HUB_TEST_DATABASE_URL to a PostgreSQL 13+ server whose role may create databases; then run npm test again.`)
  process.exit(1)
}

const found = findBinaries()
if (found) useBinaries(found)

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
let hasApt = false
try { execSync('command -v apt-get', { stdio: 'ignore' }); hasApt = true } catch { /* no apt */ }

if (isRoot && hasApt) {
  console.log('PostgreSQL is missing; installing Debian\'s postgresql package for the PostgreSQL store tests…')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execSync('apt-get update -qq && apt-get install -y -qq postgresql', { stdio: 'inherit', env, shell: '/bin/bash' })
  const installed = findBinaries()
  if (installed) useBinaries(installed)
}
console.error(`The PostgreSQL store tests need PostgreSQL's server binaries (initdb, pg_ctl, version 13 or later).
Install them (Debian/Ubuntu: sudo apt-get install postgresql) or set HUB_TEST_POSTGRES_BIN to the folder holding initdb,
or set HUB_TEST_DATABASE_URL to a PostgreSQL server whose role may create databases; then run npm test again.`)
process.exit(1)
