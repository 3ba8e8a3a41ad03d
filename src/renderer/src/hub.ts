import i18next from 'i18next';
import { useEffect, useRef } from 'react';
import type {
  Channel,
  EventName,
  EventPayload,
  InvokeResult,
  RequestOf,
  ResponseOf,
} from '../../shared/contract';
import { type ErrorReason, wordReason } from '../../shared/error-reasons';
import { type AppError, isTokenRefusal, NO_TOKEN_CODE, NOT_CONNECTED_CODE } from '../../shared/errors';
import { getBridge } from './bridge';

/** Thrown by `call` when main answers with an error; carries the AppError unchanged. */
export class HubClientError extends Error {
  readonly error: AppError;

  constructor(error: AppError) {
    super(error.message);
    this.name = 'HubClientError';
    this.error = error;
  }
}

/** Asks main through the contract; resolves to the value or throws a HubClientError. */
export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const invoke: (request: RequestOf<C>) => Promise<InvokeResult<ResponseOf<C>>> = getBridge().invoke[channel];
  let result: InvokeResult<ResponseOf<C>>;
  try {
    result = await invoke(request);
  } catch (error) {
    // Preload's IPC itself can reject (e.g. the window is closing); keep errors as values anyway.
    const message = error instanceof Error ? error.message : String(error);
    throw new HubClientError({ kind: 'network', message: i18next.t('errors.noAnswer', { message }) });
  }
  if (result.ok) return result.value;
  throw new HubClientError(result.error);
}

export function subscribe<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  return getBridge().on(event, listener);
}

/** Any thrown value as an AppError, so screens render one shape. */
export function toAppError(error: unknown): AppError {
  if (error instanceof HubClientError) return error.error;
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'server', message: i18next.t('errors.inWindow', { message }) };
}

/**
 * A reason main sent as a code and values, in the UI language; `fallback` (main's English) for a reason this
 * window does not know (a newer main, an old stored row).
 */
export function reasonText(reason: ErrorReason | undefined, fallback: string): string {
  return wordReason(reason, fallback, {
    exists: (key) => i18next.exists(key),
    t: (key, options) => String(i18next.t(key as never, options as never)),
  });
}

/** What happened, in the UI language where main sent a code the window words, else main's words. */
export function messageFor(error: AppError): string {
  if (error.code === NO_TOKEN_CODE) return i18next.t('plainErrors.noToken.message');
  return reasonText(error.reason, error.message);
}

/**
 * What to do about it: for a missing token, where to enter one (not the advice of a refused token); nothing for a
 * refused field, whose message already names it and says what it takes.
 */
export function adviceFor(error: AppError): string {
  if (error.code === NO_TOKEN_CODE) return i18next.t('plainErrors.noToken.advice');
  if (error.code === NOT_CONNECTED_CODE) return '';
  if (error.kind === 'invalid_input' && (error.field || error.input)) return '';
  if (error.kind === 'auth' && !isTokenRefusal(error)) return '';
  return i18next.t(`errors.advice.${error.kind}`);
}

/**
 * Whether the error's code is HubDesk's own (worded by its message) rather than a provider's worth showing: a
 * provider's code comes with the HTTP status of the answer that carried it.
 */
export function isOwnCode(error: AppError): boolean {
  return error.code === NO_TOKEN_CODE || error.code === NOT_CONNECTED_CODE || error.status === undefined;
}

/** Subscribes for the component's lifetime; the latest listener is always the one called. */
export function useHubEvent<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe(event, (payload) => latest.current(payload)), [event]);
}
