import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

/** Prepared statements of one connection, each text prepared once (for repositories on hot paths). */
export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  get(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}
