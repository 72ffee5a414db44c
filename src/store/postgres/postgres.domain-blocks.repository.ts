/** Domain blocks on PostgreSQL; adding one also ends the queued deliveries it covers, in one transaction. */
import { blockCovers } from '../../domain/domain-block'
import type { DomainBlock, DomainBlockRepository } from '../ports/domain-blocks.port'
import type { PostgresDatabase } from './postgres-database'

interface BlockRow { domain: string, reason: string, created_at: string }

/** `DomainBlockRepository` on the `domain_blocks` table. */
export class PostgresDomainBlockRepository implements DomainBlockRepository {
  /** `now` (ms) stamps the failures it records. */
  constructor (private readonly db: PostgresDatabase, private readonly now: () => number = Date.now) {}

  async add (block: DomainBlock): Promise<{ created: boolean, deliveriesEnded: number }> {
    return await this.db.transaction(async tx => {
      // xmax = 0 only on a row this statement inserted.
      const written = await tx.query<{ inserted: boolean }>(`INSERT INTO domain_blocks (domain, reason, created_at) VALUES ($1, $2, $3)
        ON CONFLICT (domain) DO UPDATE SET reason = excluded.reason RETURNING (xmax = 0) AS inserted`, [block.domain, block.reason, block.createdAt])
      const hosts = (await tx.query<{ id: number, host: string }>('SELECT id, host FROM deliveries WHERE host IS NOT NULL')).rows
      const ended = hosts.filter(row => blockCovers(block.domain, row.host)).map(row => row.id)
      if (ended.length) {
        await tx.query(`INSERT INTO delivery_failures (id, actor_id, address, attempt, reason, failed_at, host)
          SELECT id, actor_id, address, attempt, $1, $2, host FROM deliveries WHERE id = ANY ($3::bigint[])`,
        [`the domain ${block.domain} is blocked on this hub`, new Date(this.now()).toISOString(), ended])
        await tx.query('DELETE FROM deliveries WHERE id = ANY ($1::bigint[])', [ended])
      }
      return { created: written.rows[0].inserted, deliveriesEnded: ended.length }
    })
  }

  async remove (domain: string): Promise<boolean> {
    return ((await this.db.query('DELETE FROM domain_blocks WHERE domain = $1', [domain])).rowCount ?? 0) > 0
  }

  async list (): Promise<DomainBlock[]> {
    return (await this.db.query<BlockRow>('SELECT * FROM domain_blocks ORDER BY domain COLLATE "C"')).rows.map(toBlock)
  }

  async findAny (domains: string[]): Promise<DomainBlock | null> {
    if (domains.length === 0) return null
    const row = (await this.db.query<BlockRow>('SELECT * FROM domain_blocks WHERE domain = ANY ($1::text[]) ORDER BY length(domain) DESC LIMIT 1', [domains])).rows[0]
    return row ? toBlock(row) : null
  }
}

function toBlock (row: BlockRow): DomainBlock {
  return { domain: row.domain, reason: row.reason, createdAt: row.created_at }
}
