import { type Channel, type EventName, type HubBridge, isEventName } from '../../shared/contract';
import type { EventBus } from '../services/event-bus';
import type { Router } from './router';

/**
 * The contract served in the same process, for tests and the CLI. Requests and results go through a JSON
 * round trip, as they would through structured-clone IPC, so nothing passes by reference.
 */
export function createInProcessBridge(router: Router, bus: EventBus): HubBridge {
  const clone = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));
  const invoke = new Proxy({} as HubBridge['invoke'], {
    get: (_target, channel: string) => async (request: unknown) =>
      clone(await router.dispatch(channel as Channel, clone(request))),
  });
  return {
    invoke,
    on(event, listener) {
      if (!isEventName(event)) throw new Error(`Unknown event: ${String(event)}`);
      return bus.subscribe((name: EventName, payload) => {
        if (name === event) (listener as (payload: unknown) => void)(clone(payload));
      });
    },
    async pathForFile() {
      throw new Error('There are no dropped files in the same-process transport: pass paths directly.');
    },
  };
}
