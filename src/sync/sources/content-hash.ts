import crypto from 'node:crypto'
import type { CachedDocument } from '../../store/ports/sync-sources.port'

/** Hashes of one-document trees already computed, by document: an unchanged root is hashed once per run. */
const singleDocumentHashes = new WeakMap<CachedDocument, string>()

/**
 * One hash over every document of a source's tree, in URL order (documents arrive in any order):
 * what a source's import records, and what says that the next one found the same content.
 */
export function contentHash (documents: readonly CachedDocument[]): string {
  if (documents.length === 1) {
    const kept = singleDocumentHashes.get(documents[0])
    if (kept !== undefined) return kept
  }
  const hash = crypto.createHash('sha256')
  for (const d of [...documents].sort((a, b) => a.url.localeCompare(b.url))) hash.update(d.url).update('\0').update(d.body).update('\0')
  const digest = hash.digest('hex')
  if (documents.length === 1) singleDocumentHashes.set(documents[0], digest)
  return digest
}
