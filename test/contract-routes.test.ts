import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../src/main/core';
import { createInProcessBridge } from '../src/main/ipc/in-process-bridge';
import { createRouter, type Handlers } from '../src/main/ipc/router';
import { createHandlers } from '../src/main/ipc/routes';
import { EventBus } from '../src/main/services/event-bus';
import { type Channel, channelNames, channels, eventNames, events } from '../src/shared/contract';
import { memoryKeytar } from './support/memory-keytar';

function spyHandlers() {
  const calls: Channel[] = [];
  const handlers = Object.fromEntries(
    channelNames.map((channel) => [
      channel,
      (request: unknown) => {
        calls.push(channel);
        return { echoed: request };
      },
    ]),
  ) as unknown as Handlers;
  return { calls, handlers };
}

// Payloads no channel accepts: wrong types, and an object with a field no schema declares.
const badPayloads: unknown[] = [null, 42, 'text', [], { unexpectedField: true }];

/** Every group of channels or events that a file under src/shared exports (`…Channels`, `…Events`), by file. */
async function declaredGroups(suffix: 'Channels' | 'Events'): Promise<{ name: string; keys: string[] }[]> {
  const root = join(import.meta.dirname, '../src/shared');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.ts'),
  );
  const groups: { name: string; keys: string[] }[] = [];
  for (const file of files.sort()) {
    const module = (await import(join(root, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (name.endsWith(suffix) && typeof value === 'object' && value !== null) {
        groups.push({ name: `${file}:${name}`, keys: Object.keys(value) });
      }
    }
  }
  return groups;
}

/** Where each name is declared: a name in two groups is lost to the other when the contract spreads them. */
function owners(groups: { name: string; keys: string[] }[]): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const group of groups) {
    for (const key of group.keys) byName.set(key, [...(byName.get(key) ?? []), group.name]);
  }
  return byName;
}

const sorted = (names: Iterable<string>) => [...names].sort();

