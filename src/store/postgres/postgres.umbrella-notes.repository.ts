/**
 * Progress posts of shared projects and votes sent by local co-ops, on PostgreSQL.
 */
import type { ProgressPostRecord, SentVoteRecord, UmbrellaNotesRepository } from '../ports/umbrella-notes.port'
import type { PostgresDatabase } from './postgres-database'

interface PostRow { id: string, project_id: string, umbrella_id: string, content: string, published: string }
interface SentVoteRow { note_id: string, decision_id: string, voter_id: string, choice: string, sent_at: string, refused_reason: string | null }

/** `UmbrellaNotesRepository` on the hub's PostgreSQL database. */
export class PostgresUmbrellaNotesRepository implements UmbrellaNotesRepository {
  constructor (private readonly db: PostgresDatabase) {}

  async saveProgressPost (post: ProgressPostRecord): Promise<void> {
    await this.db.query(`INSERT INTO umbrella_progress_posts (id, project_id, umbrella_id, content, published) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (id) DO UPDATE SET content = excluded.content`, [post.id, post.projectId, post.umbrellaId, post.content, post.published])
  }

  async listProgressPosts (projectId: string): Promise<ProgressPostRecord[]> {
    const rows = await this.db.query<PostRow>('SELECT * FROM umbrella_progress_posts WHERE project_id = $1 ORDER BY published COLLATE "C", id COLLATE "C"', [projectId])
    return rows.rows.map(r => ({ id: r.id, projectId: r.project_id, umbrellaId: r.umbrella_id, content: r.content, published: r.published }))
  }

  async saveSentVote (v: SentVoteRecord): Promise<void> {
    await this.db.query(`INSERT INTO umbrella_sent_votes (note_id, decision_id, voter_id, choice, sent_at, refused_reason)
      VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (note_id) DO NOTHING`, [v.noteId, v.decisionId, v.voterId, v.choice, v.sentAt, v.refusedReason])
  }

  async refuseSentVote (noteId: string, voterId: string, reason: string): Promise<boolean> {
    return ((await this.db.query('UPDATE umbrella_sent_votes SET refused_reason = $1 WHERE note_id = $2 AND voter_id = $3', [reason, noteId, voterId])).rowCount ?? 0) > 0
  }

  async listSentVotes (voterId: string): Promise<SentVoteRecord[]> {
    const rows = await this.db.query<SentVoteRow>('SELECT * FROM umbrella_sent_votes WHERE voter_id = $1 ORDER BY sent_at COLLATE "C" DESC, note_id COLLATE "C"', [voterId])
    return rows.rows.map(r => ({ noteId: r.note_id, decisionId: r.decision_id, voterId: r.voter_id, choice: r.choice, sentAt: r.sent_at, refusedReason: r.refused_reason }))
  }
}
