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
    processContext(activeCtx: jsonld.ActiveContext | null, localCtx: unknown, options?: Options): Promise<jsonld.ActiveContext>
    expand(input: unknown, options?: Options): Promise<Array<Record<string, unknown>>>
    compact(input: unknown, context: unknown, options?: CompactOptions): Promise<Record<string, unknown>>
    documentLoaders: {
      node(options?: { headers?: Record<string, string> }): DocumentLoader
    }
  }

  // Exported through the namespace merged with the `export =` value below.
  namespace jsonld {
    /** One term of a processed context (jsonld.js's internal shape, read by the fast compaction). */
    export interface TermDefinition {
      '@id': string
      reverse: boolean
      '@type'?: string
      '@container'?: string[]
      '@language'?: string | null
      '@direction'?: string | null
      '@context'?: unknown
      '@nest'?: string
      '@index'?: string
      _prefix?: boolean
    }

    /** A processed (active) context. */
    export interface ActiveContext {
      mappings: Map<string, TermDefinition>
      '@vocab'?: string
      '@base'?: string | null
      '@language'?: string
      '@direction'?: string
    }
  }

  const jsonld: JsonLd
  export = jsonld
}
