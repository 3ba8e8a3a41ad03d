import type { Db } from './database';

/** Unsent prompt text per conversation id (also for a conversation not created yet). */
export class DraftsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The draft, or '' when there is none. */
  get(conversationId: string): string {
    const row = this.db.prepare('SELECT text FROM drafts WHERE conversation_id = ?').get(conversationId) as
      | { text: string }
      | undefined;
    return row?.text ?? '';
  }

  /** Saving '' removes the draft. */
  set(conversationId: string, text: string): void {
    if (text === '') {
      this.db.prepare('DELETE FROM drafts WHERE conversation_id = ?').run(conversationId);
      return;
    }
    this.db
      .prepare(
        `INSERT INTO drafts (conversation_id, text, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
      )
      .run(conversationId, text, this.clock());
  }
}
