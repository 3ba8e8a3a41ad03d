import type { Migration } from './migrations';

/**
 * The searchable text of a message's tool calls (issue 15), from its tool_calls JSON: per call its name, the
 * arguments as written and as run, its error, and the text of its result (text parts, a resource's text or uri;
 * never image or audio data), one line each. Frozen here as the migration wrote it; SearchRepo reads the same
 * fields back for snippets.
 */
function toolCallsText(column: string): string {
  return `CASE WHEN ${column} = '[]' OR NOT json_valid(${column}) THEN NULL ELSE (
    SELECT group_concat(node.atom, char(10) ORDER BY node.id) FROM json_tree(${column}) AS node
    WHERE node.type = 'text' AND (
      (node.key IN ('name', 'arguments', 'runArguments') AND node.path GLOB '$[[]*]' AND node.path NOT GLOB '*.*')
      OR (node.key = 'message' AND node.path GLOB '$[[]*].error')
      OR (node.key IN ('text', 'uri') AND node.path GLOB '$[[]*].result.content[[]*]')
    )
  ) END`;
}

/**
 * Fills both indexes from the stored messages; replies still streaming stay out (the rule of migration 7).
 * SearchRepo.rebuild runs it too, so a later migration that changes these indexes changes it there.
 */
export const FILL_SEARCH_INDEXES = `
  INSERT INTO messages_fts (messages_fts) VALUES ('delete-all');
  INSERT INTO messages_words_fts (messages_words_fts) VALUES ('delete-all');
  INSERT INTO messages_fts (rowid, text, tools)
    SELECT seq, text, ${toolCallsText('tool_calls')} FROM messages WHERE status <> 'streaming';
  INSERT INTO messages_words_fts (rowid, text, tools)
    SELECT seq, text, ${toolCallsText('tool_calls')} FROM messages WHERE status <> 'streaming';
`;

/**
 * Keyword search finds words in tool calls and their results too, and finds whole words fast on a big history.
 * Two contentless indexes of each message's text and its tool calls' text, kept by triggers with migration 7's
 * rule (a message is in them exactly when its status is not 'streaming'):
 * - messages_fts (trigram) finds any substring of 3+ characters, in any script;
 * - messages_words_fts (unicode61, rowids only) finds whole words: a rare word's few rows are read there without
 *   walking the long lists of its common trigrams (SearchRepo asks it first).
 * Contentless (with delete) because FTS5 cannot read a view that uses json_tree as its content, and so that a
 * delete needs no old values. Both are filled here for every stored message.
 */
export const migration011SearchToolCalls: Migration = {
  version: 11,
  name: 'search tool calls and results, and whole words',
  up: (db) => {
    const tools = (row: string) => toolCallsText(`${row}.tool_calls`);
    db.exec(`
      DROP TRIGGER IF EXISTS messages_fts_after_insert;
      DROP TRIGGER IF EXISTS messages_fts_after_delete;
      DROP TRIGGER IF EXISTS messages_fts_after_update;
      DROP TABLE messages_fts;

      CREATE VIRTUAL TABLE messages_fts USING fts5(
        text, tools, content = '', contentless_delete = 1, tokenize = 'trigram'
      );
      CREATE VIRTUAL TABLE messages_words_fts USING fts5(
        text, tools, content = '', contentless_delete = 1, detail = none,
        tokenize = 'unicode61 remove_diacritics 0'
      );
      ${FILL_SEARCH_INDEXES}

      CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages
      WHEN new.status <> 'streaming' BEGIN
        INSERT INTO messages_fts (rowid, text, tools) VALUES (new.seq, new.text, ${tools('new')});
        INSERT INTO messages_words_fts (rowid, text, tools) VALUES (new.seq, new.text, ${tools('new')});
      END;
      CREATE TRIGGER messages_fts_after_delete AFTER DELETE ON messages
      WHEN old.status <> 'streaming' BEGIN
        DELETE FROM messages_fts WHERE rowid = old.seq;
        DELETE FROM messages_words_fts WHERE rowid = old.seq;
      END;
      CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF text, tool_calls, status ON messages
      WHEN (old.status <> 'streaming' OR new.status <> 'streaming')
        AND (old.text IS NOT new.text OR old.tool_calls IS NOT new.tool_calls OR old.status IS NOT new.status) BEGIN
        DELETE FROM messages_fts WHERE rowid = old.seq AND old.status <> 'streaming';
        DELETE FROM messages_words_fts WHERE rowid = old.seq AND old.status <> 'streaming';
        INSERT INTO messages_fts (rowid, text, tools)
          SELECT new.seq, new.text, ${tools('new')} WHERE new.status <> 'streaming';
        INSERT INTO messages_words_fts (rowid, text, tools)
          SELECT new.seq, new.text, ${tools('new')} WHERE new.status <> 'streaming';
      END;
    `);
  },
};
