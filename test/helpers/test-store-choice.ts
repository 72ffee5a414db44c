/**
 * Which store a test's hub runs on, so one test body can run on both: SQLite in the hub's
 * DATA_DIR, or a fresh PostgreSQL database (only in files whose names contain `postgres`, for
 * which the jest global set-up starts a server).
 */
import { createTestDatabase } from './postgres-test-database'

/** The store a test hub is given. */
export type TestStoreKind = 'sqlite' | 'postgresql'

/** The settings that put a hub on a store, and how to drop what was made for it. */
export interface TestStorePlace {
  env: Record<string, string>
  drop: () => Promise<void>
}

/** Makes a place for a hub on `kind`: nothing for SQLite, a new database (HUB_DATABASE_URL) for PostgreSQL. */
export async function prepareTestStore (kind: TestStoreKind): Promise<TestStorePlace> {
  if (kind === 'sqlite') return { env: {}, drop: async () => {} }
  const database = await createTestDatabase()
  return { env: { HUB_DATABASE_URL: database.url }, drop: database.drop }
}
