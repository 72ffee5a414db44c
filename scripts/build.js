#!/usr/bin/env node
// Compiles src/ to dist/. With --if-needed it does nothing when dist/ is newer than every source
// file, so `npm start` is quick after the first run.
'use strict'
const fs = require('fs')
const path = require('path')
const { execFileSync } = require('child_process')

const root = path.resolve(__dirname, '..')
const marker = path.join(root, 'dist', '.build-stamp')

function newestMtime (dir) {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    const m = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs
    if (m > newest) newest = m
  }
  return newest
}

const ifNeeded = process.argv.includes('--if-needed')
if (ifNeeded && fs.existsSync(marker)) {
  const built = fs.statSync(marker).mtimeMs
  const inputs = Math.max(newestMtime(path.join(root, 'src')), fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs)
  if (built >= inputs) process.exit(0)
}
const tsc = require.resolve('typescript/bin/tsc')
try {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root })
} catch {
  console.error('Build failed: the TypeScript compiler reported the errors above.')
  process.exit(1)
}
fs.writeFileSync(marker, new Date().toISOString() + '\n')
