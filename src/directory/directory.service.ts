import { softwareDisplayName } from '../domain/directory/software-names'
import type { Logger } from '../log/logger'
import { NotFoundError } from '../errors/app-errors'
import type { HubChange } from '../events/hub-changes'
import type { HubStore } from '../store/store.port'
import type { DirectoryEntry, DirectoryResultPage, FacetCount, FacetName, SourceEntry } from '../store/ports/directory.port'
import { coopSourceEntry } from './sources/coop-source'
import { encodeCursor, SearchRequest, toDirectoryQuery } from './search-request'
import { murmurationsProfileUrl } from './feeds/feed-paths'

/** One page of search results as the API and pages show them. */
export interface DirectorySearchResult {
  items: DirectoryEntry[]
  total: number
  /** Counts per facet value; software values also carry `label`, the software's display name. */
  facets: Record<FacetName, Array<FacetCount & { label?: string }>>
  /** Cursor of the next page, or null on the last. */
  next: string | null
}

/**
 * The directory of participating clouds: keeps this hub's co-ops and followed co-ops indexed as
 * they change, and answers searches and look-ups. Imports write through the repository.
 */
export class DirectoryService {
  private readonly host: string

  constructor (
    private readonly store: HubStore,
    private readonly hubUrl: string,
    private readonly logger: Logger
  ) {
    this.host = new URL(hubUrl).host
  }

  /** Keeps the index in step with a change elsewhere in the hub. */
  async onChange (change: HubChange): Promise<void> {
    if (change.type === 'coop' || (change.type === 'services' && change.local)) await this.indexLocalCoop(change.actorId)
    else if (change.type === 'actor-deleted') await this.forgetDeletedActor(change.actorId)
    else await this.indexFederatedActor(change.actorId)
  }

  /** (Re)indexes one of this hub's co-ops from its actor and services. */
  async indexLocalCoop (actorId: string): Promise<void> {
    const coop = await this.store.getCoopByActorId(actorId)
    const actor = coop ? await this.store.getObject(actorId) : null
    if (!coop || !actor) {
      await this.store.directory.removeSourceEntry(this.host, actorId)
      return
    }
    const services = await this.store.listServices({ actorId, local: true })
    const links = [{ rel: 'murmurations', href: murmurationsProfileUrl(this.hubUrl, coop.username) }]
    await this.store.directory.upsertSourceEntry(coopSourceEntry({ actor, services, kind: 'local', source: this.host, links }))
  }

  /**
   * A remote actor deleted itself (apex has replaced its cached copy with a Tombstone): the
   * services it published and this hub's co-ops' follows of it go, and so does its entry.
   */
  async forgetDeletedActor (actorId: string): Promise<void> {
    if (await this.store.getCoopByActorId(actorId)) return
    await this.store.transaction(async () => {
      for (const service of await this.store.listServices({ actorId, local: false })) await this.store.deleteService(service.id)
      for (const follow of (await this.store.listOutgoingFollows()).filter(f => f.targetActorId === actorId)) await this.store.deleteOutgoingFollow(follow.followId)
    })
    await this.indexFederatedActor(actorId)
  }

  /**
   * (Re)indexes a co-op of a sibling hub: listed while the hub lists services of it, or while
   * one of this hub's co-ops follows it and it is an organisation; removed otherwise.
   */
  async indexFederatedActor (actorId: string): Promise<void> {
    const source = new URL(actorId).host
    if (await this.store.getCoopByActorId(actorId)) return
    const services = await this.store.listServices({ actorId, local: false })
    const actor = await this.store.getObject(actorId)
    const listed = services.length > 0 || (await this.store.isFollowedByAnyCoop(actorId) && isOrganisation(actor?.type))
    if (!actor || !listed) {
      await this.store.directory.removeSourceEntry(source, actorId)
      return
    }
    const entry = coopSourceEntry({ actor, services, kind: 'federated', source })
    // Sibling sync marks a co-op whose hub stopped answering; the directory shows it.
    const sibling = await this.store.siblings.get(actorId)
    if (sibling?.unreachableSince) entry.unreachableSince = sibling.unreachableSince
    await this.store.directory.upsertSourceEntry(entry)
  }

  /** Indexes every local co-op and every followed actor (at start-up: the index may predate them). */
  async reindexAll (): Promise<void> {
    for (const coop of await this.store.listCoops()) await this.indexLocalCoop(coop.actorId)
    const followed = new Set((await this.store.listOutgoingFollows()).filter(f => f.state === 'accepted').map(f => f.targetActorId))
    for (const s of await this.store.listServices({ local: false })) followed.add(s.actorId)
    for (const actorId of followed) {
      try {
        await this.indexFederatedActor(actorId)
      } catch (err) {
        this.logger.warn({ err, actorId }, 'directory: could not index a followed actor')
      }
    }
  }

  /** One page of a checked search. */
  async search (request: SearchRequest): Promise<DirectorySearchResult> {
    const page: DirectoryResultPage = await this.store.directory.search(toDirectoryQuery(request))
    return {
      items: page.items,
      total: page.total,
      // The software facet matches lower-cased keys; people read the project's own spelling.
      facets: { ...page.facets, software: page.facets.software.map(f => ({ ...f, label: softwareDisplayName(f.value) })) },
      next: page.next ? encodeCursor(page.next, request) : null
    }
  }

  /** An entry by its directory id, or 404. */
  async get (id: string): Promise<DirectoryEntry> {
    const entry = /^[a-z0-9-]{1,100}$/.test(id) ? await this.store.directory.getEntry(id) : null
    if (!entry) throw new NotFoundError(`The directory has no entry "${id}"`)
    return entry
  }

  /** The entry a local co-op is listed under, or 404. */
  async forCoop (username: string): Promise<DirectoryEntry> {
    const coop = await this.store.getCoop(username)
    const entry = coop ? await this.store.directory.getEntryByActor(coop.actorId) : null
    if (!coop || !entry) throw new NotFoundError(`There is no co-op "${username}" on this hub`)
    return entry
  }

  /** The entry an actor (local or federated) is merged into, if listed. */
  async forActor (actorId: string): Promise<DirectoryEntry | null> {
    return this.store.directory.getEntryByActor(actorId)
  }

  /** The live source records merged into an entry, most trusted first. */
  async sourcesOf (entry: DirectoryEntry): Promise<SourceEntry[]> {
    return (await this.store.directory.listEntrySources(entry.id)).map(r => r.entry)
  }

  /** Every entry, by id. */
  async all (): Promise<DirectoryEntry[]> {
    return this.store.directory.listEntries()
  }

  /** Grows with every change: the key of every cache of directory output. */
  async version (): Promise<number> {
    return this.store.directory.version()
  }
}

/** A followed actor is listed as a co-op when it is an organisation (a person's account is not a cloud). */
function isOrganisation (type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type]
  return types.some(t => t === 'Organization' || t === 'Group')
}
