/**
 * Times a directory import of `count` records (default 100,000) on SQLite and on PostgreSQL:
 * the first import, the same records again, and with a tenth of them changed.
 * `node dist-bench/bench/profile/import-directory.js [count]`; PostgreSQL as the postgres
 * benchmark finds it (BENCH_DATABASE_URL, HUB_TEST_DATABASE_URL or a throwaway cluster).
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import { openConfiguredStore } from '../../src/store/open-store'
import { benchPostgres } from '../support/bench-postgres'
import { timeDirectoryImport } from '../support/directory-import'

async function main (): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-import-'))
  const postgres = await benchPostgres()
  try {
    const sqlite = await openConfiguredStore({ dataDir: dir, databaseUrl: null })
    try {
      process.stdout.write(`SQLite, ${count} records: ${format(await timeDirectoryImport(sqlite, count))}\n`)
    } finally {
      await sqlite.close()
    }
    if ('skipped' in postgres) {
      process.stdout.write(`PostgreSQL: skipped, ${postgres.skipped}\n`)
      return
    }
    const store = await openConfiguredStore({ dataDir: dir, databaseUrl: await postgres.createDatabase() })
    try {
      process.stdout.write(`PostgreSQL, ${count} records: ${format(await timeDirectoryImport(store, count))}\n`)
    } finally {
      await store.close()
    }
  } finally {
    if (!('skipped' in postgres)) await postgres.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function format (t: Record<string, number>): string {
  return Object.entries(t).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')
}

main().catch(err => {
  process.stderr.write(`${(err as Error).stack}\n`)
  process.exit(1)
})
