/**
 * Where the model's tools come from (issue 15): each MCP server the user added is one provider, and HubDesk's own
 * data (conversations, transcripts, videos) is another. The chat's tool loop only sees this interface.
 */
import type { JsonSchemaObject, ToolResult, ToolSpec } from '../../../shared/tools';

export interface ToolProvider {
  /** The server's name as the user sees it and as the loop addresses it (`hubdesk` for the built-in one). */
  readonly server: string;
  /** The tools it offers now; a provider that is not ready throws a HubError that says why. */
  listTools(signal?: AbortSignal): Promise<ToolSpec[]>;
  /**
   * Runs one tool. Failures of the tool itself come back as `{ isError: true }` results the model can read; a
   * provider that cannot run it at all (stopped, timed out, cancelled) throws a HubError.
   */
  callTool(
    name: string,
    args: Record<string, unknown>,
    signal?: AbortSignal,
    context?: ToolCallContext,
  ): Promise<ToolResult>;
}

/** The reply a call is made for; HubDesk's own tools use it (found passages become the reply's sources). */
export interface ToolCallContext {
  conversationId?: string;
  messageId?: string;
}

export type { JsonSchemaObject, ToolResult, ToolSpec };
