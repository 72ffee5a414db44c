/**
 * Reads a source: the root document, then every document the adapter asks for, with conditional
 * requests (each document's last ETag / Last-Modified) and the cached body reused after a 304
 * (read from the store only then: a directory's body can be 50 MB).
 * A root that fails throws; a document below it that fails is recorded in the tree instead.
 */
import type { OutboundClient } from '../../federation/http/outbound-client'
import type { CachedDocument, DocumentValidators } from '../../store/ports/sync-sources.port'
import { contentHash } from './content-hash'
import { SourceFormatError } from './source-error'
import type { ChildRequest, DocumentNode, DroppedLink, FailedDocument, SourceAdapter } from './source-adapter'

/** What a crawl knows of the documents of the last good import. */
export interface DocumentCache {
  /** The validators of the document last read at `url`, to ask whether it changed. */
  validators: (url: string) => DocumentValidators | undefined
  /** The document last read at `url` with its body, for a 304 Not Modified. */
  document: (url: string) => Promise<CachedDocument | undefined>
}

/** Limits of one crawl. */
export interface CrawlLimits {
  timeoutMs: number
  maxBytes: number
  /** Documents read at most (root included); the rest count as failed. */
  maxDocuments: number
  /** Documents fetched at once. */
  concurrency: number
}

/** The tree read, every document in reading order (for the cache), their content hash, and what the fetches were. */
export interface CrawlResult {
  root: DocumentNode
  documents: CachedDocument[]
  /** `contentHash` of `documents`: what the import records and compares with the last one's. */
  contentHash: string
  fetched: number
  notModified: number
  /** Links the adapter could not follow, in every document read. */
  dropped: DroppedLink[]
}

/**
 * Reads one source; `onDocument` is told after each document (for progress bars). Given
 * `unchangedRootHash` (the content hash the last good import recorded), a single-document format
 * whose root has that very content (`contentHash`) is not parsed: its root node carries no data,
 * which only a caller that stops at "unchanged" may use. The hash stands for the bytes, so the
 * cached body need not be read to compare.
 */
export async function crawl (
  adapter: SourceAdapter,
  rootUrl: string,
  cache: DocumentCache,
  client: OutboundClient,
  limits: CrawlLimits,
  onDocument: (done: number, known: number) => void = () => {},
  options: { unchangedRootHash?: string | null } = {}
): Promise<CrawlResult> {
  const documents: CachedDocument[] = []
  const dropped: DroppedLink[] = []
  const stats = { fetched: 0, notModified: 0, known: 1 }
  // A single document's hash, taken for the comparison, is the tree's: a 50 MB root is hashed once.
  let rootHash: string | undefined

  const read = async (request: ChildRequest, skipUnchanged = false): Promise<{ node: DocumentNode, requests: ChildRequest[] }> => {
    const document = await fetchDocument(adapter, request, cache, client, limits, stats)
    if (skipUnchanged) {
      rootHash = contentHash([document])
      if (rootHash === options.unchangedRootHash) {
        // The very bytes read last time: nothing below it and nothing to map (the caller sees an unchanged source).
        documents.push(document)
        onDocument(documents.length, stats.known)
        return { node: { role: request.role, key: request.key, url: request.url, data: null, children: [] }, requests: [] }
      }
    }
    const parsed = adapter.parse(document, request.role)
    if (parsed.dropped) dropped.push(...parsed.dropped)
    documents.push(document)
    onDocument(documents.length, stats.known)
    return { node: { role: request.role, key: request.key, url: request.url, data: parsed.data, children: [] }, requests: parsed.children }
  }

  /** Reads the documents below `node`, a few at a time, depth first. */
  const expand = async (node: DocumentNode, requests: ChildRequest[]): Promise<void> => {
    stats.known += requests.length
    const children: Array<DocumentNode | FailedDocument> = new Array(requests.length)
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const i = next++
        const request = requests[i]
        if (stats.fetched + stats.notModified >= limits.maxDocuments) {
          children[i] = { ...request, error: `not read: the source lists more than ${limits.maxDocuments} documents` }
          continue
        }
        try {
          const child = await read(request)
          await expand(child.node, child.requests)
          children[i] = child.node
        } catch (err) {
          children[i] = { ...request, error: (err as Error).message }
          onDocument(documents.length, stats.known)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(limits.concurrency, requests.length) }, worker))
    node.children = children
  }

  const root = await read({ url: rootUrl, role: 'root', key: rootUrl }, typeof options.unchangedRootHash === 'string' && adapter.singleDocument === true)
  await expand(root.node, root.requests)
  const hash = rootHash !== undefined && documents.length === 1 ? rootHash : contentHash(documents)
  return { root: root.node, documents, contentHash: hash, fetched: stats.fetched, notModified: stats.notModified, dropped }
}

async function fetchDocument (
  adapter: SourceAdapter,
  request: ChildRequest,
  cache: DocumentCache,
  client: OutboundClient,
  limits: CrawlLimits,
  stats: { fetched: number, notModified: number }
): Promise<CachedDocument> {
  const options = { accept: adapter.accept(request.role), timeoutMs: limits.timeoutMs, maxBytes: limits.maxBytes }
  const known = cache.validators(request.url)
  let res = await client.getDocument(request.url, { ...options, etag: known?.etag, lastModified: known?.lastModified })
  if (res.status === 304) {
    const cached = known === undefined ? undefined : await cache.document(request.url)
    if (cached) {
      stats.notModified++
      return cached
    }
    // A 304 without a cached copy (the cache was cleared): ask again, unconditionally.
    res = await client.getDocument(request.url, options)
    if (res.status === 304) throw new SourceFormatError(`${request.url} answered 304 Not Modified to an unconditional request`)
  }
  stats.fetched++
  const allowed = adapter.contentTypes(request.role)
  if (res.contentType && !allowed.includes(res.contentType)) {
    throw new SourceFormatError(`${res.url} is ${res.contentType}, not ${allowed.join(' or ')}`)
  }
  return { url: request.url, etag: res.etag, lastModified: res.lastModified, contentType: res.contentType, body: res.body }
}
