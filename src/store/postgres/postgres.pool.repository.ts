/**
 * Funding pools and pledges on PostgreSQL.
 */
import type { PledgeFilter, PledgeRecord, PoolFilter, PoolRecord, PoolRepository } from '../ports/pool.port'
import type { PostgresDatabase, Queryable } from './postgres-database'

interface PoolRow { id: string, steward_id: string, local: boolean, status: string, currency: string, doc: PoolRecord['object'], updated_at: string
  refreshed_at: string | null, changed_at: string | null
}
interface PledgeRow {
  offer_id: string, pledge_id: string | null, pool_id: string, pledger_id: string, steward_id: string, currency: string, value: string,
  recurrence: string, state: string, reason: string | null, steward_processed: boolean, created_at: string, updated_at: string
}

/** `PoolRepository` on the hub's PostgreSQL database. */
export class PostgresPoolRepository implements PoolRepository {
  constructor (private readonly db: PostgresDatabase) {}

  async savePool (pool: PoolRecord): Promise<void> {
    await writePool(this.db, pool)
  }

  async getPool (id: string): Promise<PoolRecord | null> {
    const row = (await this.db.query<PoolRow>('SELECT * FROM pools WHERE id = $1', [id])).rows[0]
    return row ? fromPoolRow(row) : null
  }

  async notePoolChange (id: string, at: string): Promise<void> {
    await this.db.query('UPDATE pools SET changed_at = $2 WHERE id = $1 AND NOT local AND (changed_at IS NULL OR changed_at COLLATE "C" < $2)', [id, at])
  }

  async deletePool (id: string): Promise<boolean> {
    return await removePool(this.db, id)
  }

  async listPools (filter: PoolFilter = {}): Promise<PoolRecord[]> {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.stewardId !== undefined) { params.push(filter.stewardId); where.push(`steward_id = $${params.length}`) }
    if (filter.local !== undefined) { params.push(filter.local); where.push(`local = $${params.length}`) }
    const sql = `SELECT * FROM pools ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at COLLATE "C" DESC, id COLLATE "C"`
    return (await this.db.query<PoolRow>(sql, params)).rows.map(fromPoolRow)
  }

  async savePledge (pledge: PledgeRecord): Promise<void> {
    await writePledge(this.db, pledge)
  }

  async savePledgeAndPool (pledge: PledgeRecord, pool: PoolRecord): Promise<void> {
    await this.db.transaction(async tx => {
      await writePledge(tx, pledge)
      await writePool(tx, pool)
    })
  }

  async getPledgeByOffer (offerId: string): Promise<PledgeRecord | null> {
    const row = (await this.db.query<PledgeRow>('SELECT * FROM pledges WHERE offer_id = $1', [offerId])).rows[0]
    return row ? fromPledgeRow(row) : null
  }

  async getPledgeById (pledgeId: string): Promise<PledgeRecord | null> {
    const row = (await this.db.query<PledgeRow>('SELECT * FROM pledges WHERE pledge_id = $1', [pledgeId])).rows[0]
    return row ? fromPledgeRow(row) : null
  }

  async listPledges (filter: PledgeFilter = {}): Promise<PledgeRecord[]> {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.poolId !== undefined) { params.push(filter.poolId); where.push(`pool_id = $${params.length}`) }
    if (filter.pledgerId !== undefined) { params.push(filter.pledgerId); where.push(`pledger_id = $${params.length}`) }
    const sql = `SELECT * FROM pledges ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at COLLATE "C", offer_id COLLATE "C"`
    return (await this.db.query<PledgeRow>(sql, params)).rows.map(fromPledgeRow)
  }
}

/** Inserts or replaces a pool, on the pool or inside the caller's transaction (the outbox's). */
export async function writePool (db: Queryable, pool: PoolRecord): Promise<void> {
  // A copy's latest heard-of change only moves forward; a local pool keeps neither time.
  await db.query(`INSERT INTO pools (id, steward_id, local, status, currency, doc, updated_at, refreshed_at, changed_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (id) DO UPDATE SET steward_id = excluded.steward_id, local = excluded.local, status = excluded.status,
      currency = excluded.currency, doc = excluded.doc, updated_at = excluded.updated_at, refreshed_at = excluded.refreshed_at,
      changed_at = CASE WHEN excluded.local THEN NULL
        WHEN pools.changed_at IS NULL OR (excluded.changed_at IS NOT NULL AND excluded.changed_at COLLATE "C" > pools.changed_at) THEN excluded.changed_at
        ELSE pools.changed_at END`,
  [pool.id, pool.stewardId, pool.local, pool.status, pool.currency, JSON.stringify(pool.object), pool.updatedAt,
    pool.local ? null : pool.refreshedAt ?? null, pool.local ? null : pool.changedAt ?? null])
}

/** Removes a pool, on the pool or inside the caller's transaction; false when there was none. */
export async function removePool (db: Queryable, id: string): Promise<boolean> {
  return ((await db.query('DELETE FROM pools WHERE id = $1', [id])).rowCount ?? 0) > 0
}

/** Inserts or replaces a pledge, on the pool or inside the caller's transaction (the outbox's). */
export async function writePledge (db: Queryable, p: PledgeRecord): Promise<void> {
  await db.query(`INSERT INTO pledges (offer_id, pledge_id, pool_id, pledger_id, steward_id, currency, value, recurrence, state, reason, steward_processed, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    ON CONFLICT (offer_id) DO UPDATE SET pledge_id = excluded.pledge_id, pool_id = excluded.pool_id, pledger_id = excluded.pledger_id,
      steward_id = excluded.steward_id, currency = excluded.currency, value = excluded.value, recurrence = excluded.recurrence,
      state = excluded.state, reason = excluded.reason, steward_processed = excluded.steward_processed, updated_at = excluded.updated_at`,
  [p.offerId, p.pledgeId, p.poolId, p.pledgerId, p.stewardId, p.amount.currency, p.amount.value, p.recurrence, p.state, p.reason,
    p.stewardProcessed, p.createdAt, p.updatedAt])
}

function fromPoolRow (row: PoolRow): PoolRecord {
  const record: PoolRecord = { id: row.id, stewardId: row.steward_id, local: row.local, status: row.status as PoolRecord['status'], currency: row.currency, object: row.doc, updatedAt: row.updated_at }
  if (row.refreshed_at) record.refreshedAt = row.refreshed_at
  if (row.changed_at) record.changedAt = row.changed_at
  return record
}

function fromPledgeRow (row: PledgeRow): PledgeRecord {
  return {
    offerId: row.offer_id,
    pledgeId: row.pledge_id,
    poolId: row.pool_id,
    pledgerId: row.pledger_id,
    stewardId: row.steward_id,
    amount: { type: 'MonetaryAmount', currency: row.currency, value: row.value },
    recurrence: row.recurrence as PledgeRecord['recurrence'],
    state: row.state as PledgeRecord['state'],
    reason: row.reason,
    stewardProcessed: row.steward_processed,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}
