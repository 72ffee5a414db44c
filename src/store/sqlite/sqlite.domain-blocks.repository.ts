/** Domain blocks on SQLite; adding one also ends the queued deliveries it covers, in one transaction. */
import type Database from 'better-sqlite3'
import { blockCovers } from '../../domain/domain-block'
import type { DomainBlock, DomainBlockRepository } from '../ports/domain-blocks.port'

interface BlockRow { domain: string, reason: string, created_at: string }

/** `DomainBlockRepository` on the `domain_blocks` table. */
export class SqliteDomainBlockRepository implements DomainBlockRepository {
  private readonly upsert
  private readonly existing
  private readonly delete
  private readonly all
  private readonly queuedHosts
  private readonly recordFailure
  private readonly removeDelivery

  /** Prepares every statement once; `now` (ms) stamps the failures it records. */
  constructor (private readonly db: Database.Database, private readonly now: () => number) {
    this.upsert = db.prepare<[string, string, string]>(
      `INSERT INTO domain_blocks (domain, reason, created_at) VALUES (?, ?, ?)
       ON CONFLICT(domain) DO UPDATE SET reason = excluded.reason`)
    this.existing = db.prepare<[string], BlockRow>('SELECT * FROM domain_blocks WHERE domain = ?')
    this.delete = db.prepare<[string]>('DELETE FROM domain_blocks WHERE domain = ?')
    this.all = db.prepare<[], BlockRow>('SELECT * FROM domain_blocks ORDER BY domain')
    this.queuedHosts = db.prepare<[], { id: number, host: string | null }>('SELECT id, host FROM deliveries')
    this.recordFailure = db.prepare<[string, string, number]>(
      `INSERT INTO delivery_failures (id, actor_id, address, attempt, reason, failed_at, host)
       SELECT id, actor_id, address, attempt, ?, ?, host FROM deliveries WHERE id = ?`)
    this.removeDelivery = db.prepare<[number]>('DELETE FROM deliveries WHERE id = ?')
  }

  async add (block: DomainBlock): Promise<{ created: boolean, deliveriesEnded: number }> {
    return this.db.transaction(() => {
      const created = this.existing.get(block.domain) === undefined
      this.upsert.run(block.domain, block.reason, block.createdAt)
      const failedAt = new Date(this.now()).toISOString()
      let ended = 0
      for (const row of this.queuedHosts.all()) {
        if (row.host === null || !blockCovers(block.domain, row.host)) continue
        this.recordFailure.run(`the domain ${block.domain} is blocked on this hub`, failedAt, row.id)
        this.removeDelivery.run(row.id)
        ended++
      }
      return { created, deliveriesEnded: ended }
    })()
  }

  async remove (domain: string): Promise<boolean> {
    return this.delete.run(domain).changes > 0
  }

  async list (): Promise<DomainBlock[]> {
    return this.all.all().map(toBlock)
  }

  async findAny (domains: string[]): Promise<DomainBlock | null> {
    if (domains.length === 0) return null
    // The most specific block wins. Chosen here, not by ORDER BY: sorting in SQL opens a temporary
    // b-tree on every call, several times the cost of the look-up itself.
    let found: BlockRow | undefined
    for (const row of this.findAnyOf(domains.length).all(...domains)) {
      if (found === undefined || row.domain.length > found.domain.length) found = row
    }
    return found === undefined ? null : toBlock(found)
  }

  // Asked on every inbox POST: one prepared statement per number of candidate domains.
  private readonly findAnyStatements = new Map<number, Database.Statement<string[], BlockRow>>()

  private findAnyOf (count: number): Database.Statement<string[], BlockRow> {
    let statement = this.findAnyStatements.get(count)
    if (statement === undefined) {
      statement = this.db.prepare<string[], BlockRow>(
        `SELECT * FROM domain_blocks WHERE domain IN (${Array.from({ length: count }, () => '?').join(', ')})`)
      this.findAnyStatements.set(count, statement)
    }
    return statement
  }
}

function toBlock (row: BlockRow): DomainBlock {
  return { domain: row.domain, reason: row.reason, createdAt: row.created_at }
}
