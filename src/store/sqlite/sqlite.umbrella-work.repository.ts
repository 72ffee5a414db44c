import type Database from 'better-sqlite3'
import type { DecisionOutcome } from '../../domain/umbrella/decision'
import type {
  AllocationRecord, CastVoteResult, CommitmentFilter, CommitmentRecord, DecisionRecord, ProjectRecord, Tally, UmbrellaWorkRepository, VoteRecord
} from '../ports/umbrella-work.port'

interface ProjectRow {
  id: string, umbrella_id: string, project_key: string, name: string, summary: string, upstream: string | null,
  pool_ids: string, approved: number, local: number, created_at: string, updated_at: string
}
interface MilestoneRow { project_id: string, position: number, name: string, due: string | null, status: string }
interface CommitmentRow {
  id: string, project_id: string, member_id: string, hours: string | null, currency: string | null, value: string | null, note: string | null, created_at: string
}
interface DecisionRow {
  id: string, umbrella_id: string, question: string, options: string, closes_at: string, rule: string, quorum: string, action: string | null,
  status: string, action_result: string | null, local: number, voters_count: number, created_at: string, closed_at: string | null
}
interface VoteRow { decision_id: string, voter_id: string, choice: string, note_id: string, cast_at: string }
interface AllocationRow { decision_id: string, pool_id: string, project_id: string, currency: string, value: string, allocated_at: string }

/** `UmbrellaWorkRepository` on the hub's SQLite database (tables from migration 12). */
export class SqliteUmbrellaWorkRepository implements UmbrellaWorkRepository {
  constructor (private readonly db: Database.Database) {}

