/**
 * A fresh PostgreSQL database for one test file, on the server the jest global set-up chose
 * (test/postgres/): created from template0, owned by a role that is not a superuser, dropped
 * afterwards.
 */
import crypto from 'node:crypto'
import { Client } from 'pg'
import { testServer } from '../postgres/test-server'

/** A test database: the URL the hub connects with, and how to drop it. */
export interface TestDatabase {
  url: string
  drop: () => Promise<void>
}

/** Creates an empty database owned by the test owner role. */
export async function createTestDatabase (): Promise<TestDatabase> {
  const server = testServer()
  const name = `hub_test_${crypto.randomBytes(6).toString('hex')}`
  const admin = new Client({ connectionString: server.adminUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'${server.owner ? ` OWNER ${server.owner.user}` : ''}`)
  } finally {
    await admin.end()
  }
  const url = new URL(server.adminUrl)
  url.pathname = `/${name}`
  if (server.owner) {
    url.username = server.owner.user
    url.password = encodeURIComponent(server.owner.password)
  }
  return {
    url: url.toString(),
    drop: async () => {
      const again = new Client({ connectionString: server.adminUrl })
      await again.connect()
      try {
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await again.end()
      }
    }
  }
}
