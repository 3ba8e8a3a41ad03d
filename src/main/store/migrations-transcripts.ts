import type { Migration } from './migrations';

// Being written: the transcripts tables.
export const migration003Transcripts: Migration = { version: 3, name: 'transcripts', up: () => {} };
