// Minimal typings for the parts of jsonld.js 8 (installed with activitypub-express) the hub uses.
// jsonld ships no types; documents stay `unknown` because peers send arbitrary JSON.
declare module 'jsonld' {
  interface RemoteDocument {
    contextUrl: string | null
    documentUrl: string
    document: unknown
  }

  type DocumentLoader = (url: string, options?: unknown) => Promise<RemoteDocument>

  interface Options {
    base?: string | null
    documentLoader?: DocumentLoader
    expandContext?: unknown
    safe?: boolean
  }

  interface CompactOptions extends Options {
    compactArrays?: boolean
    compactToRelative?: boolean
    graph?: boolean
  }

  interface JsonLd {
    expand(input: unknown, options?: Options): Promise<Array<Record<string, unknown>>>
    compact(input: unknown, context: unknown, options?: CompactOptions): Promise<Record<string, unknown>>
    documentLoaders: {
      node(options?: { headers?: Record<string, string> }): DocumentLoader
    }
  }

  const jsonld: JsonLd
  export = jsonld
}
