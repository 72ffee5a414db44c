import type Database from 'better-sqlite3'
import type { AgreementVersion } from '../../domain/member-exchange-agreement'
import type { AgreementRecord, AgreementRepository } from '../ports/agreement.port'

interface AgreementRow { id: string, status: string, active_version_id: string | null, pending_version_id: string | null, termination: string | null, updated_at: string }
interface VersionRow { id: string, agreement_id: string, seq: number, author: string, activity_id: string, kind: string, state: string, decisions: string, doc: string, created_at: string }

/** `AgreementRepository` on the hub's SQLite database (tables from migration 2). */
export class SqliteAgreementRepository implements AgreementRepository {
  constructor (private readonly db: Database.Database) {}

  async saveAgreement (a: AgreementRecord): Promise<void> {
    this.writeAgreement(a)
  }

  /** `saveAgreement`, synchronously: inside the caller's transaction when there is one (the outbox's). */
  writeAgreement (a: AgreementRecord): void {
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO agreements (id, status, active_version_id, pending_version_id, termination, updated_at)
        VALUES (@id, @status, @active_version_id, @pending_version_id, @termination, @updated_at)
        ON CONFLICT(id) DO UPDATE SET status = excluded.status, active_version_id = excluded.active_version_id,
          pending_version_id = excluded.pending_version_id, termination = excluded.termination, updated_at = excluded.updated_at`).run({
        id: a.id,
        status: a.status,
        active_version_id: a.activeVersionId,
        pending_version_id: a.pendingVersionId,
        termination: a.termination ? JSON.stringify(a.termination) : null,
        updated_at: a.updatedAt
      })
      this.db.prepare('DELETE FROM agreement_parties WHERE agreement_id = ?').run(a.id)
      const party = this.db.prepare('INSERT INTO agreement_parties (agreement_id, party) VALUES (?, ?)')
      for (const p of a.parties) party.run(a.id, p)
      this.db.prepare('DELETE FROM agreement_versions WHERE agreement_id = ?').run(a.id)
      const version = this.db.prepare(`INSERT INTO agreement_versions (id, agreement_id, seq, author, activity_id, kind, state, decisions, doc, created_at)
        VALUES (@id, @agreement_id, @seq, @author, @activity_id, @kind, @state, @decisions, @doc, @created_at)`)
      a.versions.forEach((v, seq) => version.run({
        id: v.id, agreement_id: a.id, seq, author: v.author, activity_id: v.activityId, kind: v.kind, state: v.state,
        decisions: JSON.stringify(v.decisions), doc: JSON.stringify(v.object), created_at: v.createdAt
      }))
    })()
  }

  async getAgreement (id: string): Promise<AgreementRecord | null> {
    const row = this.db.prepare<[string], AgreementRow>('SELECT * FROM agreements WHERE id = ?').get(id)
    return row ? this.assemble(row) : null
  }

  async findByVersionOrActivity (iri: string): Promise<AgreementRecord | null> {
    const hit = this.db.prepare<[string, string], { agreement_id: string }>('SELECT agreement_id FROM agreement_versions WHERE id = ? OR activity_id = ? LIMIT 1').get(iri, iri)
    return hit ? await this.getAgreement(hit.agreement_id) : null
  }

  async listAgreements (filter: { party?: string } = {}): Promise<AgreementRecord[]> {
    const rows = filter.party === undefined
      ? this.db.prepare<[], AgreementRow>('SELECT * FROM agreements ORDER BY updated_at DESC, id').all()
      : this.db.prepare<[string], AgreementRow>(`SELECT a.* FROM agreements a JOIN agreement_parties p ON p.agreement_id = a.id
          WHERE p.party = ? ORDER BY a.updated_at DESC, a.id`).all(filter.party)
    return rows.map(r => this.assemble(r))
  }

  private assemble (row: AgreementRow): AgreementRecord {
    const parties = this.db.prepare<[string], { party: string }>('SELECT party FROM agreement_parties WHERE agreement_id = ? ORDER BY rowid').all(row.id).map(r => r.party)
    const versions = this.db.prepare<[string], VersionRow>('SELECT * FROM agreement_versions WHERE agreement_id = ? ORDER BY seq').all(row.id).map(fromVersionRow)
    return {
      id: row.id,
      parties,
      status: row.status as AgreementRecord['status'],
      activeVersionId: row.active_version_id,
      pendingVersionId: row.pending_version_id,
      termination: row.termination ? JSON.parse(row.termination) : null,
      versions,
      updatedAt: row.updated_at
    }
  }
}

function fromVersionRow (row: VersionRow): AgreementVersion {
  return {
    id: row.id,
    author: row.author,
    activityId: row.activity_id,
    kind: row.kind as AgreementVersion['kind'],
    state: row.state as AgreementVersion['state'],
    decisions: JSON.parse(row.decisions),
    object: JSON.parse(row.doc),
    createdAt: row.created_at
  }
}
