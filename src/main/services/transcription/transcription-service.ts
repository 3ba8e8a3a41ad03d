import type { ServiceDeps } from '../service-deps';

// Being written: transcription jobs (queue, upload, split and stitch, transcripts).
export class TranscriptionService {
  constructor(readonly deps: ServiceDeps) {}
  recover(): void {}
  async close(): Promise<void> {}
}
