import type { Migration } from './migration'

/** Migration 4: federation safety: domain blocks, inbox journal, delivery ordering and hosts. */
export const migrationFederationSafety: Migration = {
  version: 4,
  name: 'federation safety: domain blocks, inbox journal, delivery ordering and hosts',
  up (db) {
    db.exec(`
      -- domains the admin refuses to federate with (host, or host:port for one origin)
      CREATE TABLE domain_blocks (
        domain TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      -- received activities whose handlers have not finished, per local recipient
      CREATE TABLE inbox_journal (
        activity_id TEXT NOT NULL,
        recipient_id TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (activity_id, recipient_id)
      );
      CREATE INDEX inbox_journal_received ON inbox_journal(received_at);

      -- deliveries of one object to one inbox leave in the order queued; host groups the admin view
      ALTER TABLE deliveries ADD COLUMN ordering_key TEXT;
      ALTER TABLE deliveries ADD COLUMN host TEXT;
      CREATE INDEX deliveries_ordering ON deliveries(ordering_key, address, id);
      CREATE INDEX deliveries_host ON deliveries(host);
      ALTER TABLE delivery_failures ADD COLUMN host TEXT;
      CREATE INDEX delivery_failures_host ON delivery_failures(host);
    `)
    // Rows queued before this version get their host from their address.
    const hostOf = (address: string): string | null => { try { return new URL(address).host.toLowerCase() } catch { return null } }
    for (const table of ['deliveries', 'delivery_failures']) {
      const rows = db.prepare<[], { id: number, address: string }>(`SELECT id, address FROM ${table}`).all()
      const set = db.prepare<[string | null, number]>(`UPDATE ${table} SET host = ? WHERE id = ?`)
      for (const row of rows) set.run(hostOf(row.address), row.id)
    }
  }
}
