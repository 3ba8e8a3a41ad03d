import type { Migration } from './migrations';

// Being written: the videos tables.
export const migration004Videos: Migration = { version: 4, name: 'videos', up: () => {} };
