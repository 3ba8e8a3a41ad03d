import type { Db } from './connection';
import { storedSchemaVersion } from './connection';
import type { Migration } from './migrations';

export interface MigrationFailure {
  migration: Migration;
  /** The schema version reached when it failed (its own transaction was rolled back). */
  reached: number;
  cause: unknown;
}

/** The error of a migration that failed where no copy was taken: its transaction was rolled back. */
export function rolledBack(failure: MigrationFailure): Error {
  const { migration, reached, cause } = failure;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    `Database migration ${migration.version} "${migration.name}" failed and was rolled back ` +
      `(the database stays at version ${reached}): ${reason}`,
    { cause },
  );
}

/**
 * Applies the pending migrations, each in its own IMMEDIATE transaction that first checks it is still pending (so
 * two processes opening one old database at once apply each migration once). The schema version is mirrored into
 * the header's `user_version` in the same transaction. A failure is handed to `fail`, whose error is thrown.
 */
export function applyMigrations(db: Db, list: Migration[], fail: (failure: MigrationFailure) => Error): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const current = storedSchemaVersion(db);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied = db.prepare('SELECT 1 AS found FROM schema_migrations WHERE version = ?');
  for (const migration of list) {
    if (migration.version <= current) continue;
    try {
      db.transaction(() => {
        if (applied.get(migration.version)) return;
        migration.up(db);
        record.run(migration.version, migration.name, Date.now());
        db.pragma(`user_version = ${migration.version}`);
      }).immediate();
    } catch (error) {
      throw fail({ migration, reached: storedSchemaVersion(db), cause: error });
    }
  }
}

/** The list sorted by version; a version that is not a positive integer, or is used twice, throws. */
export function checkedMigrations(list: Migration[]): Migration[] {
  const sorted = [...list].sort((a, b) => a.version - b.version);
  sorted.forEach((migration, index) => {
    if (!Number.isInteger(migration.version) || migration.version < 1) {
      throw new Error(`Migration "${migration.name}" has an invalid version ${migration.version}`);
    }
    if (index > 0 && sorted[index - 1]?.version === migration.version) {
      throw new Error(`Two migrations share version ${migration.version}`);
    }
  });
  return sorted;
}
