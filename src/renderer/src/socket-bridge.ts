import i18next from 'i18next';
import {
  type Channel,
  channelNames,
  type EventName,
  type EventPayload,
  type HubBridge,
  type InvokeResult,
  isEventName,
} from '../../shared/contract';
import { type AppError, isAppError } from '../../shared/errors';

/** The little of a WebSocket this bridge uses; the browser's WebSocket fits, and so do Node clients in tests. */
export interface SocketLike {
  readonly readyState: number;
  send(text: string): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const OPEN = 1;

const lostConnection = (): AppError => ({ kind: 'network', message: i18next.t('errors.lostConnection') });

type Listener = (payload: unknown) => void;

/** Listeners per event, kept by a bridge across reconnections. */
export class EventListeners {
  private readonly byEvent = new Map<EventName, Set<Listener>>();

  add(event: EventName, listener: Listener): () => void {
    let set = this.byEvent.get(event);
    if (!set) {
      set = new Set();
      this.byEvent.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit(event: EventName, payload: unknown): void {
    for (const listener of this.byEvent.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`A listener of ${event} failed`, error);
      }
    }
  }
}

export function buildBridge(
  send: (channel: Channel, request: unknown) => Promise<InvokeResult<unknown>>,
  listeners: EventListeners,
  pathForFile: HubBridge['pathForFile'] = async () => {
    throw new Error(i18next.t('errors.filesOnlyInApp'));
  },
): HubBridge {
  const invoke: Record<string, (request: unknown) => Promise<InvokeResult<unknown>>> = {};
  for (const channel of channelNames) invoke[channel] = (request) => send(channel, request);
  return {
    // Every channel of the contract has a function above; the envelope's value is typed by the contract.
    invoke: invoke as HubBridge['invoke'],
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      return listeners.add(event, listener as Listener);
    },
    pathForFile,
  };
}

type ServerMessage =
  | { type: 'result'; id: number; result: InvokeResult<unknown> }
  | { type: 'event'; event: EventName; payload: unknown };

function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if (m.type === 'event' && isEventName(m.event))
    return { type: 'event', event: m.event, payload: m.payload };
  if (m.type !== 'result' || typeof m.id !== 'number') return null;
  const result = m.result as Record<string, unknown> | null;
  if (result?.ok === true) return { type: 'result', id: m.id, result: { ok: true, value: result.value } };
  if (result?.ok === false && isAppError(result.error)) {
    return { type: 'result', id: m.id, result: { ok: false, error: result.error } };
  }
  return {
    type: 'result',
    id: m.id,
    result: {
      ok: false,
      error: { kind: 'server', message: i18next.t('errors.unreadableAnswer') },
    },
  };
}

/**
 * The browser harness's bridge: the same contract over one WebSocket. Sends wait for the socket to open;
 * when it closes, every pending invoke resolves to a network error, and the next invoke reconnects.
 */
export function createSocketBridge(url: string, openSocket: (url: string) => SocketLike): HubBridge {
  const listeners = new EventListeners();
  const pending = new Map<number, (result: InvokeResult<unknown>) => void>();
  let queue: string[] = [];
  let socket: SocketLike | null = null;
  let nextId = 1;

  function connect(): SocketLike {
    const ws = openSocket(url);
    ws.addEventListener('open', () => {
      const waiting = queue;
      queue = [];
      for (const text of waiting) ws.send(text);
    });
    ws.addEventListener('message', (event) => {
      const message = parseServerMessage(event.data);
      if (!message) return;
      if (message.type === 'event') {
        listeners.emit(message.event, message.payload);
        return;
      }
      const resolve = pending.get(message.id);
      pending.delete(message.id);
      resolve?.(message.result);
    });
    ws.addEventListener('close', () => {
      if (socket === ws) socket = null;
      queue = [];
      const waiting = [...pending.values()];
      pending.clear();
      for (const resolve of waiting) resolve({ ok: false, error: lostConnection() });
    });
    return ws;
  }

  function send(channel: Channel, request: unknown): Promise<InvokeResult<unknown>> {
    if (!socket) socket = connect();
    const id = nextId++;
    const text = JSON.stringify({ type: 'invoke', id, channel, request });
    const ws = socket;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      if (ws.readyState === OPEN) ws.send(text);
      else queue.push(text);
    });
  }

  // Connect at once so events arrive before the first invoke.
  socket = connect();
  return buildBridge(send, listeners);
}
