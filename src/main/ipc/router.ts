import {
  type Channel,
  channels,
  type InvokeResult,
  isChannel,
  type ParsedRequestOf,
  type ResponseOf,
} from '../../shared/contract';
import { invalidInput, toAppError } from '../base/errors';

/** One handler per contract channel; each receives a request the channel's schema has already parsed. */
export type Handlers = {
  [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

/** The handlers of one group of channels (a capability's own routes file). */
export type HandlersOf<C extends Channel> = Pick<Handlers, C>;

export interface Router {
  /** Validates the channel and request, runs the handler, and always resolves to an envelope. */
  dispatch(channel: unknown, request: unknown): Promise<InvokeResult<unknown>>;
}

export function createRouter(handlers: Handlers, log?: (line: string) => void): Router {
  return {
    async dispatch(channel, request) {
      if (!isChannel(channel)) {
        return {
          ok: false,
          error: { kind: 'invalid_input', message: `Unknown channel: ${String(channel)}` },
        };
      }
      const parsed = channels[channel].request.safeParse(request === undefined ? {} : request);
      if (!parsed.success) return { ok: false, error: invalidInput(parsed.error.issues, request) };
      try {
        const handler = handlers[channel] as (request: unknown) => Promise<unknown> | unknown;
        return { ok: true, value: await handler(parsed.data) };
      } catch (error) {
        const info = toAppError(error);
        log?.(`${channel} failed: ${info.kind}: ${info.message}`);
        return { ok: false, error: info };
      }
    },
  };
}
