/** Where `migrate --to` copies a store: a store URL. */
import path from 'node:path'
import { ValidationError } from '../../errors/app-errors'

/** A store the hub can write to. */
export type StoreTarget = { kind: 'sqlite', file: string }

/**
 * Parses a store URL: `sqlite:<path>` (relative to `cwd`, or absolute; `sqlite://` also works).
 * A `mongodb://` URL is refused with the reason: this build has no MongoDB adapter.
 */
export function parseStoreUrl (url: string, cwd = process.cwd()): StoreTarget {
  const sqlite = /^sqlite:(?:\/\/)?(.+)$/i.exec(url.trim())
  if (sqlite) return { kind: 'sqlite', file: path.resolve(cwd, sqlite[1]) }
  if (/^mongodb(\+srv)?:\/\//i.test(url.trim())) {
    throw new ValidationError('The MongoDB adapter is not available in this build: the hub runs on SQLite only for now (see docs/scaling.md). Use sqlite:<path> to copy the store to another SQLite file.')
  }
  throw new ValidationError(`"${url}" is not a store URL this hub knows; use sqlite:<path>, e.g. sqlite:/var/lib/ioocloud-hub/hub.sqlite`)
}
