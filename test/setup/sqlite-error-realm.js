// Runs before every test file. better-sqlite3's native addon is loaded once per jest worker and
// keeps the SqliteError class of the first test file that opened a database; jest gives every
// file its own globals, so in the files that follow, SQLite's errors are not `instanceof Error`
// and `expect(…).rejects.toThrow()` takes a rejected UNIQUE violation for no error at all.
// Each file installs its own SqliteError on the shared addon.
'use strict'
const path = require('path')
const bindings = require('bindings')
const SqliteError = require('better-sqlite3/lib/sqlite-error')

const addon = bindings({ bindings: 'better_sqlite3.node', module_root: path.dirname(require.resolve('better-sqlite3/package.json')) })
addon.setErrorConstructor(SqliteError)
addon.isInitialized = true