  async saveProject (project: ProjectRecord): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO umbrella_projects (id, umbrella_id, project_key, name, summary, upstream, pool_ids, approved, local, created_at, updated_at)
        VALUES (@id, @umbrella_id, @project_key, @name, @summary, @upstream, @pool_ids, @approved, @local, @created_at, @updated_at)
        ON CONFLICT(id) DO UPDATE SET name = excluded.name, summary = excluded.summary, upstream = excluded.upstream, pool_ids = excluded.pool_ids,
          approved = excluded.approved, local = excluded.local, updated_at = excluded.updated_at`).run(projectRow(project))
      this.db.prepare('DELETE FROM umbrella_milestones WHERE project_id = ?').run(project.id)
      const insert = this.db.prepare('INSERT INTO umbrella_milestones (project_id, position, name, due, status) VALUES (?, ?, ?, ?, ?)')
      project.milestones.forEach((m, i) => insert.run(project.id, i, m.name, m.due, m.status))
    })()
  }

  async getProject (id: string): Promise<ProjectRecord | null> {
    const row = this.db.prepare<[string], ProjectRow>('SELECT * FROM umbrella_projects WHERE id = ?').get(id)
    return row ? this.fromProjectRow(row) : null
  }

  async listProjects (umbrellaId: string): Promise<ProjectRecord[]> {
    return this.db.prepare<[string], ProjectRow>('SELECT * FROM umbrella_projects WHERE umbrella_id = ? ORDER BY created_at, id')
      .all(umbrellaId).map(row => this.fromProjectRow(row))
  }

  async approveProject (id: string, at: string): Promise<boolean> {
    return this.db.prepare('UPDATE umbrella_projects SET approved = 1, updated_at = ? WHERE id = ?').run(at, id).changes > 0
  }

  async saveCommitment (c: CommitmentRecord): Promise<boolean> {
    return this.db.prepare(`INSERT INTO umbrella_commitments (id, project_id, member_id, hours, currency, value, note, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`)
      .run(c.id, c.projectId, c.memberId, c.hours, c.amount?.currency ?? null, c.amount?.value ?? null, c.note, c.createdAt).changes > 0
  }

  async listCommitments (filter: CommitmentFilter): Promise<CommitmentRecord[]> {
    const where: string[] = []
    const params: Record<string, unknown> = {}
    if (filter.projectId !== undefined) { where.push('project_id = @project'); params.project = filter.projectId }
    if (filter.memberId !== undefined) { where.push('member_id = @member'); params.member = filter.memberId }
    const sql = `SELECT * FROM umbrella_commitments ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`
    return this.db.prepare<Record<string, unknown>, CommitmentRow>(sql).all(params).map(fromCommitmentRow)
  }

  async saveDecision (d: DecisionRecord): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO umbrella_decisions (id, umbrella_id, question, options, closes_at, rule, quorum, action, status, action_result, local, created_at, closed_at)
        VALUES (@id, @umbrella_id, @question, @options, @closes_at, @rule, @quorum, @action, @status, @action_result, @local, @created_at, @closed_at)
        ON CONFLICT(id) DO UPDATE SET question = excluded.question, options = excluded.options, closes_at = excluded.closes_at, rule = excluded.rule,
          quorum = excluded.quorum, action = excluded.action, status = excluded.status, action_result = excluded.action_result,
          local = excluded.local, closed_at = excluded.closed_at`).run({
        id: d.id, umbrella_id: d.umbrellaId, question: d.question, options: JSON.stringify(d.options), closes_at: d.closesAt, rule: d.rule,
        quorum: d.quorum, action: d.action ? JSON.stringify(d.action) : null, status: d.status, action_result: d.actionResult,
        local: d.local ? 1 : 0, created_at: d.createdAt, closed_at: d.closedAt
      })
      const insert = this.db.prepare('INSERT INTO umbrella_tallies (decision_id, choice, votes) VALUES (?, ?, 0) ON CONFLICT DO NOTHING')
      for (const option of d.options) insert.run(d.id, option)
    })()
  }

  async getDecision (id: string): Promise<DecisionRecord | null> {
    const row = this.db.prepare<[string], DecisionRow>('SELECT * FROM umbrella_decisions WHERE id = ?').get(id)
    return row ? fromDecisionRow(row) : null
  }

  async listDecisions (umbrellaId: string): Promise<DecisionRecord[]> {
    return this.db.prepare<[string], DecisionRow>('SELECT * FROM umbrella_decisions WHERE umbrella_id = ? ORDER BY created_at DESC, id')
      .all(umbrellaId).map(fromDecisionRow)
  }

  async listDueDecisions (now: string): Promise<DecisionRecord[]> {
    return this.db.prepare<[string], DecisionRow>(`SELECT * FROM umbrella_decisions WHERE status = 'open' AND local = 1 AND closes_at <= ?
      ORDER BY closes_at, id`).all(now).map(fromDecisionRow)
  }

  async castVote (vote: VoteRecord): Promise<CastVoteResult> {
    // The check of the status, the vote and the tally change are one transaction: a vote and a
    // close racing each other never leave a tally that disagrees with the votes.
    return this.db.transaction((): CastVoteResult => {
      const decision = this.db.prepare<[string], { status: string }>('SELECT status FROM umbrella_decisions WHERE id = ?').get(vote.decisionId)
      if (!decision) return { counted: false, reason: 'unknown-decision' }
      if (decision.status !== 'open') return { counted: false, reason: 'closed' }
      const previousRow = this.db.prepare<[string, string], VoteRow>('SELECT * FROM umbrella_votes WHERE decision_id = ? AND voter_id = ?').get(vote.decisionId, vote.voterId)
      const change = this.db.prepare(`INSERT INTO umbrella_tallies (decision_id, choice, votes) VALUES (?, ?, ?)
        ON CONFLICT(decision_id, choice) DO UPDATE SET votes = votes + excluded.votes`)
      if (previousRow) change.run(vote.decisionId, previousRow.choice, -1)
      else this.db.prepare('UPDATE umbrella_decisions SET voters_count = voters_count + 1 WHERE id = ?').run(vote.decisionId)
      change.run(vote.decisionId, vote.choice, 1)
      this.db.prepare(`INSERT INTO umbrella_votes (decision_id, voter_id, choice, note_id, cast_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(decision_id, voter_id) DO UPDATE SET choice = excluded.choice, note_id = excluded.note_id, cast_at = excluded.cast_at`)
        .run(vote.decisionId, vote.voterId, vote.choice, vote.noteId, vote.castAt)
      return { counted: true, previous: previousRow ? fromVoteRow(previousRow) : null, tally: this.tally(vote.decisionId) }
    }).immediate()
  }

  async listVotes (decisionId: string): Promise<VoteRecord[]> {
    return this.db.prepare<[string], VoteRow>('SELECT * FROM umbrella_votes WHERE decision_id = ? ORDER BY cast_at, voter_id').all(decisionId).map(fromVoteRow)
  }

  async getTally (decisionId: string): Promise<Tally> {
    return this.tally(decisionId)
  }

  async replaceTally (decisionId: string, tally: Tally): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM umbrella_tallies WHERE decision_id = ?').run(decisionId)
      const insert = this.db.prepare('INSERT INTO umbrella_tallies (decision_id, choice, votes) VALUES (?, ?, ?)')
      for (const [choice, votes] of Object.entries(tally.counts)) insert.run(decisionId, choice, votes)
      this.db.prepare('UPDATE umbrella_decisions SET voters_count = ? WHERE id = ?').run(tally.votersCount, decisionId)
    })()
  }

  async closeDecision (id: string, outcome: DecisionOutcome, tally: Tally, closedAt: string): Promise<boolean> {
    return this.db.transaction(() => {
      const closed = this.db.prepare(`UPDATE umbrella_decisions SET status = ?, closed_at = ? WHERE id = ? AND status = 'open'`).run(outcome, closedAt, id).changes > 0
      if (!closed) return false
      this.db.prepare('DELETE FROM umbrella_tallies WHERE decision_id = ?').run(id)
      const insert = this.db.prepare('INSERT INTO umbrella_tallies (decision_id, choice, votes) VALUES (?, ?, ?)')
      for (const [choice, votes] of Object.entries(tally.counts)) insert.run(id, choice, votes)
      this.db.prepare('UPDATE umbrella_decisions SET voters_count = ? WHERE id = ?').run(tally.votersCount, id)
      return true
    }).immediate()
  }

  async setActionResult (id: string, result: string): Promise<void> {
    this.db.prepare('UPDATE umbrella_decisions SET action_result = ? WHERE id = ?').run(result, id)
  }

  async saveAllocation (a: AllocationRecord): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO umbrella_allocations (decision_id, pool_id, project_id, currency, value, allocated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(a.decisionId, a.poolId, a.projectId, a.amount.currency, a.amount.value, a.allocatedAt)
      this.db.prepare(`UPDATE umbrella_decisions SET action_result = 'applied' WHERE id = ?`).run(a.decisionId)
    })()
  }

  async listAllocations (filter: { poolId?: string, projectId?: string }): Promise<AllocationRecord[]> {
    const where: string[] = []
    const params: Record<string, unknown> = {}
    if (filter.poolId !== undefined) { where.push('pool_id = @pool'); params.pool = filter.poolId }
    if (filter.projectId !== undefined) { where.push('project_id = @project'); params.project = filter.projectId }
    const sql = `SELECT * FROM umbrella_allocations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY allocated_at, decision_id`
    return this.db.prepare<Record<string, unknown>, AllocationRow>(sql).all(params).map(row => ({
      decisionId: row.decision_id, poolId: row.pool_id, projectId: row.project_id,
      amount: { type: 'MonetaryAmount', currency: row.currency, value: row.value }, allocatedAt: row.allocated_at
    }))
  }

  private tally (decisionId: string): Tally {
    const decision = this.db.prepare<[string], { options: string, voters_count: number }>('SELECT options, voters_count FROM umbrella_decisions WHERE id = ?').get(decisionId)
    const counts: Record<string, number> = {}
    for (const option of decision ? JSON.parse(decision.options) as string[] : []) counts[option] = 0
    for (const row of this.db.prepare<[string], { choice: string, votes: number }>('SELECT choice, votes FROM umbrella_tallies WHERE decision_id = ?').all(decisionId)) {
      counts[row.choice] = row.votes
    }
    return { counts, votersCount: decision?.voters_count ?? 0 }
  }

  private fromProjectRow (row: ProjectRow): ProjectRecord {
    const milestones = this.db.prepare<[string], MilestoneRow>('SELECT * FROM umbrella_milestones WHERE project_id = ? ORDER BY position').all(row.id)
    return {
      id: row.id,
      umbrellaId: row.umbrella_id,
      key: row.project_key,
      name: row.name,
      summary: row.summary,
      upstream: row.upstream === null ? null : JSON.parse(row.upstream),
      milestones: milestones.map(m => ({ name: m.name, due: m.due, status: m.status as ProjectRecord['milestones'][number]['status'] })),
      poolIds: JSON.parse(row.pool_ids),
      approved: row.approved === 1,
      local: row.local === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at
    }
  }
}

function projectRow (p: ProjectRecord): ProjectRow {
  return {
    id: p.id, umbrella_id: p.umbrellaId, project_key: p.key, name: p.name, summary: p.summary,
    upstream: p.upstream ? JSON.stringify(p.upstream) : null, pool_ids: JSON.stringify(p.poolIds),
    approved: p.approved ? 1 : 0, local: p.local ? 1 : 0, created_at: p.createdAt, updated_at: p.updatedAt
  }
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
    options: JSON.parse(row.options),
    closesAt: row.closes_at,
    rule: row.rule as DecisionRecord['rule'],
    quorum: row.quorum,
    action: row.action === null ? null : JSON.parse(row.action),
    status: row.status as DecisionRecord['status'],
    actionResult: row.action_result,
    local: row.local === 1,
    createdAt: row.created_at,
    closedAt: row.closed_at
  }
}

function fromVoteRow (row: VoteRow): VoteRecord {
  return { decisionId: row.decision_id, voterId: row.voter_id, choice: row.choice, noteId: row.note_id, castAt: row.cast_at }
}
