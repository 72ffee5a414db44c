// An unchanged single-document source is recognised without parsing it (a 50 MB directory.json
// parses in half a second) and without reading the cached body (its content hash stands for it);
// a changed one, a forced run, or a format with documents below its root is parsed as before.
import type { OutboundClient } from '../../src/federation/http/outbound-client'
import { hubDirectoryAdapter } from '../../src/sync/sources/adapters/hub-directory.adapter'
import { librehostersAdapter } from '../../src/sync/sources/adapters/librehosters.adapter'
import { contentHash } from '../../src/sync/sources/content-hash'
import { crawl, DocumentCache } from '../../src/sync/sources/crawler'
import type { CachedDocument } from '../../src/store/ports/sync-sources.port'

const URL_ = 'https://sibling.example/directory.json'
const LIMITS = { timeoutMs: 1000, maxBytes: 1_000_000, maxDocuments: 10, concurrency: 1 }
const feed = (name: string): string => JSON.stringify({ schema: 'ioocloud-directory/0.1', entries: [{ name, url: 'https://a.example', local: true }] })

/** A client that answers every GET with `body` (200, no validators). */
function serving (body: string): OutboundClient {
  return {
    getDocument: async (url: string) => ({ url, status: 200, contentType: 'application/json', etag: null, lastModified: null, body })
  } as unknown as OutboundClient
}

const documentOf = (body: string, etag: string | null = null): CachedDocument => ({ url: URL_, etag, lastModified: null, contentType: 'application/json', body })

/** The last import's document, as the importer gives it; counts the reads of its body. */
function cacheOf (body: string, etag: string | null = null): DocumentCache & { bodyReads: number } {
  const cached = documentOf(body, etag)
  const cache = {
    bodyReads: 0,
    validators: (url: string) => url === URL_ ? { url, etag, lastModified: null, contentType: cached.contentType } : undefined,
    document: async (url: string) => { cache.bodyReads++; return url === URL_ ? cached : undefined }
  }
  return cache
}

/** The content hash the last import recorded for a source of that one document. */
const recorded = (body: string): string => contentHash([documentOf(body)])

describe('crawl: unchanged single documents', () => {
  it('does not parse a single document that came back byte for byte, when asked not to', async () => {
    const body = feed('A')
    const cache = cacheOf(body)
    const result = await crawl(hubDirectoryAdapter, URL_, cache, serving(body), LIMITS, undefined, { unchangedRootHash: recorded(body) })
    expect(result.root.data).toBeNull()
    expect(result.documents.map(d => d.body)).toEqual([body])
    expect(result.fetched).toBe(1)
    expect(cache.bodyReads).toBe(0)
  })

  it('reads the cached body only for a 304, and reuses it', async () => {
    const body = feed('A')
    const cache = cacheOf(body, '"v1"')
    const notModified = {
      getDocument: async (url: string, options: { etag?: string | null }) => {
        expect(options.etag).toBe('"v1"')
        return { url, status: 304, contentType: null, etag: '"v1"', lastModified: null, body: '' }
      }
    } as unknown as OutboundClient
    const result = await crawl(hubDirectoryAdapter, URL_, cache, notModified, LIMITS, undefined, { unchangedRootHash: recorded(body) })
    expect(result.notModified).toBe(1)
    expect(result.documents.map(d => d.body)).toEqual([body])
    expect(cache.bodyReads).toBe(1)
  })

  it('parses it when it changed, when the run is forced, and when nothing was cached', async () => {
    const changed = await crawl(hubDirectoryAdapter, URL_, cacheOf(feed('A')), serving(feed('B')), LIMITS, undefined, { unchangedRootHash: recorded(feed('A')) })
    expect(changed.root.data).toEqual([{ name: 'B', url: 'https://a.example', local: true }])
    const forced = await crawl(hubDirectoryAdapter, URL_, cacheOf(feed('A')), serving(feed('A')), LIMITS)
    expect(forced.root.data).toEqual([{ name: 'A', url: 'https://a.example', local: true }])
    // Never imported: no hash recorded.
    const nothing: DocumentCache = { validators: () => undefined, document: async () => undefined }
    const fresh = await crawl(hubDirectoryAdapter, URL_, nothing, serving(feed('A')), LIMITS, undefined, { unchangedRootHash: null })
    expect(fresh.root.data).toEqual([{ name: 'A', url: 'https://a.example', local: true }])
  })

  it('always parses a format whose root lists other documents (they may have failed last time)', async () => {
    const body = JSON.stringify({})
    const result = await crawl(librehostersAdapter, URL_, cacheOf(body), serving(body), LIMITS, undefined, { unchangedRootHash: recorded(body) })
    expect(result.root.data).toEqual({})
  })
})
