import type { ServiceDeps } from '../service-deps';

// Being written: the video library (jobs on four vendors, polling, downloads, remix, delete).
export class VideoService {
  constructor(readonly deps: ServiceDeps) {}
  recover(): void {}
  async close(): Promise<void> {}
}
