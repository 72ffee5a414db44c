/** Where `migrate --from` and `--to` point: store URLs. */
import path from 'node:path'
import { parseDatabaseUrl, redactDatabaseUrl } from '../../config/database-url'
import { ConfigError } from '../../errors/config-error'
import { ValidationError } from '../../errors/app-errors'

/** A store the hub can read from and write to: a SQLite file, or a PostgreSQL database. */
export type StoreTarget = { kind: 'sqlite', file: string } | { kind: 'postgres', url: string }

/**
 * Parses a store URL: `sqlite:<path>` (relative to `cwd`, or absolute; `sqlite://` also works),
 * or a `postgres://` / `postgresql://` URL checked as HUB_DATABASE_URL is. A `mongodb://` URL is
 * refused with the reason: this build has no MongoDB adapter. `option` names the flag in messages.
 */
export function parseStoreUrl (url: string, cwd = process.cwd(), option = '--to'): StoreTarget {
  const value = url.trim()
  const sqlite = /^sqlite:(?:\/\/)?(.+)$/i.exec(value)
  if (sqlite) return { kind: 'sqlite', file: path.resolve(cwd, sqlite[1]) }
  if (/^postgres(ql)?:\/\//i.test(value)) {
    try {
      return { kind: 'postgres', url: parseDatabaseUrl(value) ?? value }
    } catch (err) {
      // The same checks as HUB_DATABASE_URL, named after the option that was given.
      if (err instanceof ConfigError) throw new ValidationError(`${option} ${err.message.slice(err.variable.length + 1)}`)
      throw err
    }
  }
  if (/^mongodb(\+srv)?:\/\//i.test(value)) {
    throw new ValidationError('The MongoDB adapter is not available in this build: the hub runs on SQLite or PostgreSQL (see docs/scaling.md). Use sqlite:<path> or postgres://… instead.')
  }
  throw new ValidationError(`${option}: "${redactDatabaseUrl(value)}" is not a store URL this hub knows; use sqlite:<path> (e.g. sqlite:/var/lib/ioocloud-hub/hub.sqlite) or postgres://USER:PASSWORD@HOST:5432/DATABASE`)
}

/** The store as a person may see it: the file, or the URL with its password hidden. */
export function describeStore (store: StoreTarget): string {
  return store.kind === 'sqlite' ? store.file : redactDatabaseUrl(store.url)
}

/** True when both name the same store: one file, or one database on one server. */
export function sameStore (a: StoreTarget, b: StoreTarget): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite') return path.resolve(a.file) === path.resolve(b.file)
  if (a.kind === 'postgres' && b.kind === 'postgres') return databaseOf(a.url) === databaseOf(b.url)
  return false
}

/** Server and database of a PostgreSQL URL (user, password and options aside). */
function databaseOf (raw: string): string {
  const url = new URL(raw)
  const host = url.searchParams.get('host') ?? url.hostname
  const db = url.searchParams.get('db') ?? decodeURIComponent(url.pathname.replace(/^\//, ''))
  return `${host.toLowerCase()}:${url.port || '5432'}/${db}`
}
