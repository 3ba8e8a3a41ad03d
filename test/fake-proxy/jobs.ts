import { performance } from 'node:perf_hooks';

/** Virtual time at speed 1: a job waits in the queue for 1 s, then runs for 5 s. */
export const QUEUED_MS = 1000;
export const JOB_MS = 6000;

/** A clock that runs `speed` times faster than real time; changing the speed keeps the current reading. */
export class JobClock {
  private realBase = performance.now();
  private virtualBase = 0;

  constructor(private speed: number) {}

  now(): number {
    return this.virtualBase + (performance.now() - this.realBase) * this.speed;
  }

  setSpeed(speed: number): void {
    if (!(speed > 0)) throw new Error('speed must be > 0');
    this.virtualBase = this.now();
    this.realBase = performance.now();
    this.speed = speed;
  }
}

export interface Lifecycle {
  phase: 'queued' | 'running' | 'finished';
  /** 0–100. */
  progress: number;
  /** Wall-clock time (ms since epoch) at which the job finished, when it has. */
  finishedAtMs: number | null;
}

export function lifecycle(clock: JobClock, startedVirtualMs: number, createdAtMs: number): Lifecycle {
  const elapsed = clock.now() - startedVirtualMs;
  if (elapsed < QUEUED_MS) return { phase: 'queued', progress: 0, finishedAtMs: null };
  if (elapsed < JOB_MS) {
    const progress = Math.min(
      99,
      Math.max(1, Math.round(((elapsed - QUEUED_MS) / (JOB_MS - QUEUED_MS)) * 100)),
    );
    return { phase: 'running', progress, finishedAtMs: null };
  }
  // The finish time is reported as if the job took its virtual duration, so it never lies in the future.
  return { phase: 'finished', progress: 100, finishedAtMs: Math.min(Date.now(), createdAtMs + JOB_MS) };
}

/** The marker a prompt carries to make its job fail. */
export function wantsFailure(prompt: string): boolean {
  return prompt.includes('[fail]');
}
