import type { AskTool, ToolDecision } from './tool-approval';

/**
 * Approval questions waiting for the window: a call shows as `waiting` in the reply's deltas, and the window's
 * answer (`chat.answerTool`) settles it. A stop of the reply drops the question.
 */
export class PendingApprovals {
  private readonly waiting = new Map<string, (decision: ToolDecision) => void>();

  readonly ask: AskTool = (request, signal) =>
    new Promise<ToolDecision>((resolve) => {
      const key = keyOf(request.messageId ?? '', request.callId);
      this.waiting.set(key, resolve);
      signal.addEventListener('abort', () => this.waiting.delete(key), { once: true });
    });

  /** Settles the question of one call; false when none is waiting (answered already, or the reply stopped). */
  answer(messageId: string, callId: string, decision: ToolDecision): boolean {
    const key = keyOf(messageId, callId);
    const resolve = this.waiting.get(key);
    if (!resolve) return false;
    this.waiting.delete(key);
    resolve(decision);
    return true;
  }
}

function keyOf(messageId: string, callId: string): string {
  return `${messageId}\n${callId}`;
}
