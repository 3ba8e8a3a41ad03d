import type { ToolCall, Usage } from '../../../shared/chat';
import type { ChatParams } from '../../../shared/chat-params';
import type { AppError } from '../../../shared/errors';
import type { ChatApi, ModelInfo } from '../../../shared/models';
import type { ApiCall } from '../api-call';
import type { SseMessage } from '../sse';

/**
 * The normalized stream every adapter produces (docs/architecture.md §Rules 5).
 * Services never see a wire format.
 */
export type StreamEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** A piece of tool call `index`: id and name arrive once, arguments in pieces to concatenate. */
  | {
      type: 'tool-call';
      index: number;
      id?: string;
      name?: string;
      argumentsDelta: string;
      /** An opaque token the provider wants back with the call (Gemini's `thoughtSignature`). */
      signature?: string;
    }
  /** Usage so far; later values replace earlier ones field by field. */
  | { type: 'usage'; usage: Usage }
  /**
   * The model finished. `reason` is normalized: stop, length, tool_calls, content_filter, blocked (prompt or
   * safety block), or the provider's own word when none fits. `detail` explains a block or filter.
   */
  | { type: 'finish'; reason: string; detail?: string }
  /** The provider reported an error inside a stream that had started (Claude `error`, `response.failed`…). */
  | { type: 'error'; error: AppError };

/** One past turn, as the adapters need it. Images are already read from disk. */
export interface ChatTurn {
  role: 'user' | 'assistant';
  text: string;
  images: { mimeType: string; base64: string }[];
  /** Documents sent with a user turn, each one text part with a header naming its file; before the turn's text. */
  documentParts?: string[];
  toolCalls: ToolCall[];
}

/** A tool offered to the model, under the name it must use (unique, `^[a-zA-Z0-9_-]{1,64}$`). */
export interface WireTool {
  name: string;
  description: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  model: ModelInfo;
  /** Tools the model may call; none when absent or empty. */
  tools?: WireTool[];
  system: string;
  /** Oldest first; the last one is the user's new message. Reasoning is never part of a turn. */
  turns: ChatTurn[];
  /** Already filtered to what this model and API support (see effectiveParams). */
  params: ChatParams;
  stream: boolean;
}

/**
 * Reads one stream. `push` takes each SSE message and returns the normalized events it carries;
 * `end` is called when the body ended and returns events for the close (an error if the wire format's
 * terminal event never came). Pure: no I/O, no timers — testable with recorded bytes.
 */
export interface StreamReader {
  push(message: SseMessage): StreamEvent[];
  end(): StreamEvent[];
}

export interface ChatAdapter {
  api: ChatApi;
  /** The HTTP call for a request: endpoint key (by model family for chat completions), path params, body. */
  buildCall(request: ChatRequest): ApiCall;
  createStreamReader(): StreamReader;
  /** A non-streaming response body, as the same events. */
  parseResponse(body: unknown): StreamEvent[];
}
