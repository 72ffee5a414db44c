import crypto from 'node:crypto'
import type { CachedDocument } from '../../store/ports/sync-sources.port'

/**
 * One hash over every document of a source's tree, in URL order (documents arrive in any order):
 * what a source's import records, and what says that the next one found the same content.
 */
export function contentHash (documents: readonly CachedDocument[]): string {
  const hash = crypto.createHash('sha256')
  for (const d of [...documents].sort((a, b) => a.url.localeCompare(b.url))) hash.update(d.url).update('\0').update(d.body).update('\0')
  return hash.digest('hex')
}
