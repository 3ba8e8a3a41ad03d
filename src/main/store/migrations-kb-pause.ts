import type { Migration } from './migrations';

/** A knowledge base can be paused by the user: no sync runs for it, also after a restart, until it is resumed. */
export const migration015KnowledgePause: Migration = {
  version: 15,
  name: 'knowledge bases can be paused',
  up: (db) => {
    db.exec('ALTER TABLE kb_bases ADD COLUMN paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1))');
  },
};
