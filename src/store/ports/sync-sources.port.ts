/**
 * Storage of the directory sources the admin configured (the Internet of Ownership sheet, other
 * directories, sibling hubs' feeds) and what the importer remembers about each between runs:
 * validators for conditional requests, the last good content, failures and back-off.
 */
import type { JobCounts } from './jobs.port'

/** A configured source and its import state. */
export interface SourceRecord {
  /** Short slug the admin names it by, e.g. `ioo`. */
  id: string
  /** Which adapter reads it (see `src/sync/sources/`). */
  format: string
  url: string
  /** The provenance name its directory records carry, e.g. `ioo.coop/directory`; unique. */
  name: string
  enabled: boolean
  createdAt: string
  /** Validators of the last good fetch, sent back as If-None-Match / If-Modified-Since. */
  etag: string | null
  lastModified: string | null
  /** SHA-256 of the last good document(s): the same content again writes nothing. */
  contentHash: string | null
  lastAttemptAt: string | null
  lastSuccessAt: string | null
  /** Consecutive failures since the last success. */
  failures: number
  /** Back-off: the importer skips the source until then. */
  nextAttemptAt: string | null
  lastError: string | null
  lastCounts: JobCounts | null
}

/** What the admin gives to add a source. */
export interface NewSource {
  id: string
  format: string
  url: string
  name: string
  enabled?: boolean
}

/** What is kept of a document of a source besides its body: enough to ask whether it changed. */
export interface DocumentValidators {
  url: string
  etag: string | null
  lastModified: string | null
  contentType: string
}

/** A document of a source as last read successfully, with its validators. */
export interface CachedDocument extends DocumentValidators {
  body: string
}

/** A good import (or one that found nothing new). */
export interface SourceSuccess {
  /** Validators of the root document, shown to people. */
  etag: string | null
  lastModified: string | null
  contentHash: string | null
  counts: JobCounts
  /** Replaces the cached documents when given (a changed source); kept as they are when omitted. */
  documents?: CachedDocument[]
}

/** Configured directory sources and their import state. */
export interface SourceRepository {
  /** Adds a source; answers null when its id or name is taken. */
  add(source: NewSource): Promise<SourceRecord | null>
  get(id: string): Promise<SourceRecord | null>
  /** Every source, by id. */
  list(): Promise<SourceRecord[]>
  /** Answers the updated source, or null when there is none. */
  setEnabled(id: string, enabled: boolean): Promise<SourceRecord | null>
  /** False when there was no such source. */
  remove(id: string): Promise<boolean>
  /** The documents of the last good import, to send their validators and reuse their bodies after a 304. */
  documents(id: string): Promise<CachedDocument[]>
  /** The same documents without their bodies (a directory's can be 50 MB), in the same order. */
  documentValidators(id: string): Promise<DocumentValidators[]>
  /** Clears failures and back-off and keeps the validators of what was imported. */
  recordSuccess(id: string, success: SourceSuccess): Promise<void>
  /** Counts a failure, keeps the error and when to try again; validators and content are kept. */
  recordFailure(id: string, failure: { error: string, nextAttemptAt: string }): Promise<void>
}
