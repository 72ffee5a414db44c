// An unchanged single-document source is recognised without parsing it (a 50 MB directory.json
// parses in half a second); a changed one, a forced run, or a format with documents below its
// root is parsed as before.
import type { OutboundClient } from '../../src/federation/http/outbound-client'
import { hubDirectoryAdapter } from '../../src/sync/sources/adapters/hub-directory.adapter'
import { librehostersAdapter } from '../../src/sync/sources/adapters/librehosters.adapter'
import { crawl } from '../../src/sync/sources/crawler'
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

function cacheOf (body: string): Map<string, CachedDocument> {
  return new Map([[URL_, { url: URL_, etag: null, lastModified: null, contentType: 'application/json', body }]])
}

describe('crawl: unchanged single documents', () => {
  it('does not parse a single document that came back byte for byte, when asked not to', async () => {
    const body = feed('A')
    const result = await crawl(hubDirectoryAdapter, URL_, cacheOf(body), serving(body), LIMITS, undefined, { skipUnchangedRoot: true })
    expect(result.root.data).toBeNull()
    expect(result.documents.map(d => d.body)).toEqual([body])
    expect(result.fetched).toBe(1)
  })

  it('parses it when it changed, when the run is forced, and when nothing was cached', async () => {
    const changed = await crawl(hubDirectoryAdapter, URL_, cacheOf(feed('A')), serving(feed('B')), LIMITS, undefined, { skipUnchangedRoot: true })
    expect(changed.root.data).toEqual([{ name: 'B', url: 'https://a.example', local: true }])
    const forced = await crawl(hubDirectoryAdapter, URL_, cacheOf(feed('A')), serving(feed('A')), LIMITS)
    expect(forced.root.data).toEqual([{ name: 'A', url: 'https://a.example', local: true }])
    const fresh = await crawl(hubDirectoryAdapter, URL_, new Map(), serving(feed('A')), LIMITS, undefined, { skipUnchangedRoot: true })
    expect(fresh.root.data).toEqual([{ name: 'A', url: 'https://a.example', local: true }])
  })

  it('always parses a format whose root lists other documents (they may have failed last time)', async () => {
    const body = JSON.stringify({})
    const result = await crawl(librehostersAdapter, URL_, cacheOf(body), serving(body), LIMITS, undefined, { skipUnchangedRoot: true })
    expect(result.root.data).toEqual({})
  })
})
