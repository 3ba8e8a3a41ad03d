import type { ChatApi } from '../../../../shared/models';
import { adapterFor } from '../../../api/chat/index';
import type { ChatRequest, StreamEvent } from '../../../api/chat/types';
import type { HttpClient } from '../../../api/http-client';
import type { RetryNotice } from '../../../api/retry';

export interface ModelCall {
  api: ChatApi;
  /** Built when the call starts: reading the thread's images may fail, and that ends the reply with the error. */
  request: () => Promise<ChatRequest>;
  client: () => HttpClient;
  signal: AbortSignal;
  /** Before each automatic retry of the request (a rate limit, a server error), with the wait. */
  onRetry?: (notice: RetryNotice) => void;
}

/**
 * The model's answer as batches of normalized events (docs/architecture.md §Rules 5), streamed or in one body.
 * It stops after the first batch that holds a provider error; the reader's end is read only when nothing went wrong.
 */
export async function* modelReplyEvents(call: ModelCall): AsyncGenerator<StreamEvent[]> {
  const adapter = adapterFor(call.api);
  const request = await call.request();
  const httpCall = {
    ...adapter.buildCall(request),
    signal: call.signal,
    ...(call.onRetry ? { onRetry: call.onRetry } : {}),
  };
  const client = call.client();
  if (!request.stream) {
    const response = await client.json(httpCall);
    yield adapter.parseResponse(response.data);
    return;
  }
  const reader = adapter.createStreamReader();
  for await (const message of client.stream(httpCall)) {
    const events = reader.push(message);
    yield events;
    if (events.some((event) => event.type === 'error')) return;
  }
  if (!call.signal.aborted) yield reader.end();
}
