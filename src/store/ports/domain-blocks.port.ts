/**
 * Domains the hub admin refuses to federate with. A block on a host name covers its subdomains;
 * a block on `host:port` covers that one origin. Blocked domains are refused at the inbox and
 * get no deliveries and no fetches.
 */

/** One blocked domain. */
export interface DomainBlock {
  /** Normalised: lower case, ASCII (punycode), no trailing dot; `host` or `host:port`. */
  domain: string
  reason: string
  createdAt: string
}

/** Storage of domain blocks. */
export interface DomainBlockRepository {
  /**
   * Adds a block (or replaces its reason) and, in the same transaction, ends every queued
   * delivery to a host it covers; answers whether it was new and how many deliveries it ended.
   */
  add (block: DomainBlock): Promise<{ created: boolean, deliveriesEnded: number }>
  /** Removes a block; false when there was none. */
  remove (domain: string): Promise<boolean>
  /** Every block, sorted by domain. */
  list (): Promise<DomainBlock[]>
  /** The first block among `domains` (candidates from `blockCandidates`), or null. */
  findAny (domains: string[]): Promise<DomainBlock | null>
}
