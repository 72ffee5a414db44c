/**
 * An umbrella's work on PostgreSQL: projects with milestones, commitments, decisions, votes,
 * tallies and allocations. A vote and a close of the same decision lock its row, so they apply
 * one after the other from any number of processes: the tally always agrees with the votes.
 */
import type { DecisionOutcome } from '../../domain/umbrella/decision'
import type {
  AllocationRecord, CastVoteResult, CommitmentFilter, CommitmentRecord, DecisionRecord, ProjectRecord, Tally, UmbrellaWorkRepository, VoteRecord
} from '../ports/umbrella-work.port'
import type { PostgresDatabase, Queryable } from './postgres-database'

interface ProjectRow {
  id: string, umbrella_id: string, project_key: string, name: string, summary: string, upstream: ProjectRecord['upstream'],
  pool_ids: string[], approved: boolean, local: boolean, created_at: string, updated_at: string
}
interface MilestoneRow { name: string, due: string | null, status: string }
interface CommitmentRow {
  id: string, project_id: string, member_id: string, hours: string | null, currency: string | null, value: string | null, note: string | null, created_at: string
}
interface DecisionRow {
  id: string, umbrella_id: string, question: string, options: string[], closes_at: string, rule: string, quorum: string, action: DecisionRecord['action'],
  status: string, action_result: string | null, local: boolean, voters_count: number, created_at: string, closed_at: string | null
}
interface VoteRow { decision_id: string, voter_id: string, choice: string, note_id: string, cast_at: string }
interface AllocationRow { decision_id: string, pool_id: string, project_id: string, currency: string, value: string, allocated_at: string }

/** `UmbrellaWorkRepository` on the hub's PostgreSQL database. */
export class PostgresUmbrellaWorkRepository implements UmbrellaWorkRepository {
  constructor (private readonly db: PostgresDatabase) {}

  async saveProject (p: ProjectRecord): Promise<void> {
    await this.db.transaction(async tx => {
      await tx.query(`INSERT INTO umbrella_projects (id, umbrella_id, project_key, name, summary, upstream, pool_ids, approved, local, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, summary = excluded.summary, upstream = excluded.upstream, pool_ids = excluded.pool_ids,
          approved = excluded.approved, local = excluded.local, updated_at = excluded.updated_at`,
      [p.id, p.umbrellaId, p.key, p.name, p.summary, p.upstream ? JSON.stringify(p.upstream) : null, JSON.stringify(p.poolIds), p.approved, p.local, p.createdAt, p.updatedAt])
      await tx.query('DELETE FROM umbrella_milestones WHERE project_id = $1', [p.id])
      for (const [i, m] of p.milestones.entries()) {
        await tx.query('INSERT INTO umbrella_milestones (project_id, position, name, due, status) VALUES ($1, $2, $3, $4, $5)', [p.id, i, m.name, m.due, m.status])
      }
    })
  }

  async getProject (id: string): Promise<ProjectRecord | null> {
    const row = (await this.db.query<ProjectRow>('SELECT * FROM umbrella_projects WHERE id = $1', [id])).rows[0]
    return row ? await this.fromProjectRow(row) : null
  }

  async listProjects (umbrellaId: string): Promise<ProjectRecord[]> {
    const rows = await this.db.query<ProjectRow>('SELECT * FROM umbrella_projects WHERE umbrella_id = $1 ORDER BY created_at COLLATE "C", id COLLATE "C"', [umbrellaId])
    return await Promise.all(rows.rows.map(async row => await this.fromProjectRow(row)))
  }

  async approveProject (id: string, at: string): Promise<boolean> {
    return ((await this.db.query('UPDATE umbrella_projects SET approved = true, updated_at = $1 WHERE id = $2', [at, id])).rowCount ?? 0) > 0
  }

