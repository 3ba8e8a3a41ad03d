import type { Migration } from './migrations';

/** Documents dropped into the composer go with their message (issue 17): a JSON list, like its images. */
export const migration017MessageDocuments: Migration = {
  version: 17,
  name: 'message documents',
  up: (db) => {
    db.exec(`ALTER TABLE messages ADD COLUMN documents TEXT NOT NULL DEFAULT '[]'`);
  },
};
