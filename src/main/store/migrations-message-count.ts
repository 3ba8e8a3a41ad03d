import type { Migration } from './migrations';

/**
 * Each conversation keeps its number of messages, kept by triggers, so the conversation list is one scan of the
 * conversations (counting on every start walked every message's index entry: 1M on a big history).
 */
export const migration010MessageCount: Migration = {
  version: 10,
  name: 'message count on each conversation',
  up: (db) => {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
      UPDATE conversations SET message_count =
        (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = conversations.id);

      CREATE TRIGGER conversations_count_after_insert AFTER INSERT ON messages BEGIN
        UPDATE conversations SET message_count = message_count + 1 WHERE id = new.conversation_id;
      END;
      CREATE TRIGGER conversations_count_after_delete AFTER DELETE ON messages BEGIN
        UPDATE conversations SET message_count = message_count - 1 WHERE id = old.conversation_id;
      END;
    `);
  },
};
