import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Core, createCore } from '../../src/main/core';
import type { EventName, EventPayload } from '../../src/shared/contract';
import { type FakeProxy, startFakeProxy } from '../fake-proxy/index';
import { memoryKeytar } from './memory-keytar';

export interface ChatHarness {
  core: Core;
  proxy: FakeProxy;
  dataDir: string;
  /** Every event main emitted, with the time it left (ms, performance.now()). */
  events: { name: EventName; payload: unknown; at: number }[];
  eventsOf<E extends EventName>(name: E): EventPayload<E>[];
  reopen(): Promise<Core>;
  close(): Promise<void>;
}

/** The real core (SQLite in a temp folder, HTTP core) pointed at the fake proxy, with a token for this run. */
export async function startChatHarness(
  options: { modelTitles?: boolean; log?: (line: string) => void } = {},
): Promise<ChatHarness> {
  const proxy = await startFakeProxy({ speed: 50 });
  const dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-chat-'));
  const keytar = memoryKeytar();
  const events: ChatHarness['events'] = [];
  const open = async (): Promise<Core> => {
    const core = createCore({ dataDir, env: {}, keytar, keychainService: 'HubDesk-test', ...options });
    const profile = core.settings.activeProfile();
    core.settings.updateProfile(profile.id, { baseUrl: proxy.url });
    await core.settings.setToken(profile.id, proxy.token, 'session');
    core.bus.subscribe((name, payload) => events.push({ name, payload, at: performance.now() }));
    return core;
  };
  const harness: ChatHarness = {
    core: await open(),
    proxy,
    dataDir,
    events,
    eventsOf: <E extends EventName>(name: E) =>
      events.filter((event) => event.name === name).map((event) => event.payload as EventPayload<E>),
    async reopen() {
      await harness.core.close();
      harness.core = await open();
      return harness.core;
    },
    async close() {
      await harness.core.close();
      await proxy.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
