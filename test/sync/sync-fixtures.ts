import fs from 'fs'
import os from 'os'
import path from 'path'
import { OutboundClient } from '../../src/federation/http/outbound-client'
import { createLogger } from '../../src/log/logger'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import type { SourceRecord } from '../../src/store/ports/sync-sources.port'
import { SourceImporter } from '../../src/sync/sources/source-importer'
import { DirectoryServer, Route } from '../helpers/directory-server'

/** A store in a temp dir, an importer with small limits, and a loopback source server. */
export interface ImportBench {
  store: SqliteStore
  dir: string
  server: DirectoryServer
  importer: SourceImporter
  client: OutboundClient
  /** The clock the store and importer read; tests move it. */
  clock: { now: number }
  addSource: (id: string, format: string, rootPath: string, name?: string) => Promise<SourceRecord>
  source: (id: string) => Promise<SourceRecord>
  close: () => Promise<void>
}

/** Limits small enough to test: 1 MiB documents, 1 s time-out. */
export const TEST_LIMITS = { timeoutMs: 1000, maxBytes: 1024 * 1024, maxDocuments: 50, concurrency: 2 }
export const GRACE_MS = 7 * 24 * 3600 * 1000

/** Builds an import bench with `routes` served. */
export async function importBench (routes: Record<string, Route> = {}): Promise<ImportBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-sync-'))
  const clock = { now: Date.parse('2025-01-01T00:00:00Z') }
  const store = new SqliteStore(path.join(dir, 'hub.sqlite'), { now: () => clock.now })
  // A fresh install lists the Internet of Ownership source; these tests add their own.
  await store.syncSources.remove('ioo')
  const server = await new DirectoryServer().start()
  for (const [p, r] of Object.entries(routes)) server.route(p, r)
  const client = new OutboundClient({ allowPrivateAddresses: true, userAgent: 'ioocloud-hub-test' })
  const importer = new SourceImporter(store.directory, store.syncSources, client, TEST_LIMITS, GRACE_MS, createLogger('silent'), () => clock.now)
  return {
    store, dir, server, importer, client, clock,
    addSource: async (id, format, rootPath, name) => {
      const added = await store.syncSources.add({ id, format, url: server.url(rootPath), name: name ?? `test/${id}` })
      if (!added) throw new Error(`could not add ${id}`)
      return added
    },
    source: async id => {
      const s = await store.syncSources.get(id)
      if (!s) throw new Error(`no source ${id}`)
      return s
    },
    close: async () => {
      await server.stop()
      await client.close()
      store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
