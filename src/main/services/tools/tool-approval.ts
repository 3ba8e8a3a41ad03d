/** Who decides whether a tool call runs (issue 15): every call, none, or the user through a hook. */

export interface ToolApprovalRequest {
  /** The reply the call belongs to, when it runs in a chat. */
  conversationId?: string;
  messageId?: string;
  /** The call's id as the model gave it. */
  callId: string;
  server: string;
  tool: string;
  description: string;
  /** The full arguments, parsed. */
  arguments: Record<string, unknown>;
}

export type ToolDecision =
  | { kind: 'allow' }
  | { kind: 'deny'; reason?: string }
  /** Run it with these arguments instead of the model's. */
  | { kind: 'edit'; arguments: Record<string, unknown> };

export interface ToolApprover {
  /** Whether this policy asks anyone: `auto` and `never` do not. */
  readonly asks: boolean;
  /** Settles with the decision; rejects (or is left unanswered) when `signal` aborts: the loop stops then. */
  decide(request: ToolApprovalRequest, signal: AbortSignal): Promise<ToolDecision>;
}

export const autoApprover: ToolApprover = {
  asks: false,
  decide: async () => ({ kind: 'allow' }),
};

export const neverApprover: ToolApprover = {
  asks: false,
  decide: async () => ({ kind: 'deny', reason: 'This chat does not run tools.' }),
};

/** The window's or the CLI's answer to one call; it must settle, or the stop of the reply ends the wait. */
export type AskTool = (request: ToolApprovalRequest, signal: AbortSignal) => Promise<ToolDecision>;

/** Asks through `ask`; with nobody to ask (no window, no terminal), every call is denied with a reason. */
export function askApprover(ask: AskTool | undefined): ToolApprover {
  return {
    asks: true,
    decide(request, signal) {
      if (!ask) {
        return Promise.resolve({
          kind: 'deny',
          reason: 'Nobody could be asked to approve this tool call, so it was not run.',
        });
      }
      return ask(request, signal);
    },
  };
}
