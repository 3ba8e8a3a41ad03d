import type { Migration } from './migrations';

// Being written: the search index tables (vectors, index queue).
export const migration005Vectors: Migration = { version: 5, name: 'vectors', up: () => {} };
