import type { Fixtures } from './fixtures';
import type { JobClock } from './jobs';

interface JobTiming {
  /** Wall clock, ms since epoch. */
  createdAtMs: number;
  /** JobClock reading at creation. */
  startedVirtualMs: number;
}

export interface SoraJob extends JobTiming {
  id: string;
  model: string;
  prompt: string;
  seconds: string;
  size: string;
  remixedFromVideoId: string | null;
  deleted: boolean;
}

export interface SeedanceJob extends JobTiming {
  id: string;
  model: string;
  prompt: string;
  ratio: string;
  duration: number;
  resolution: string;
  returnLastFrame: boolean;
}

export interface KlingJob extends JobTiming {
  id: string;
  kind: 'text2video' | 'image2video';
  prompt: string;
  duration: string;
  externalTaskId: string | undefined;
}

export interface VeoJob extends JobTiming {
  name: string;
  prompt: string;
  sampleCount: number;
}

/** What the routes share: the token, the job clock, the fixtures and every job created so far. */
export interface FakeState {
  token: string;
  clock: JobClock;
  cdnUrl: string;
  streamDelayMs: number;
  fixtures: Fixtures;
  /** Sora jobs in creation order (the list endpoint pages over it). */
  sora: SoraJob[];
  seedance: Map<string, SeedanceJob>;
  kling: Map<string, KlingJob>;
  veo: Map<string, VeoJob>;
}
