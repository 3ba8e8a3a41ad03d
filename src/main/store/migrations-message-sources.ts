import type { Migration } from './migrations';

/**
 * The passages of the user's knowledge bases a reply was given (issue 17), kept with the reply as JSON so its
 * citations open the right file after a restart and travel with an export. NULL: the reply was given none.
 */
export const migration016MessageSources: Migration = {
  version: 16,
  name: 'sources of replies',
  up: (db) => {
    db.exec('ALTER TABLE messages ADD COLUMN sources TEXT');
  },
};
