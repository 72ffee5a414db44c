import { ValidationError } from '../../errors/app-errors'
import { blockCandidates, hostOf, normaliseBlockedDomain } from '../../domain/domain-block'
import type { SchemaValidator } from '../../schemas/schema-validator'
import type { DomainBlock } from '../../store/ports/domain-blocks.port'
import type { HubStore } from '../../store/store.port'
import { StampedReads } from '../stamped-reads'

/**
 * The admin's domain blocks: managed through the API and the CLI, asked by the inbox (refuse),
 * the outbound client (no fetch, no delivery) and the delivery queue (nothing queued).
 */
export class DomainBlockService {
  /** The block (or none) of each host asked, kept while no block changes: every inbox request asks. */
  private readonly hostBlocks: StampedReads<DomainBlock>

  constructor (private readonly store: HubStore, private readonly schemas: SchemaValidator) {
    this.hostBlocks = new StampedReads(store, 'domainBlocks', true)
  }

  /** Blocks a domain (from an API or CLI body); ends the deliveries queued for it. */
  async add (body: unknown): Promise<DomainBlock & { created: boolean, deliveriesEnded: number }> {
    const input = this.schemas.validate('api/domain-block-create.schema.json', body)
    const normalised = normaliseBlockedDomain(input.domain)
    if ('problem' in normalised) throw new ValidationError(`The domain ${normalised.problem}`, { domain: normalised.problem })
    const block: DomainBlock = { domain: normalised.domain, reason: input.reason ?? '', createdAt: new Date().toISOString() }
    const outcome = await this.store.domainBlocks.add(block)
    return { ...block, ...outcome }
  }

  /** Lifts a block; false when the domain was not blocked. */
  async remove (domain: string): Promise<boolean> {
    const normalised = normaliseBlockedDomain(domain)
    if ('problem' in normalised) throw new ValidationError(`The domain ${normalised.problem}`, { domain: normalised.problem })
    return await this.store.domainBlocks.remove(normalised.domain)
  }

  /** Every block. */
  async list (): Promise<DomainBlock[]> {
    return await this.store.domainBlocks.list()
  }

  /** The block covering a URL host (`URL.host`), or null. */
  blockOfHost (host: string): Promise<DomainBlock | null> {
    return this.hostBlocks.read(host, async () => await this.store.domainBlocks.findAny(blockCandidates(host)))
  }

  /** True when the URL host is blocked. */
  async isBlockedHost (host: string): Promise<boolean> {
    return (await this.blockOfHost(host)) !== null
  }

  /** The block covering the host of an IRI, or null (also for what is not a URL). */
  blockOf (iri: string): Promise<DomainBlock | null> {
    const host = hostOf(iri)
    return host === null ? Promise.resolve(null) : this.blockOfHost(host)
  }

  /** `blockOf` answered at once when what it answers is kept and known current; undefined when not: then `blockOf`. */
  blockOfNow (iri: string): DomainBlock | null | undefined {
    const host = hostOf(iri)
    return host === null ? null : this.hostBlocks.readNow(host)
  }
}
