import { preloadedContext } from './preloaded-contexts'

/** What a jsonld.js document loader resolves to. */
export interface RemoteDocument {
  contextUrl: null
  documentUrl: string
  document: unknown
  /**
   * `static` tells jsonld.js the document never changes, so it keeps the processed context in
   * its shared cache instead of loading and processing it again for every document.
   */
  tag?: 'static'
}

/** A jsonld.js `documentLoader`: jsonld passes extra arguments, which this ignores. */
export type DocumentLoader = (url: string) => Promise<RemoteDocument>

export interface DocumentLoaderOptions {
  /** Called with each context URL that is not held in memory (the hub logs a warning). */
  onUnknown?: (url: string) => void
}

/** A jsonld.js document loader that answers from preloaded contexts and never touches the network. */
export function createDocumentLoader (options: DocumentLoaderOptions = {}): DocumentLoader {
  const { onUnknown } = options
  return async (url: string): Promise<RemoteDocument> => {
    const held = preloadedContext(url)
    if (held !== undefined) {
      // jsonld.js rewrites context arrays in place while resolving them; the held copy is frozen and shared.
      return { contextUrl: null, documentUrl: url, document: structuredClone(held), tag: 'static' }
    }
    // Deliberately no fetch: a peer must not make us dereference URLs of its choosing mid-request (SSRF,
    // stalls, a context server's outage becoming ours). An empty context leaves the terms it would have
    // defined undefined, so under the AS2 context's `"@vocab": "_:"` they expand to blank-node keys
    // ("_:term") rather than failing the whole document; AS2 and security terms still read normally.
    onUnknown?.(url)
    return { contextUrl: null, documentUrl: url, document: { '@context': {} } }
  }
}
