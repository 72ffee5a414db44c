import type Database from 'better-sqlite3'
import type { ProgressPostRecord, SentVoteRecord, UmbrellaNotesRepository } from '../ports/umbrella-notes.port'

interface PostRow { id: string, project_id: string, umbrella_id: string, content: string, published: string }
interface SentVoteRow { note_id: string, decision_id: string, voter_id: string, choice: string, sent_at: string, refused_reason: string | null }

/** `UmbrellaNotesRepository` on the hub's SQLite database (tables from migration 13). */
export class SqliteUmbrellaNotesRepository implements UmbrellaNotesRepository {
  constructor (private readonly db: Database.Database) {}

  async saveProgressPost (post: ProgressPostRecord): Promise<void> {
    this.db.prepare(`INSERT INTO umbrella_progress_posts (id, project_id, umbrella_id, content, published) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET content = excluded.content`).run(post.id, post.projectId, post.umbrellaId, post.content, post.published)
  }

  async listProgressPosts (projectId: string): Promise<ProgressPostRecord[]> {
    return this.db.prepare<[string], PostRow>('SELECT * FROM umbrella_progress_posts WHERE project_id = ? ORDER BY published, id').all(projectId)
      .map(r => ({ id: r.id, projectId: r.project_id, umbrellaId: r.umbrella_id, content: r.content, published: r.published }))
  }

  async saveSentVote (v: SentVoteRecord): Promise<void> {
    this.db.prepare(`INSERT INTO umbrella_sent_votes (note_id, decision_id, voter_id, choice, sent_at, refused_reason)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(note_id) DO NOTHING`).run(v.noteId, v.decisionId, v.voterId, v.choice, v.sentAt, v.refusedReason)
  }

  async refuseSentVote (noteId: string, voterId: string, reason: string): Promise<boolean> {
    return this.db.prepare('UPDATE umbrella_sent_votes SET refused_reason = ? WHERE note_id = ? AND voter_id = ?').run(reason, noteId, voterId).changes > 0
  }

  async listSentVotes (voterId: string): Promise<SentVoteRecord[]> {
    return this.db.prepare<[string], SentVoteRow>('SELECT * FROM umbrella_sent_votes WHERE voter_id = ? ORDER BY sent_at DESC, note_id').all(voterId)
      .map(r => ({ noteId: r.note_id, decisionId: r.decision_id, voterId: r.voter_id, choice: r.choice, sentAt: r.sent_at, refusedReason: r.refused_reason }))
  }
}
