#!/usr/bin/env node
// The `ioocloud-hub` command: builds the hub when needed, then runs the CLI.
'use strict'
const path = require('path')
const { execFileSync } = require('child_process')

const root = path.resolve(__dirname, '..')
// Whatever the build prints goes to stderr: stdout is the command's own (TOKEN=$(… --token-only)).
execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js'), '--if-needed'], { stdio: ['ignore', 2, 2] })
const { runCli } = require(path.join(root, 'dist', 'cli', 'main.js'))
runCli(process.argv.slice(2)).then(code => process.exit(code), err => {
  console.error('Unexpected error:', err)
  process.exit(1)
})
