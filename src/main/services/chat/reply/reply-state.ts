import type { ToolCall, Usage } from '../../../../shared/chat';
import type { AppError } from '../../../../shared/errors';
import type { StreamEvent } from '../../../api/chat/types';

/**
 * The reply's events: the model's normalized stream, and the tool loop's changes to a call (mapped, approved,
 * running, its result), by the call's index in the reply.
 */
export type ReplyEvent =
  | StreamEvent
  | { type: 'tool-update'; index: number; patch: Partial<Omit<ToolCall, 'id' | 'name' | 'arguments'>> };

/** What a reply holds so far. Built only by `applyEvent`, a pure fold over normalized stream events. */
export interface ReplyState {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  usage: Usage | null;
  finishReason: string | null;
  finishDetail: string | null;
  error: AppError | null;
}

export const emptyReply = (): ReplyState => ({
  text: '',
  reasoning: '',
  toolCalls: [],
  usage: null,
  finishReason: null,
  finishDetail: null,
  error: null,
});

/** Tool calls are kept by stream index; a call's slot is created by its first piece. */
function mergeToolCall(calls: ToolCall[], event: Extract<StreamEvent, { type: 'tool-call' }>): ToolCall[] {
  const next = calls.slice();
  const current = next[event.index] ?? { id: '', name: '', arguments: '' };
  next[event.index] = {
    ...current,
    id: event.id ?? current.id,
    name: event.name ?? current.name,
    arguments: current.arguments + event.argumentsDelta,
    ...(event.signature !== undefined ? { signature: event.signature } : {}),
  };
  return Array.from(next, (call) => call ?? { id: '', name: '', arguments: '' });
}

export function applyEvent(state: ReplyState, event: ReplyEvent): ReplyState {
  switch (event.type) {
    case 'text':
      return { ...state, text: state.text + event.text };
    case 'reasoning':
      return { ...state, reasoning: state.reasoning + event.text };
    case 'tool-call':
      return { ...state, toolCalls: mergeToolCall(state.toolCalls, event) };
    case 'tool-update': {
      const current = state.toolCalls[event.index];
      if (!current) return state;
      const toolCalls = state.toolCalls.slice();
      toolCalls[event.index] = { ...current, ...event.patch };
      return { ...state, toolCalls };
    }
    case 'usage':
      return { ...state, usage: { ...state.usage, ...event.usage } };
    case 'finish':
      return { ...state, finishReason: event.reason, finishDetail: event.detail ?? null };
    case 'error':
      return state.error ? state : { ...state, error: event.error };
  }
}

export function hasOutput(state: ReplyState): boolean {
  return state.text.length > 0 || state.reasoning.length > 0 || state.toolCalls.length > 0;
}