describe('contract and routes', () => {
  it('each channel is declared in one domain file, and the contract holds every one, with both schemas', async () => {
    const groups = await declaredGroups('Channels');
    expect(groups.map((group) => group.name)).toContain('profiles.ts:profileChannels');
    expect(groups.map((group) => group.name)).toContain('chat-channels.ts:chatChannels');
    const declared = owners(groups);
    const twice = [...declared].filter(([, where]) => where.length > 1);
    expect(twice, 'channels declared in more than one file').toEqual([]);
    expect(sorted(declared.keys())).toEqual(sorted(channelNames));
    for (const channel of channelNames) {
      expect(channels[channel].request).toBeDefined();
      expect(channels[channel].response).toBeDefined();
    }
  });

  it('each event is declared in one domain file, and the contract holds every one', async () => {
    const declared = owners(await declaredGroups('Events'));
    const twice = [...declared].filter(([, where]) => where.length > 1);
    expect(twice, 'events declared in more than one file').toEqual([]);
    expect(sorted(declared.keys())).toEqual(sorted(eventNames));
    expect(eventNames.length).toBe(Object.keys(events).length);
  });

  it('every channel has exactly one route, and no route names a channel the contract lacks', async () => {
    const ipc = join(import.meta.dirname, '../src/main/ipc');
    const routeFiles = readdirSync(ipc).filter((file) => /^routes(-[a-z-]+)?\.ts$/.test(file));
    const routes = routeFiles.flatMap((file) =>
      [...readFileSync(join(ipc, file), 'utf8').matchAll(/^\s*'([a-z]+\.[A-Za-z]+)':/gm)].map(
        (match) => match[1]!,
      ),
    );
    const counts = new Map<string, number>();
    for (const route of routes) counts.set(route, (counts.get(route) ?? 0) + 1);
    expect(
      [...counts].filter(([, count]) => count > 1),
      'channels routed twice',
    ).toEqual([]);
    expect(sorted(counts.keys())).toEqual(sorted(channelNames));

    const dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-routes-'));
    const core = createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test' });
    try {
      const handlers = createHandlers(core);
      expect(sorted(Object.keys(handlers))).toEqual(sorted(channelNames));
      const notFunctions = Object.entries(handlers).filter(([, handler]) => typeof handler !== 'function');
      expect(notFunctions).toEqual([]);
    } finally {
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it.each(channelNames)(
    '%s rejects every bad payload with invalid_input and runs nothing',
    async (channel) => {
      const { calls, handlers } = spyHandlers();
      const router = createRouter(handlers);
      for (const payload of badPayloads) {
        const result = await router.dispatch(channel, payload);
        expect(result.ok, `${channel} accepted ${JSON.stringify(payload)}`).toBe(false);
        if (!result.ok) {
          expect(result.error.kind).toBe('invalid_input');
          expect(result.error.message.length).toBeGreaterThan(3);
        }
      }
      expect(calls).toEqual([]);
    },
  );

  it('rejects a channel the contract does not name', async () => {
    const { calls, handlers } = spyHandlers();
    const result = await createRouter(handlers).dispatch('fs.readFile', { path: '/etc/passwd' });
    expect(result).toEqual({
      ok: false,
      error: { kind: 'invalid_input', message: 'Unknown channel: fs.readFile' },
    });
    expect(calls).toEqual([]);
  });

  it('names the wrong field and says what is wrong with it', async () => {
    const { handlers } = spyHandlers();
    const result = await createRouter(handlers).dispatch('profiles.create', {
      name: 'Work',
      baseUrl: 'ftp://example.com',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.field).toBe('baseUrl');
      expect(result.error.message).toMatch(/^Base URL must be an http\(s\) URL/);
      expect(result.error.input).toMatchObject({
        code: 'invalid',
        custom: expect.stringMatching(/^must be/),
      });
    }
  });

  it('says what a refused choice allows and what was given, as a code and values the window words', async () => {
    const { handlers } = spyHandlers();
    const result = await createRouter(handlers).dispatch('videos.create', {
      vendor: 'kling',
      model: 'kling-v2-1',
      prompt: 'A boat',
      options: { duration: '7' },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({
        kind: 'invalid_input',
        field: 'options.duration',
        message: 'Duration must be 5 or 10; you gave 7.',
        input: { code: 'oneOf', values: { allowed: '5|10', given: '7' } },
      });
      expect(result.error.message).not.toMatch(/Invalid option|expected one of/);
    }
  });

  it('passes the parsed request to the handler, and turns a thrown error into an error value', async () => {
    const { handlers } = spyHandlers();
    handlers['profiles.setActive'] = () => {
      throw new Error('boom');
    };
    const router = createRouter(handlers);
    const created = await router.dispatch('profiles.create', {
      name: '  Work  ',
      baseUrl: 'https://gw.example/',
    });
    expect(created).toEqual({ ok: true, value: { echoed: { name: 'Work', baseUrl: 'https://gw.example' } } });
    const failed = await router.dispatch('profiles.setActive', { id: 'p1' });
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.kind).toBe('internal');
  });

  it('the in-process bridge copies values and delivers only the subscribed event', async () => {
    const { handlers } = spyHandlers();
    const bus = new EventBus();
    const bridge = createInProcessBridge(createRouter(handlers), bus);
    const request = { profileId: 'p1' };
    const result = await bridge.invoke['token.status'](request);
    expect(result).toEqual({ ok: true, value: { echoed: request } });
    if (result.ok) expect((result.value as unknown as { echoed: unknown }).echoed).not.toBe(request);

    const seen: unknown[] = [];
    const off = bridge.on('token.changed', (payload) => seen.push(payload));
    const status = { profileId: 'p1', set: true, source: 'session' as const, keychain: { available: false } };
    bus.emit('profiles.changed', { profiles: [], activeId: null });
    bus.emit('token.changed', status);
    off();
    bus.emit('token.changed', status);
    expect(seen).toEqual([status]);
    expect(() => bridge.on('not.an.event' as never, () => undefined)).toThrow(/Unknown event/);
  });
});
