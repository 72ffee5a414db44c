/**
 * What every directory source adapter is: a pure mapping from the documents a source serves to
 * directory records with provenance. Fetching is the crawler's job (`crawler.ts`); an adapter
 * only says which documents to read next and what they mean.
 */
import type { SourceEntry } from '../../store/ports/directory.port'

/** One document as fetched (or as cached, after a 304). */
export interface SourceDocument {
  url: string
  contentType: string
  body: string
}

/** A further document an adapter wants read: e.g. each member file a directory index lists. */
export interface ChildRequest {
  url: string
  /** What the document is to the adapter, e.g. `profile`, `organization`, `page`. */
  role: string
  /** The adapter's key for it (a member key, a profile URL); used to keep its records when it fails. */
  key: string
}

/** A link a document gives that the adapter could not follow, and why (named in the run's report). */
export interface DroppedLink {
  /** The document that gives it. */
  document: string
  /** Where in the document (a property name, a field). */
  field: string
  value: string
  reason: string
}

/** What an adapter read in one document: its data, the documents it links to, and the links it dropped. */
export interface ParsedDocument {
  data: unknown
  children: ChildRequest[]
  dropped?: DroppedLink[]
}

/** A fetched and parsed document with the documents below it. */
export interface DocumentNode {
  role: string
  key: string
  url: string
  data: unknown
  children: Array<DocumentNode | FailedDocument>
}

/** A document below the root that could not be fetched or read. */
export interface FailedDocument {
  role: string
  key: string
  url: string
  error: string
}

/** A record an adapter could not use, and why (counted as rejected). */
export interface Rejection {
  key: string
  reason: string
}

/** What the records are stamped with. */
export interface MappingContext {
  /** The source's provenance name, e.g. `ioo.coop/directory`. */
  source: string
  /** The source's configured URL. */
  sourceUrl: string
}

/** Records built from a source, the ones rejected, and the records to keep as they are stored because their document failed. */
export interface MappingResult {
  entries: SourceEntry[]
  rejected: Rejection[]
  /** sourceIds whose current data could not be read: their stored records are kept, not marked gone. */
  unavailable: string[]
}

/** One source format. */
export interface SourceAdapter {
  format: string
  /** What the format is, for people listing formats. */
  description: string
  /** The provenance name a source of this format gets when the admin gives none. */
  defaultName: string
  /** The Accept header for a document of this role. */
  accept(role: string): string
  /** Media types a document of this role may come as; anything else is refused. */
  contentTypes(role: string): readonly string[]
  /** Reads one document; throws SourceFormatError when it is unusable as a whole. */
  parse(document: SourceDocument, role: string): ParsedDocument
  /** Maps the root and every document below it to records. Pure. */
  map(root: DocumentNode, context: MappingContext): MappingResult
  /**
   * True when the format is one document, never with documents below it: then an unchanged
   * download needs no parsing to be known unchanged (a 50 MB directory.json parses in half a second).
   */
  singleDocument?: boolean
}

/** True when a child node failed. */
export function isFailed (node: DocumentNode | FailedDocument): node is FailedDocument {
  return 'error' in node
}
