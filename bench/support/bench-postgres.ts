import crypto from 'crypto'
import fs from 'fs'
import path from 'path'
import { Client } from 'pg'
import { findPostgresBinaries, startThrowawayCluster } from '../../test/postgres/throwaway-cluster'

/** A PostgreSQL server the benchmarks may create databases on, and how to let it go. */
export interface BenchPostgres {
  /** Where the server came from, for the report. */
  description: string
  /** Creates an empty database and answers the URL a hub connects with. */
  createDatabase: () => Promise<string>
  /** Drops the databases created, and stops the server if the benchmark started it. */
  stop: () => Promise<void>
}

/**
 * The server the PostgreSQL benchmark measures on: BENCH_DATABASE_URL, else HUB_TEST_DATABASE_URL
 * (a role that may create databases), else a throwaway cluster started from the PostgreSQL server
 * binaries as the tests do. Answers a reason instead when there is none, so the run goes on.
 */
export async function benchPostgres (env: NodeJS.ProcessEnv = process.env): Promise<BenchPostgres | { skipped: string }> {
  const given = env.BENCH_DATABASE_URL ?? env.HUB_TEST_DATABASE_URL
  if (given) return onServer(given, 'the server of BENCH_DATABASE_URL / HUB_TEST_DATABASE_URL', async () => undefined)
  let bin: string
  try {
    bin = findPostgresBinaries(env)
  } catch (err) {
    return { skipped: (err as Error).message }
  }
  if (!fs.existsSync(path.join(bin, 'initdb'))) return { skipped: `no initdb in ${bin} (HUB_TEST_POSTGRES_BIN)` }
  const cluster = await startThrowawayCluster()
  return onServer(cluster.adminUrl, 'a throwaway local cluster (fsync off, as in the tests)', async () => { cluster.stop() })
}

function onServer (adminUrl: string, description: string, release: () => Promise<void>): BenchPostgres {
  const created: string[] = []
  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: adminUrl })
    await client.connect()
    try {
      return await work(client)
    } finally {
      await client.end()
    }
  }
  return {
    description,
    createDatabase: async () => {
      const name = `hub_bench_${crypto.randomBytes(6).toString('hex')}`
      await admin(async c => await c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`))
      created.push(name)
      const url = new URL(adminUrl)
      url.pathname = `/${name}`
      return url.toString()
    },
    stop: async () => {
      try {
        await admin(async c => { for (const name of created) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) })
      } finally {
        await release()
      }
    }
  }
}
