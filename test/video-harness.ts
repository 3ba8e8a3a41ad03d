import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Core, createCore } from '../src/main/core';
import type { EventName, EventPayload } from '../src/shared/contract';
import { isTerminalVideoStatus, type VideoJob } from '../src/shared/videos/job';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';
import { memoryKeytar } from './support/memory-keytar';

/** Short intervals so a whole lifecycle takes well under a second against the fake proxy at speed 50. */
export const fastTiming = {
  firstPollMs: 20,
  maxPollMs: 80,
  backoff: 1.5,
  downloadRetryMs: 20,
  progressEveryMs: 0,
};

export interface VideoHarness {
  core: Core;
  proxy: FakeProxy;
  dataDir: string;
  notifications: { title: string; body: string }[];
  events: { name: EventName; payload: unknown }[];
  changesOf(id: string): VideoJob[];
  reopen(timing?: Partial<typeof fastTiming>): Promise<Core>;
  /** Waits until `test` holds for the job (checked on every change), or fails after `ms`. */
  waitFor(id: string, test: (job: VideoJob) => boolean, ms?: number): Promise<VideoJob>;
  waitSettled(id: string): Promise<VideoJob>;
  invoke<T>(channel: string, request: unknown): Promise<T>;
  requestsTo(fragment: string, method?: string): FakeProxy['requests'];
  close(): Promise<void>;
}

export async function startVideoHarness(options: { speed?: number } = {}): Promise<VideoHarness> {
  const proxy = await startFakeProxy({ speed: options.speed ?? 50 });
  const dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-video-'));
  const keytar = memoryKeytar();
  const notifications: VideoHarness['notifications'] = [];
  const events: VideoHarness['events'] = [];
  const open = async (timing: Partial<typeof fastTiming> = fastTiming): Promise<Core> => {
    const core = createCore({
      dataDir,
      env: {},
      keytar,
      keychainService: 'HubDesk-test',
      notify: (notification) => notifications.push(notification),
    });
    const profile = core.settings.activeProfile();
    core.settings.updateProfile(profile.id, { baseUrl: proxy.url });
    await core.settings.setToken(profile.id, proxy.token, 'session');
    core.bus.subscribe((name, payload) => events.push({ name, payload }));
    core.videos.setTiming(timing);
    return core;
  };
  const harness: VideoHarness = {
    core: await open(),
    proxy,
    dataDir,
    notifications,
    events,
    changesOf: (id) =>
      events
        .filter((event) => event.name === 'videos.changed')
        .map((event) => (event.payload as EventPayload<'videos.changed'>).job)
        .filter((job) => job.id === id),
    async reopen(timing) {
      await harness.core.close();
      harness.core = await open(timing);
      return harness.core;
    },
    waitFor(id, test, ms = 8000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const job = harness.core.videos.get(id);
          if (test(job)) {
            clearInterval(timer);
            clearTimeout(deadline);
            resolve(job);
          }
        };
        const timer = setInterval(check, 10);
        const deadline = setTimeout(() => {
          clearInterval(timer);
          reject(
            new Error(`timed out waiting for job ${id}: ${JSON.stringify(harness.core.videos.get(id))}`),
          );
        }, ms);
        check();
      });
    },
    waitSettled(id) {
      return harness.waitFor(
        id,
        (job) =>
          (isTerminalVideoStatus(job.status) || job.status === 'unknown') &&
          job.download !== 'pending' &&
          job.download !== 'downloading',
      );
    },
    async invoke<T>(channel: string, request: unknown): Promise<T> {
      const result = await harness.core.router.dispatch(channel, request);
      if (!result.ok) throw Object.assign(new Error(result.error.message), { info: result.error });
      return result.value as T;
    },
    requestsTo: (fragment, method) =>
      proxy.requests.filter(
        (request) => request.path.includes(fragment) && (method === undefined || request.method === method),
      ),
    async close() {
      await harness.core.close();
      await proxy.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

export const fixtureVideo = join(import.meta.dirname, 'fixtures/video.mp4');
