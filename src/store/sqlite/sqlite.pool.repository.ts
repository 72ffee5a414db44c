import type Database from 'better-sqlite3'
import type { PledgeFilter, PledgeRecord, PoolFilter, PoolRecord, PoolRepository } from '../ports/pool.port'

interface PoolRow { id: string, steward_id: string, local: number, status: string, currency: string, doc: string, updated_at: string, refreshed_at: string | null, changed_at: string | null }
interface PledgeRow {
  offer_id: string, pledge_id: string | null, pool_id: string, pledger_id: string, steward_id: string, currency: string, value: string,
  recurrence: string, state: string, reason: string | null, steward_processed: number, created_at: string, updated_at: string
}

/** `PoolRepository` on the hub's SQLite database (tables from migration 2). */
export class SqlitePoolRepository implements PoolRepository {
  private readonly upsertPoolStmt: Database.Statement
  private readonly upsertPledgeStmt: Database.Statement
  // Asked for every Create, Update or Delete the inbox receives (its stored-owner check).
  private readonly poolByIdStmt: Database.Statement<[string], PoolRow>

  constructor (private readonly db: Database.Database) {
    this.upsertPoolStmt = db.prepare(`INSERT INTO pools (id, steward_id, local, status, currency, doc, updated_at, refreshed_at, changed_at)
      VALUES (@id, @steward_id, @local, @status, @currency, @doc, @updated_at, @refreshed_at, @changed_at)
      ON CONFLICT(id) DO UPDATE SET steward_id = excluded.steward_id, local = excluded.local, status = excluded.status,
        currency = excluded.currency, doc = excluded.doc, updated_at = excluded.updated_at, refreshed_at = excluded.refreshed_at,
        changed_at = CASE WHEN excluded.local = 1 THEN NULL
          WHEN pools.changed_at IS NULL OR (excluded.changed_at IS NOT NULL AND excluded.changed_at > pools.changed_at) THEN excluded.changed_at
          ELSE pools.changed_at END`)
    this.poolByIdStmt = db.prepare<[string], PoolRow>('SELECT * FROM pools WHERE id = ?')
    this.upsertPledgeStmt = db.prepare(`INSERT INTO pledges (offer_id, pledge_id, pool_id, pledger_id, steward_id, currency, value, recurrence, state, reason, steward_processed, created_at, updated_at)
      VALUES (@offer_id, @pledge_id, @pool_id, @pledger_id, @steward_id, @currency, @value, @recurrence, @state, @reason, @steward_processed, @created_at, @updated_at)
      ON CONFLICT(offer_id) DO UPDATE SET pledge_id = excluded.pledge_id, pool_id = excluded.pool_id, pledger_id = excluded.pledger_id,
        steward_id = excluded.steward_id, currency = excluded.currency, value = excluded.value, recurrence = excluded.recurrence,
        state = excluded.state, reason = excluded.reason, steward_processed = excluded.steward_processed, updated_at = excluded.updated_at`)
  }

  async savePool (pool: PoolRecord): Promise<void> {
    this.writePool(pool)
  }

  /** `savePool` inside the caller's transaction (the outbox stores a pool with its activity). */
  writePool (pool: PoolRecord): void {
    this.upsertPoolStmt.run(poolRow(pool))
  }

  async getPool (id: string): Promise<PoolRecord | null> {
    const row = this.poolByIdStmt.get(id)
    return row ? fromPoolRow(row) : null
  }

  async notePoolChange (id: string, at: string): Promise<void> {
    this.db.prepare('UPDATE pools SET changed_at = @at WHERE id = @id AND local = 0 AND (changed_at IS NULL OR changed_at < @at)').run({ id, at })
  }

  async deletePool (id: string): Promise<boolean> {
    return this.removePool(id)
  }

  /** `deletePool` inside the caller's transaction. */
  removePool (id: string): boolean {
    return this.db.prepare('DELETE FROM pools WHERE id = ?').run(id).changes > 0
  }

  async listPools (filter: PoolFilter = {}): Promise<PoolRecord[]> {
    const where: string[] = []
    const params: Record<string, unknown> = {}
    if (filter.stewardId !== undefined) { where.push('steward_id = @steward'); params.steward = filter.stewardId }
    if (filter.local !== undefined) { where.push('local = @local'); params.local = filter.local ? 1 : 0 }
    const sql = `SELECT * FROM pools ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, id`
    return this.db.prepare<Record<string, unknown>, PoolRow>(sql).all(params).map(fromPoolRow)
  }

  async savePledge (pledge: PledgeRecord): Promise<void> {
    this.writePledge(pledge)
  }

  /** `savePledge` inside the caller's transaction (the outbox stores a pledge with its activity). */
  writePledge (pledge: PledgeRecord): void {
    this.upsertPledgeStmt.run(pledgeRow(pledge))
  }

  async savePledgeAndPool (pledge: PledgeRecord, pool: PoolRecord): Promise<void> {
    this.db.transaction(() => {
      this.upsertPledgeStmt.run(pledgeRow(pledge))
      this.upsertPoolStmt.run(poolRow(pool))
    })()
  }

  async getPledgeByOffer (offerId: string): Promise<PledgeRecord | null> {
    const row = this.db.prepare<[string], PledgeRow>('SELECT * FROM pledges WHERE offer_id = ?').get(offerId)
    return row ? fromPledgeRow(row) : null
  }

  async getPledgeById (pledgeId: string): Promise<PledgeRecord | null> {
    const row = this.db.prepare<[string], PledgeRow>('SELECT * FROM pledges WHERE pledge_id = ?').get(pledgeId)
    return row ? fromPledgeRow(row) : null
  }

  async listPledges (filter: PledgeFilter = {}): Promise<PledgeRecord[]> {
    const where: string[] = []
    const params: Record<string, unknown> = {}
    if (filter.poolId !== undefined) { where.push('pool_id = @pool'); params.pool = filter.poolId }
    if (filter.pledgerId !== undefined) { where.push('pledger_id = @pledger'); params.pledger = filter.pledgerId }
    const sql = `SELECT * FROM pledges ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, offer_id`
    return this.db.prepare<Record<string, unknown>, PledgeRow>(sql).all(params).map(fromPledgeRow)
  }
}

function poolRow (pool: PoolRecord): PoolRow {
  return {
    id: pool.id, steward_id: pool.stewardId, local: pool.local ? 1 : 0, status: pool.status, currency: pool.currency, doc: JSON.stringify(pool.object), updated_at: pool.updatedAt,
    refreshed_at: pool.local ? null : pool.refreshedAt ?? null, changed_at: pool.local ? null : pool.changedAt ?? null
  }
}

function fromPoolRow (row: PoolRow): PoolRecord {
  const record: PoolRecord = { id: row.id, stewardId: row.steward_id, local: row.local === 1, status: row.status as PoolRecord['status'], currency: row.currency, object: JSON.parse(row.doc), updatedAt: row.updated_at }
  if (row.refreshed_at) record.refreshedAt = row.refreshed_at
  if (row.changed_at) record.changedAt = row.changed_at
  return record
}

function pledgeRow (p: PledgeRecord): PledgeRow {
  return {
    offer_id: p.offerId, pledge_id: p.pledgeId, pool_id: p.poolId, pledger_id: p.pledgerId, steward_id: p.stewardId,
    currency: p.amount.currency, value: p.amount.value, recurrence: p.recurrence, state: p.state, reason: p.reason,
    steward_processed: p.stewardProcessed ? 1 : 0, created_at: p.createdAt, updated_at: p.updatedAt
  }
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
    stewardProcessed: row.steward_processed === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}
