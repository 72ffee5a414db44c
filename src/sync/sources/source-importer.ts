/**
 * Imports one configured source into the directory: crawl with conditional requests, skip when
 * nothing changed, map, then one `importBatch` transaction (missing records marked gone), then
 * delete records gone for longer than the grace period. A failure changes nothing in the
 * directory; it is recorded on the source with the time of the next attempt (back-off).
 */
import { canonicalWebsite } from '../../domain/directory/canonical-url'
import type { OutboundClient } from '../../federation/http/outbound-client'
import type { Logger } from '../../log/logger'
import type { DirectoryRepository, SourceEntry } from '../../store/ports/directory.port'
import type { JobCounts } from '../../store/ports/jobs.port'
import type { CachedDocument, DocumentValidators, SourceRecord, SourceRepository } from '../../store/ports/sync-sources.port'
import { zeroCounts } from '../scheduler/job-counts'
import { nextAttemptAt } from './backoff'
import { crawl, CrawlLimits, DocumentCache } from './crawler'
import type { DocumentNode, DroppedLink, FailedDocument, Rejection } from './source-adapter'
import { SourceFormatError } from './source-error'
import { SOURCE_ADAPTERS } from './source-formats'

/** What importing one source did. */
export interface SourceImportResult {
  source: string
  /** imported: records written; unchanged: same content as last time, nothing written; skipped: backing off or disabled. */
  outcome: 'imported' | 'unchanged' | 'failed' | 'skipped'
  counts: JobCounts
  /** Records deleted because they had been gone longer than the grace period. */
  purged: number
  error: string | null
  /** The first rejections, for people. */
  rejections: Rejection[]
  fetched: number
  notModified: number
  /** How many links the source's documents gave that could not be followed (their documents were not read). */
  droppedLinks: number
  /** The first of them, each with its document, field, value and why. */
  dropped: DroppedLink[]
}

/** Options of one import. */
export interface ImportOptions {
  /** A person asked for it: try even while backing off. */
  ignoreBackoff?: boolean
  /** Map and write even when the content is what was imported last time. */
  force?: boolean
  onDocument?: (done: number, known: number) => void
}

/** A run may mark at most this share of a source's records gone (from this many records up) without `force`. */
const MASS_GONE_SHARE = 0.5
const MASS_GONE_MIN = 10

/** Imports directory sources. */
export class SourceImporter {
  constructor (
    private readonly directory: DirectoryRepository,
    private readonly sources: SourceRepository,
    private readonly client: OutboundClient,
    private readonly limits: CrawlLimits,
    private readonly graceMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now
  ) {}

  /** Imports one source; never throws for a source's own failure (it is recorded instead). */
  async importSource (source: SourceRecord, options: ImportOptions = {}): Promise<SourceImportResult> {
    const result: SourceImportResult = { source: source.id, outcome: 'skipped', counts: zeroCounts(), purged: 0, error: null, rejections: [], fetched: 0, notModified: 0, droppedLinks: 0, dropped: [] }
    if (!options.ignoreBackoff && source.nextAttemptAt && Date.parse(source.nextAttemptAt) > this.now()) {
      result.error = `backing off after ${source.failures} failure(s) until ${source.nextAttemptAt}`
      return result
    }
    try {
      return await this.importOrThrow(source, options, result)
    } catch (err) {
      const message = (err as Error).message
      const failures = source.failures + 1
      await this.sources.recordFailure(source.id, { error: message, nextAttemptAt: nextAttemptAt(failures, this.now()) })
      this.logger.warn({ source: source.id, failures, err: message }, 'directory source failed; nothing changed')
      return { ...result, outcome: 'failed', error: message }
    }
  }

  /** Deletes the source's records gone for longer than the grace period (deletes nothing, writes nothing, otherwise). */
  private async purge (source: SourceRecord): Promise<number> {
    return this.directory.purgeGone(source.name, new Date(this.now() - this.graceMs).toISOString())
  }

  /**
   * The last good import's documents as the crawl asks for them: validators from `known`, bodies
   * read from the store only when a 304 needs one, all at once and only once per run.
   */
  private storedDocuments (sourceId: string, known: ReadonlyMap<string, DocumentValidators>): DocumentCache {
    let bodies: Promise<Map<string, CachedDocument>> | null = null
    return {
      validators: url => known.get(url),
      document: async url => {
        bodies ??= this.sources.documents(sourceId).then(all => new Map(all.map(d => [d.url, d])))
        return (await bodies).get(url)
      }
    }
  }

