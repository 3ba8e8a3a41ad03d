import type { ServiceDeps } from '../service-deps';

// Being written: search by meaning (embeddings indexer, vectors, hybrid ranking).
export class SearchService {
  constructor(readonly deps: ServiceDeps) {}
  recover(): void {}
  async close(): Promise<void> {}
}
