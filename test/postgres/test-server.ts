/**
 * Which PostgreSQL server the tests use, handed from jest's global set-up to every test worker
 * through an environment variable: HUB_TEST_DATABASE_URL when set, else a throwaway cluster.
 */

/** The environment variable that carries the server to the test workers. */
export const TEST_SERVER_ENV = 'HUB_TEST_POSTGRES_SERVER'

/**
 * How tests reach the server: `adminUrl` may create databases; `owner` (null: the admin URL's
 * own role) is the non-superuser role that owns each test database and that the hub connects as.
 */
export interface TestServer {
  adminUrl: string
  owner: { user: string, password: string } | null
}

/** The server the global set-up chose, or an explanation of why there is none. */
export function testServer (env: NodeJS.ProcessEnv = process.env): TestServer {
  const raw = env[TEST_SERVER_ENV]
  if (raw) return JSON.parse(raw) as TestServer
  if (env.HUB_TEST_DATABASE_URL) return { adminUrl: env.HUB_TEST_DATABASE_URL, owner: null }
  throw new Error('No PostgreSQL server for the tests: run them with jest (its global set-up starts one) or set HUB_TEST_DATABASE_URL')
}
