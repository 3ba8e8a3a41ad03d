import type { ChatParams } from '../../../shared/chat-params';
import { HubError } from '../../base/errors';
import { type AskTool, askApprover, autoApprover, neverApprover, type ToolApprover } from './tool-approval';
import type { ToolProvider } from './tool-provider';

/** Providers kept elsewhere (the MCP servers the user added), found by name, with their per-tool approvals. */
export interface ToolSource {
  /** The enabled provider of that name, if any. */
  find(server: string): ToolProvider | undefined;
  /** Whether the user chose "run without asking" for this tool. */
  isAutoApproved(server: string, tool: string): boolean;
}

/**
 * The tool providers HubDesk knows (each MCP server, the built-in `hubdesk` one) and the hook that asks the user
 * about a call. A chat offers the providers its `toolServers` name, under its `toolApproval` policy.
 */
export class ToolRegistry {
  private readonly providers = new Map<string, ToolProvider>();
  private ask: AskTool | undefined;
  private source: ToolSource | undefined;

  /** Where providers not registered here are looked up (the MCP servers' service). */
  setSource(source: ToolSource): void {
    this.source = source;
  }

  /** Adds a provider, or replaces the one of the same server name; returns the removal. */
  register(provider: ToolProvider): () => void {
    this.providers.set(provider.server, provider);
    return () => {
      if (this.providers.get(provider.server) === provider) this.providers.delete(provider.server);
    };
  }

  /** The providers registered here (the MCP servers' names come from their own service). */
  servers(): string[] {
    return [...this.providers.keys()];
  }

  /** The window or the CLI answers approval requests through this; `undefined` removes it. */
  setAsk(ask: AskTool | undefined): void {
    this.ask = ask;
  }

  /** The providers a chat offers, in the order it names them; a name HubDesk does not know is an error. */
  providersFor(servers: readonly string[]): ToolProvider[] {
    return servers.map((server) => {
      const provider = this.providers.get(server) ?? this.source?.find(server);
      if (!provider) {
        throw new HubError({
          kind: 'not_found',
          message: `This chat offers the tools of "${server}", but no tool server has that name. Add it in Settings → Tools or remove it from the chat.`,
          field: 'toolServers',
          reason: { code: 'mcpChatServerMissing', values: { server } },
        });
      }
      return provider;
    });
  }

  approverFor(policy: ChatParams['toolApproval']): ToolApprover {
    if (policy === 'auto') return autoApprover;
    if (policy === 'never') return neverApprover;
    const asking = askApprover(
      this.ask ? (request, signal) => (this.ask as AskTool)(request, signal) : undefined,
    );
    return {
      asks: true,
      decide: (request, signal) =>
        this.source?.isAutoApproved(request.server, request.tool)
          ? Promise.resolve({ kind: 'allow' })
          : asking.decide(request, signal),
    };
  }
}
