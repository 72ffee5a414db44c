import Database from 'better-sqlite3'
import { copiedTables } from '../../src/store/transfer/hub-database'

describe('the order a copy writes tables in', () => {
  it('puts a table a trigger writes to after the table the trigger is on, whatever was created first', () => {
    const db = new Database(':memory:')
    db.exec(`
      CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY);
      CREATE TABLE counts (name TEXT PRIMARY KEY, total INTEGER NOT NULL);
      CREATE TABLE notes (id TEXT PRIMARY KEY);
      CREATE TABLE members (list TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (list, id)) WITHOUT ROWID;
      CREATE TRIGGER members_counted AFTER INSERT ON members BEGIN
        INSERT INTO counts (name, total) VALUES (NEW.list, 1) ON CONFLICT (name) DO UPDATE SET total = total + 1;
      END;
      CREATE TRIGGER notes_touched AFTER UPDATE ON notes BEGIN
        UPDATE "members" SET id = NEW.id WHERE id = OLD.id;
      END;
      CREATE TABLE hub_processes (id TEXT PRIMARY KEY);
    `)
    expect(copiedTables(db)).toEqual(['notes', 'members', 'counts'])
    db.close()
  })
})