  private async importOrThrow (source: SourceRecord, options: ImportOptions, result: SourceImportResult): Promise<SourceImportResult> {
    const adapter = SOURCE_ADAPTERS[source.format]
    if (!adapter) throw new SourceFormatError(`the format "${source.format}" is not one this hub reads`)
    const known = new Map((await this.sources.documentValidators(source.id)).map(d => [d.url, d]))
    // Unless forced, an unchanged single document is not even parsed: the hash below stops the run.
    const crawled = await crawl(adapter, source.url, this.storedDocuments(source.id, known), this.client, this.limits, options.onDocument,
      { unchangedRootHash: options.force === true ? null : source.contentHash })
    result.fetched = crawled.fetched
    result.notModified = crawled.notModified
    result.droppedLinks = crawled.dropped.length
    result.dropped = crawled.dropped.slice(0, 20)
    if (crawled.dropped.length > 0) this.logger.warn({ source: source.id, dropped: result.dropped }, `directory source: ${crawled.dropped.length} link(s) could not be followed`)
    const rootDoc = crawled.documents.find(d => d.url === source.url)
    const validators = { etag: rootDoc?.etag ?? null, lastModified: rootDoc?.lastModified ?? null }
    const hash = crawled.contentHash
    // Same content as the last good import: nothing to write. Only new validators (a 200 with the
    // same body) or a failure streak to clear are recorded; the job's run history shows the check.
    if (hash === source.contentHash && !options.force) {
      const newValidators = crawled.documents.length !== known.size || crawled.documents.some(d => {
        const cached = known.get(d.url)
        return !cached || cached.etag !== d.etag || cached.lastModified !== d.lastModified
      })
      if (newValidators || source.failures > 0) {
        await this.sources.recordSuccess(source.id, { ...validators, contentHash: hash, counts: zeroCounts(), documents: newValidators ? crawled.documents : undefined })
      }
      return { ...result, outcome: 'unchanged', purged: await this.purge(source) }
    }

    const mapped = adapter.map(crawled.root, { source: source.name, sourceUrl: source.url })
    // The parsed documents are not needed any more: let them go before the big write (100,000
    // records parsed and mapped at once are hundreds of megabytes).
    releaseParsed(crawled.root)
    const rejections = [...mapped.rejected]
    const entries: SourceEntry[] = []
    const ids = new Set<string>()
    for (const entry of mapped.entries) {
      if (!canonicalWebsite(entry.website)) rejections.push({ key: entry.sourceId, reason: `its website "${entry.website}" is not a web address` })
      else if (ids.has(entry.sourceId)) rejections.push({ key: entry.sourceId, reason: 'listed twice' })
      else { ids.add(entry.sourceId); entries.push(entry) }
    }
    // Records whose document failed this time stay as last imported instead of being marked gone
    // (only then are the stored records read whole; otherwise their ids are enough).
    const unavailable = new Set(mapped.unavailable)
    const stored: Array<{ sourceId: string, entry?: SourceEntry }> = unavailable.size === 0
      ? (await this.directory.listLiveSourceIds(source.name)).map(sourceId => ({ sourceId }))
      : (await this.directory.listSourceEntries(source.name)).filter(s => s.goneAt === null).map(s => ({ sourceId: s.entry.sourceId, entry: s.entry }))
    for (const s of stored) {
      if (s.entry && unavailable.has(s.sourceId) && !ids.has(s.sourceId)) { ids.add(s.sourceId); entries.push(s.entry) }
    }
    if (entries.length === 0 && stored.length > 0) {
      throw new SourceFormatError(`the source lists no usable entries; refusing to mark all ${stored.length} records gone`)
    }
    // A source that suddenly lacks most of its records is more likely cut short than emptied.
    const goneCount = stored.filter(s => !ids.has(s.sourceId)).length
    if (!options.force && stored.length >= MASS_GONE_MIN && goneCount > stored.length * MASS_GONE_SHARE) {
      throw new SourceFormatError(`the source no longer lists ${goneCount} of its ${stored.length} records; refusing to mark them gone (run it by hand with --force if that is right)`)
    }

    const report = await this.directory.importBatch(source.name, entries, { markMissingGone: true })
    const purged = await this.purge(source)
    const counts: JobCounts = { ...report, rejected: rejections.length }
    await this.sources.recordSuccess(source.id, { ...validators, contentHash: hash, counts, documents: crawled.documents })
    this.logger.info({ source: source.id, ...counts, purged }, 'directory source imported')
    return { ...result, outcome: 'imported', counts, purged, rejections: rejections.slice(0, 20) }
  }
}

/** Drops the parsed data of a crawled tree (its documents' text stays in the crawl result). */
function releaseParsed (node: DocumentNode | FailedDocument): void {
  if ('error' in node) return
  node.data = null
  for (const child of node.children) releaseParsed(child)
}
