/**
 * The directory reference: the hub's own search (the same FTS5 and facet queries, the same code)
 * run directly on the hub's database file through a read-only connection, in a process of its
 * own: no HTTP, no Express, no JSON response. BENCH_DB names the file, BENCH_TASK a JSON file
 * `{ queries, passes, runs }`; prints `RESULT {"latencies":[…ms]}` per run.
 */
import fs from 'fs'
import Database from 'better-sqlite3'
import { parseSearchRequest, toDirectoryQuery } from '../../src/directory/search-request'
import { SqliteDirectorySearch } from '../../src/store/sqlite/sqlite.directory.search'

interface Task { queries: string[], passes: number, runs: number }

const task = JSON.parse(fs.readFileSync(String(process.env.BENCH_TASK), 'utf8')) as Task
const db = new Database(String(process.env.BENCH_DB), { readonly: true, fileMustExist: true })
const searcher = new SqliteDirectorySearch(db)
const queries = task.queries.map(q => toDirectoryQuery(parseSearchRequest(Object.fromEntries(new URLSearchParams(q)))))
for (let run = 0; run < task.runs; run++) {
  const latencies: number[] = []
  for (let pass = 0; pass < task.passes; pass++) {
    for (const query of queries) {
      const started = process.hrtime.bigint()
      searcher.search(query)
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6)
    }
  }
  process.stdout.write(`RESULT ${JSON.stringify({ latencies })}\n`)
}
db.close()