  async saveCommitment (c: CommitmentRecord): Promise<boolean> {
    const result = await this.db.query(`INSERT INTO umbrella_commitments (id, project_id, member_id, hours, currency, value, note, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
    [c.id, c.projectId, c.memberId, c.hours, c.amount?.currency ?? null, c.amount?.value ?? null, c.note, c.createdAt])
    return (result.rowCount ?? 0) > 0
  }

  async listCommitments (filter: CommitmentFilter): Promise<CommitmentRecord[]> {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.projectId !== undefined) { params.push(filter.projectId); where.push(`project_id = $${params.length}`) }
    if (filter.memberId !== undefined) { params.push(filter.memberId); where.push(`member_id = $${params.length}`) }
    const sql = `SELECT * FROM umbrella_commitments ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at COLLATE "C", id COLLATE "C"`
    return (await this.db.query<CommitmentRow>(sql, params)).rows.map(fromCommitmentRow)
  }

  async saveDecision (d: DecisionRecord): Promise<void> {
    await this.db.transaction(async tx => {
      await tx.query(`INSERT INTO umbrella_decisions (id, umbrella_id, question, options, closes_at, rule, quorum, action, status, action_result, local, created_at, closed_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (id) DO UPDATE SET question = excluded.question, options = excluded.options, closes_at = excluded.closes_at, rule = excluded.rule,
          quorum = excluded.quorum, action = excluded.action, status = excluded.status, action_result = excluded.action_result,
          local = excluded.local, closed_at = excluded.closed_at`,
      [d.id, d.umbrellaId, d.question, JSON.stringify(d.options), d.closesAt, d.rule, d.quorum, d.action ? JSON.stringify(d.action) : null,
        d.status, d.actionResult, d.local, d.createdAt, d.closedAt])
      for (const option of d.options) {
        await tx.query('INSERT INTO umbrella_tallies (decision_id, choice, votes) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING', [d.id, option])
      }
    })
  }

  async getDecision (id: string): Promise<DecisionRecord | null> {
    const row = (await this.db.query<DecisionRow>('SELECT * FROM umbrella_decisions WHERE id = $1', [id])).rows[0]
    return row ? fromDecisionRow(row) : null
  }

  async listDecisions (umbrellaId: string): Promise<DecisionRecord[]> {
    const rows = await this.db.query<DecisionRow>('SELECT * FROM umbrella_decisions WHERE umbrella_id = $1 ORDER BY created_at COLLATE "C" DESC, id COLLATE "C"', [umbrellaId])
    return rows.rows.map(fromDecisionRow)
  }

  async listDueDecisions (now: string): Promise<DecisionRecord[]> {
    const rows = await this.db.query<DecisionRow>(`SELECT * FROM umbrella_decisions WHERE status = 'open' AND local AND closes_at COLLATE "C" <= $1
      ORDER BY closes_at COLLATE "C", id COLLATE "C"`, [now])
    return rows.rows.map(fromDecisionRow)
  }

  async castVote (vote: VoteRecord): Promise<CastVoteResult> {
    return await this.db.transaction(async (tx): Promise<CastVoteResult> => {
      const decision = (await tx.query<{ status: string }>('SELECT status FROM umbrella_decisions WHERE id = $1 FOR UPDATE', [vote.decisionId])).rows[0]
      if (!decision) return { counted: false, reason: 'unknown-decision' }
      if (decision.status !== 'open') return { counted: false, reason: 'closed' }
      const previousRow = (await tx.query<VoteRow>('SELECT * FROM umbrella_votes WHERE decision_id = $1 AND voter_id = $2', [vote.decisionId, vote.voterId])).rows[0]
      const change = async (choice: string, delta: number): Promise<void> => {
        await tx.query(`INSERT INTO umbrella_tallies (decision_id, choice, votes) VALUES ($1, $2, $3)
          ON CONFLICT (decision_id, choice) DO UPDATE SET votes = umbrella_tallies.votes + excluded.votes`, [vote.decisionId, choice, delta])
      }
      if (previousRow) await change(previousRow.choice, -1)
      else await tx.query('UPDATE umbrella_decisions SET voters_count = voters_count + 1 WHERE id = $1', [vote.decisionId])
      await change(vote.choice, 1)
      await tx.query(`INSERT INTO umbrella_votes (decision_id, voter_id, choice, note_id, cast_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (decision_id, voter_id) DO UPDATE SET choice = excluded.choice, note_id = excluded.note_id, cast_at = excluded.cast_at`,
      [vote.decisionId, vote.voterId, vote.choice, vote.noteId, vote.castAt])
      return { counted: true, previous: previousRow ? fromVoteRow(previousRow) : null, tally: await tallyOf(tx, vote.decisionId) }
    })
  }

  async listVotes (decisionId: string): Promise<VoteRecord[]> {
    const rows = await this.db.query<VoteRow>('SELECT * FROM umbrella_votes WHERE decision_id = $1 ORDER BY cast_at COLLATE "C", voter_id COLLATE "C"', [decisionId])
    return rows.rows.map(fromVoteRow)
  }

  async getTally (decisionId: string): Promise<Tally> {
    return await tallyOf(this.db, decisionId)
  }

  async replaceTally (decisionId: string, tally: Tally): Promise<void> {
    await this.db.transaction(async tx => { await writeTally(tx, decisionId, tally) })
  }

  async closeDecision (id: string, outcome: DecisionOutcome, tally: Tally, closedAt: string): Promise<boolean> {
    return await this.db.transaction(async tx => {
      const closed = await tx.query(`UPDATE umbrella_decisions SET status = $1, closed_at = $2 WHERE id = $3 AND status = 'open'`, [outcome, closedAt, id])
      if (!closed.rowCount) return false
      await writeTally(tx, id, tally)
      return true
    })
  }

  async setActionResult (id: string, result: string): Promise<void> {
    await this.db.query('UPDATE umbrella_decisions SET action_result = $1 WHERE id = $2', [result, id])
  }

  async saveAllocation (a: AllocationRecord): Promise<void> {
    await this.db.transaction(async tx => {
      await tx.query('INSERT INTO umbrella_allocations (decision_id, pool_id, project_id, currency, value, allocated_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [a.decisionId, a.poolId, a.projectId, a.amount.currency, a.amount.value, a.allocatedAt])
      await tx.query(`UPDATE umbrella_decisions SET action_result = 'applied' WHERE id = $1`, [a.decisionId])
    })
  }

  async listAllocations (filter: { poolId?: string, projectId?: string }): Promise<AllocationRecord[]> {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.poolId !== undefined) { params.push(filter.poolId); where.push(`pool_id = $${params.length}`) }
    if (filter.projectId !== undefined) { params.push(filter.projectId); where.push(`project_id = $${params.length}`) }
    const sql = `SELECT * FROM umbrella_allocations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY allocated_at COLLATE "C", decision_id COLLATE "C"`
    return (await this.db.query<AllocationRow>(sql, params)).rows.map(row => ({
      decisionId: row.decision_id, poolId: row.pool_id, projectId: row.project_id,
      amount: { type: 'MonetaryAmount', currency: row.currency, value: row.value }, allocatedAt: row.allocated_at
    }))
  }

  private async fromProjectRow (row: ProjectRow): Promise<ProjectRecord> {
    const milestones = (await this.db.query<MilestoneRow>('SELECT name, due, status FROM umbrella_milestones WHERE project_id = $1 ORDER BY position', [row.id])).rows
    return {
      id: row.id,
      umbrellaId: row.umbrella_id,
      key: row.project_key,
      name: row.name,
      summary: row.summary,
      upstream: row.upstream,
      milestones: milestones.map(m => ({ name: m.name, due: m.due, status: m.status as ProjectRecord['milestones'][number]['status'] })),
      poolIds: row.pool_ids,
      approved: row.approved,
      local: row.local,
      createdAt: row.created_at,
      updatedAt: row.updated_at
    }
  }
}

/** Every option of the decision with its votes (zero included) and the number of voters. */
async function tallyOf (db: Queryable, decisionId: string): Promise<Tally> {
  const decision = (await db.query<{ options: string[], voters_count: number }>('SELECT options, voters_count FROM umbrella_decisions WHERE id = $1', [decisionId])).rows[0]
  const counts: Record<string, number> = {}
  for (const option of decision?.options ?? []) counts[option] = 0
  for (const row of (await db.query<{ choice: string, votes: number }>('SELECT choice, votes FROM umbrella_tallies WHERE decision_id = $1', [decisionId])).rows) {
    counts[row.choice] = row.votes
  }
  return { counts, votersCount: decision?.voters_count ?? 0 }
}

async function writeTally (tx: Queryable, decisionId: string, tally: Tally): Promise<void> {
  await tx.query('DELETE FROM umbrella_tallies WHERE decision_id = $1', [decisionId])
  for (const [choice, votes] of Object.entries(tally.counts)) {
    await tx.query('INSERT INTO umbrella_tallies (decision_id, choice, votes) VALUES ($1, $2, $3)', [decisionId, choice, votes])
  }
  await tx.query('UPDATE umbrella_decisions SET voters_count = $1 WHERE id = $2', [tally.votersCount, decisionId])
}

function fromCommitmentRow (row: CommitmentRow): CommitmentRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    memberId: row.member_id,
    hours: row.hours,
    amount: row.currency !== null && row.value !== null ? { type: 'MonetaryAmount', currency: row.currency, value: row.value } : null,
    note: row.note,
    createdAt: row.created_at
  }
}

function fromDecisionRow (row: DecisionRow): DecisionRecord {
  return {
    id: row.id,
    umbrellaId: row.umbrella_id,
    question: row.question,
    options: row.options,
    closesAt: row.closes_at,
    rule: row.rule as DecisionRecord['rule'],
    quorum: row.quorum as DecisionRecord['quorum'],
    action: row.action,
    status: row.status as DecisionRecord['status'],
    actionResult: row.action_result,
    local: row.local,
    createdAt: row.created_at,
    closedAt: row.closed_at
  }
}

function fromVoteRow (row: VoteRow): VoteRecord {
  return { decisionId: row.decision_id, voterId: row.voter_id, choice: row.choice, noteId: row.note_id, castAt: row.cast_at }
}
