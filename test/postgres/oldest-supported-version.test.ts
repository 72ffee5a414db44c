/**
 * The migrations need PostgreSQL 13: the test set-up refuses older server binaries with a message
 * saying what to do, rather than failing later on a statement. A stand-in `initdb` reports the version.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { requireSupportedPostgres } from './throwaway-cluster'

const script = path.join(__dirname, '..', '..', 'scripts', 'ensure-postgresql.js')

/** A folder whose `initdb --version` prints `reported`. */
function binariesReporting (reported: string): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-test-initdb-'))
  fs.writeFileSync(path.join(bin, 'initdb'), `#!/bin/sh\necho '${reported}'\n`, { mode: 0o755 })
  return bin
}

/** Runs scripts/ensure-postgresql.js with HUB_TEST_POSTGRES_BIN set; answers its exit code and stderr. */
function ensure (bin: string): { status: number, stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, HUB_TEST_POSTGRES_BIN: bin }
  delete env.HUB_TEST_DATABASE_URL
  try {
    execFileSync(process.execPath, [script], { env, stdio: 'pipe' })
    return { status: 0, stderr: '' }
  } catch (err) {
    const failed = err as { status: number, stderr: Buffer }
    return { status: failed.status, stderr: failed.stderr.toString() }
  }
}

describe('the oldest PostgreSQL the tests accept', () => {
  const folders: string[] = []
  const bin = (reported: string): string => { const b = binariesReporting(reported); folders.push(b); return b }
  afterAll(() => { for (const f of folders) fs.rmSync(f, { recursive: true, force: true }) })

  it('refuses PostgreSQL 12 binaries before starting a cluster, naming the version and what to do', () => {
    const old = bin('initdb (PostgreSQL) 12.19 (Debian 12.19-1.pgdg120+1)')
    expect(() => requireSupportedPostgres(old)).toThrow(/needs PostgreSQL 13 or later; .*initdb reports "initdb \(PostgreSQL\) 12\.19.*HUB_TEST_POSTGRES_BIN/)
    const run = ensure(old)
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/need PostgreSQL 13 or later; .*initdb is PostgreSQL 12\./)
    expect(run.stderr).toMatch(/HUB_TEST_DATABASE_URL/)
  })

  it('refuses binaries whose version cannot be read', () => {
    const odd = bin('initdb, some build')
    expect(() => requireSupportedPostgres(odd)).toThrow(/needs PostgreSQL 13 or later/)
    expect(ensure(odd)).toMatchObject({ status: 1, stderr: expect.stringMatching(/could not be read/) })
  })

  it('accepts PostgreSQL 13 and later', () => {
    for (const reported of ['initdb (PostgreSQL) 13.16', 'initdb (PostgreSQL) 17.2 (Debian 17.2-1)']) {
      const ok = bin(reported)
      expect(() => requireSupportedPostgres(ok)).not.toThrow()
      expect(ensure(ok)).toEqual({ status: 0, stderr: '' })
    }
  })
})
