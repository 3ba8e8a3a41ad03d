import type { z } from 'zod';
import type { Db } from './database';
import { StatementCache } from './statement-cache';

/** Small app-wide values, stored as JSON and checked against a schema when read. */
export class SettingsRepo {
  /** Reads happen on every request (the active profile, custom models): prepared once. */
  private readonly statements: StatementCache;

  constructor(private readonly db: Db) {
    this.statements = new StatementCache(db);
  }

  /** The stored value, or undefined when it is missing, not JSON, or does not match the schema. */
  get<T>(key: string, schema: z.ZodType<T>): T | undefined {
    const row = this.statements.get('SELECT value FROM settings WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    if (!row) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.value);
    } catch {
      return undefined;
    }
    const result = schema.safeParse(parsed);
    return result.success ? result.data : undefined;
  }

  /** Stores any JSON value; `undefined` removes the key. */
  set(key: string, value: unknown): void {
    const json = JSON.stringify(value);
    if (json === undefined) {
      this.delete(key);
      return;
    }
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, json);
  }

  delete(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }
}
