import type { Migration } from './migration'

/** What a trigger adds to a stamp: one statement, so every trigger below reads alike. */
const bump = (name: string): string => `UPDATE change_stamps SET value = value + 1 WHERE name = '${name}';`

/**
 * Migration 20: change stamps. A counter per kind of row the hub keeps parsed in memory
 * (`HubStore.changeStamps`), moved by triggers on every write that can change what such a read
 * answers, by any connection of any process: `documents` on any write to `objects`, and on a
 * received activity's document changed or removed (`getObject` also answers an object held only
 * inside a received Create); `domain_blocks` on any write to the blocks. A reader that kept a
 * value with the stamp it read first knows it is still current while the stamp is unchanged.
 */
export const migrationChangeStamps: Migration = {
  version: 20,
  name: 'change stamps for what the hub keeps parsed',
  up (db) {
    db.exec(`
      CREATE TABLE change_stamps (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO change_stamps (name, value) VALUES ('documents', 0), ('domain_blocks', 0);
      CREATE TRIGGER objects_stamped_insert AFTER INSERT ON objects BEGIN ${bump('documents')} END;
      CREATE TRIGGER objects_stamped_update AFTER UPDATE ON objects BEGIN ${bump('documents')} END;
      CREATE TRIGGER objects_stamped_delete AFTER DELETE ON objects BEGIN ${bump('documents')} END;
      CREATE TRIGGER streams_stamped_update AFTER UPDATE OF doc ON streams BEGIN ${bump('documents')} END;
      CREATE TRIGGER streams_stamped_delete AFTER DELETE ON streams BEGIN ${bump('documents')} END;
      CREATE TRIGGER domain_blocks_stamped_insert AFTER INSERT ON domain_blocks BEGIN ${bump('domain_blocks')} END;
      CREATE TRIGGER domain_blocks_stamped_update AFTER UPDATE ON domain_blocks BEGIN ${bump('domain_blocks')} END;
      CREATE TRIGGER domain_blocks_stamped_delete AFTER DELETE ON domain_blocks BEGIN ${bump('domain_blocks')} END;
    `)
  }
}
