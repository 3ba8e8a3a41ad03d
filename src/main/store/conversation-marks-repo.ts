import { createHash } from 'node:crypto';
import type { Db } from './database';
import { StatementCache } from './statement-cache';

/**
 * What tells that another process (the CLI, a second HubDesk) wrote to the database file, and which conversations
 * it changed: SQLite's `data_version`, which moves only with other connections' commits, and a mark per
 * conversation of everything a window shows of it (its own fields, how many messages, which replies are streaming).
 */
export class ConversationMarksRepo {
  private readonly statements: StatementCache;

  constructor(private readonly db: Db) {
    this.statements = new StatementCache(db);
  }

  /** Changes when another connection committed since this one last looked. */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** Conversation id → a digest of what is shown of it; the bin's conversations too (a restore changes them). */
  marks(): Map<string, string> {
    const rows = this.statements
      .get(
        `SELECT c.id, json_array(c.title, c.pinned, c.model, c.api, c.system_prompt, c.params, c.active_leaf_id,
           c.updated_at, c.deleted_at, c.message_count,
           (SELECT group_concat(m.id) FROM messages m WHERE m.status = 'streaming' AND m.conversation_id = c.id)
         ) AS shown
         FROM conversations c`,
      )
      .all() as { id: string; shown: string }[];
    return new Map(rows.map((row) => [row.id, createHash('sha1').update(row.shown).digest('base64')]));
  }
}
