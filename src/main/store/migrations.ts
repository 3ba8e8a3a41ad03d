import type { Db } from './database';

export interface Migration {
  version: number;
  name: string;
  up: (db: Db) => void;
}

/** Append only: a released migration never changes; a new schema change is a new, higher version. */
export const migrations: Migration[] = [
  {
    version: 1,
    name: 'profiles and settings',
    up: (db) => {
      db.exec(`
        CREATE TABLE profiles (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          base_url TEXT NOT NULL,
          proxy_url TEXT,
          endpoint_overrides TEXT NOT NULL DEFAULT '{}',
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );
      `);
    },
  },
];
