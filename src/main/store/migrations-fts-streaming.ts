import type { Migration } from './migrations';

/**
 * A reply is indexed for keyword search once it stops streaming, not on every flush of its growing text
 * (each flush used to delete and re-insert the whole reply in messages_fts). The rule the triggers keep:
 * a message is in messages_fts exactly when its status is not 'streaming'.
 */
export const migration007FtsAfterStreaming: Migration = {
  version: 7,
  name: 'index replies when they stop streaming',
  up: (db) => {
    db.exec(`
      DROP TRIGGER IF EXISTS messages_fts_after_insert;
      DROP TRIGGER IF EXISTS messages_fts_after_delete;
      DROP TRIGGER IF EXISTS messages_fts_after_update;

      -- Rows streaming now were indexed by the old triggers; take them out so the rule holds.
      INSERT INTO messages_fts (messages_fts, rowid, text)
        SELECT 'delete', seq, text FROM messages WHERE status = 'streaming';

      CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages
      WHEN new.status <> 'streaming' BEGIN
        INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
      END;
      CREATE TRIGGER messages_fts_after_delete AFTER DELETE ON messages
      WHEN old.status <> 'streaming' BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
      END;
      CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF text, status ON messages
      WHEN (old.status <> 'streaming' OR new.status <> 'streaming')
        AND (old.text IS NOT new.text OR old.status IS NOT new.status) BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text)
          SELECT 'delete', old.seq, old.text WHERE old.status <> 'streaming';
        INSERT INTO messages_fts (rowid, text)
          SELECT new.seq, new.text WHERE new.status <> 'streaming';
      END;
    `);
  },
};
