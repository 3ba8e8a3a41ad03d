import type { Migration } from './migrations';

/** Which profile made each message, transcript and video (the usage page filters by profile). */
export const migration006UsageProfiles: Migration = {
  version: 6,
  name: 'usage profiles',
  up: (db) => {
    db.exec(`CREATE TABLE usage_profiles (
      kind TEXT NOT NULL,
      item_id TEXT NOT NULL,
      profile_id TEXT NOT NULL,
      PRIMARY KEY (kind, item_id)
    ) WITHOUT ROWID`);
  },
};
