import { describe, expect, it } from 'vitest';
import { createInProcessBridge } from '../src/main/ipc/in-process-bridge';
import { createRouter, type Handlers } from '../src/main/ipc/router';
import { EventBus } from '../src/main/services/event-bus';
import { type Channel, channelNames, channels, eventNames, events } from '../src/shared/contract';

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

describe('contract and routes', () => {
  it('names every channel and event once, with a request and response schema', () => {
    expect(new Set(channelNames).size).toBe(channelNames.length);
    for (const channel of channelNames) {
      expect(channels[channel].request).toBeDefined();
      expect(channels[channel].response).toBeDefined();
    }
    expect(eventNames.length).toBe(Object.keys(events).length);
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
      expect(result.error.message).toMatch(/^baseUrl must be an http\(s\) URL/);
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
