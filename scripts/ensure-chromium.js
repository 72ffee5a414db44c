#!/usr/bin/env node
// Runs before `npm test`: the directory's browser tests drive Debian's Chromium. When it is
// missing and we may install packages (root with apt), install it; otherwise say how, and stop.
'use strict'
const fs = require('fs')
const { execSync } = require('child_process')

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
if (fs.existsSync(CHROMIUM)) process.exit(0)

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
let hasApt = false
try { execSync('command -v apt-get', { stdio: 'ignore' }); hasApt = true } catch { /* no apt */ }

if (isRoot && hasApt) {
  console.log('Chromium is missing; installing Debian\'s chromium package for the browser tests…')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execSync('apt-get update -qq && apt-get install -y -qq chromium', { stdio: 'inherit', env, shell: '/bin/bash' })
  if (fs.existsSync(CHROMIUM)) process.exit(0)
}
console.error(`The browser tests need Chromium at ${CHROMIUM}.
Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to your Chromium binary, then run npm test again.`)
process.exit(1)
