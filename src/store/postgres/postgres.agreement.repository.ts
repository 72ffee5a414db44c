/**
 * Member-exchange agreements on PostgreSQL: the agreement, its parties in order and every
 * version with each party's decision, replaced together.
 */
import type { AgreementVersion } from '../../domain/member-exchange-agreement'
import type { AgreementRecord, AgreementRepository } from '../ports/agreement.port'
import type { PostgresDatabase, Queryable } from './postgres-database'

interface AgreementRow { id: string, status: string, active_version_id: string | null, pending_version_id: string | null, termination: AgreementRecord['termination'], updated_at: string }
interface VersionRow { id: string, seq: number, author: string, activity_id: string, kind: string, state: string, decisions: AgreementVersion['decisions'], doc: AgreementVersion['object'], created_at: string }

/** `AgreementRepository` on the hub's PostgreSQL database. */
export class PostgresAgreementRepository implements AgreementRepository {
  constructor (private readonly db: PostgresDatabase) {}

  async saveAgreement (a: AgreementRecord): Promise<void> {
    await this.db.transaction(async tx => { await writeAgreement(tx, a) })
  }

  async getAgreement (id: string): Promise<AgreementRecord | null> {
    const row = (await this.db.query<AgreementRow>('SELECT * FROM agreements WHERE id = $1', [id])).rows[0]
    return row ? await this.assemble(row) : null
  }

  async findByVersionOrActivity (iri: string): Promise<AgreementRecord | null> {
    const hit = (await this.db.query<{ agreement_id: string }>('SELECT agreement_id FROM agreement_versions WHERE id = $1 OR activity_id = $1 LIMIT 1', [iri])).rows[0]
    return hit ? await this.getAgreement(hit.agreement_id) : null
  }

  async listAgreements (filter: { party?: string } = {}): Promise<AgreementRecord[]> {
    const rows = filter.party === undefined
      ? await this.db.query<AgreementRow>('SELECT * FROM agreements ORDER BY updated_at COLLATE "C" DESC, id COLLATE "C"')
      : await this.db.query<AgreementRow>(`SELECT a.* FROM agreements a JOIN agreement_parties p ON p.agreement_id = a.id
          WHERE p.party = $1 ORDER BY a.updated_at COLLATE "C" DESC, a.id COLLATE "C"`, [filter.party])
    return await Promise.all(rows.rows.map(async r => await this.assemble(r)))
  }

  private async assemble (row: AgreementRow): Promise<AgreementRecord> {
    const parties = (await this.db.query<{ party: string }>('SELECT party FROM agreement_parties WHERE agreement_id = $1 ORDER BY position', [row.id])).rows.map(r => r.party)
    const versions = (await this.db.query<VersionRow>('SELECT * FROM agreement_versions WHERE agreement_id = $1 ORDER BY seq', [row.id])).rows.map(fromVersionRow)
    return {
      id: row.id,
      parties,
      status: row.status as AgreementRecord['status'],
      activeVersionId: row.active_version_id,
      pendingVersionId: row.pending_version_id,
      termination: row.termination,
      versions,
      updatedAt: row.updated_at
    }
  }
}

/** Replaces the whole agreement inside the caller's transaction (its own, or the outbox's). */
export async function writeAgreement (tx: Queryable, a: AgreementRecord): Promise<void> {
  await tx.query(`INSERT INTO agreements (id, status, active_version_id, pending_version_id, termination, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, active_version_id = excluded.active_version_id,
      pending_version_id = excluded.pending_version_id, termination = excluded.termination, updated_at = excluded.updated_at`,
  [a.id, a.status, a.activeVersionId, a.pendingVersionId, a.termination ? JSON.stringify(a.termination) : null, a.updatedAt])
  await tx.query('DELETE FROM agreement_parties WHERE agreement_id = $1', [a.id])
  for (const [position, party] of a.parties.entries()) {
    await tx.query('INSERT INTO agreement_parties (agreement_id, party, position) VALUES ($1, $2, $3)', [a.id, party, position])
  }
  await tx.query('DELETE FROM agreement_versions WHERE agreement_id = $1', [a.id])
  for (const [seq, v] of a.versions.entries()) {
    await tx.query(`INSERT INTO agreement_versions (id, agreement_id, seq, author, activity_id, kind, state, decisions, doc, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [v.id, a.id, seq, v.author, v.activityId, v.kind, v.state, JSON.stringify(v.decisions), JSON.stringify(v.object), v.createdAt])
  }
}

function fromVersionRow (row: VersionRow): AgreementVersion {
  return {
    id: row.id,
    author: row.author,
    activityId: row.activity_id,
    kind: row.kind as AgreementVersion['kind'],
    state: row.state as AgreementVersion['state'],
    decisions: row.decisions,
    object: row.doc,
    createdAt: row.created_at
  }
}
