import type { DataPaths } from '../../paths';
import type { ServiceDeps } from '../service-deps';

// Being written: usage sums, data folder move, backup and restore.
export class DesktopService {
  constructor(
    readonly deps: ServiceDeps,
    readonly paths: DataPaths,
  ) {}
  recover(): void {}
  async close(): Promise<void> {}
}
