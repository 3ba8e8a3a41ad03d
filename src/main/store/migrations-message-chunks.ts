import type { Migration } from './migrations';

/**
 * What a streaming reply gained since its last flush, appended as one row per flush (issue 16): a flush writes
 * the new text (and reasoning), deflated, not the whole reply again. The chunks of a reply are folded into messages.text when it finishes
 * or, after a crash, when start-up marks it interrupted; only replies still streaming have rows here.
 */
export const migration012MessageChunks: Migration = {
  version: 12,
  name: 'streamed text appended in chunks',
  up: (db) => {
    db.exec(`CREATE TABLE message_chunks (
      seq INTEGER PRIMARY KEY,
      message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      text BLOB NOT NULL,
      reasoning BLOB NOT NULL
    )`);
  },
};
