import type { MessageStatus } from '../../../../shared/chat';
import type { AppError } from '../../../../shared/errors';
import { hasOutput, type ReplyState } from './reply-state';

export interface FinalStatus {
  status: Exclude<MessageStatus, 'streaming'>;
  error: AppError | null;
  finishReason: string | null;
}

/**
 * How a reply ends (docs/architecture.md §Rules 4 and 7). A stop is `interrupted` with no error; an error keeps the
 * output as `interrupted`, or is `failed` when there is none; a reply that ends without a finish reason was cut off.
 * A fault of HubDesk's own that stopped the reply (it could not be saved, it grew past its cap) is `failed`, with
 * whatever was written kept beside it.
 */
export function finalStatus(
  state: ReplyState,
  ending: { aborted: boolean; thrown: AppError | null; fault?: AppError | null },
): FinalStatus {
  if (ending.fault && !ending.aborted) {
    return { status: 'failed', error: ending.fault, finishReason: state.finishReason };
  }
  const cancelled = ending.aborted || ending.thrown?.kind === 'cancelled';
  if (cancelled) return { status: 'interrupted', error: null, finishReason: 'cancelled' };
  const error = state.error ?? ending.thrown ?? blockedError(state);
  const status = error
    ? hasOutput(state)
      ? 'interrupted'
      : 'failed'
    : state.finishReason
      ? 'complete'
      : 'interrupted';
  return { status, error, finishReason: state.finishReason };
}

/** A safety filter that stopped the reply before it said anything is an error the user must see. */
function blockedError(state: ReplyState): AppError | null {
  if (hasOutput(state)) return null;
  if (state.finishReason !== 'blocked' && state.finishReason !== 'content_filter') return null;
  if (state.finishDetail)
    return { kind: 'bad_request', message: state.finishDetail, code: state.finishReason };
  return {
    kind: 'bad_request',
    message: 'The provider blocked this reply with its safety filter.',
    code: state.finishReason,
    reason: { code: 'chatBlocked', values: {} },
  };
}
