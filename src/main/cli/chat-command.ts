import { type Message, SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../shared/chat';
import type { KbSource } from '../../shared/chat-knowledge';
import type { EventPayload } from '../../shared/contract';
import { tokenCost } from '../../shared/costs';
import { terminalAdvice } from '../../shared/errors';
import { chatApiSchema } from '../../shared/models';
import { HubError } from '../base/errors';
import type { Core } from '../core';
import { sourceLabel } from '../services/chat/knowledge-context';
import type { AskTool } from '../services/tools/tool-approval';
import type { CliIo } from './io';
import { parseRequest } from './parse-request';
import { retryNotice } from './retry-notice';

/** Sends one prompt; the reply streams to stdout (unless --json or --no-stream) and is stored. */
export async function chatCommand(
  core: Core,
  prompt: string,
  options: {
    model?: string;
    api?: string;
    system?: string;
    conversation?: string;
    /** Comma-separated tool servers the chat offers. */
    tools?: string;
    /** ask | auto | never (default ask). */
    approve?: string;
    /** Knowledge bases by name whose passages go with this prompt. */
    knowledgeBases?: string[];
    stream: boolean;
    json: boolean;
    io: CliIo;
  },
): Promise<number> {
  if (!prompt.trim())
    throw new HubError({ kind: 'invalid_input', message: 'Give a prompt: hubdesk chat "…"' });
  const api = options.api === undefined ? undefined : chatApiSchema.safeParse(options.api);
  if (api && !api.success) {
    throw new HubError({
      kind: 'invalid_input',
      message: `--api must be one of ${chatApiSchema.options.join(', ')}.`,
      field: 'api',
    });
  }
  const chosen = {
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(api?.data !== undefined ? { api: api.data } : {}),
    ...(options.system !== undefined ? { systemPrompt: options.system } : {}),
  };
  const { io } = options;
  const tools = toolOptions(options, io);
  const knowledgeBases = options.knowledgeBases ? baseIds(core, options.knowledgeBases) : undefined;
  const conversation = options.conversation
    ? core.chat.updateConversation(options.conversation, chosen)
    : core.chat.createConversation(chosen);
  const conversationId = conversation.id;
  if (tools) {
    core.chat.updateConversation(conversationId, { params: { ...conversation.params, ...tools } });
    core.toolRegistry.setAsk(io.ask ? askOnTerminal(io.ask, io) : undefined);
  }

  const showLive = options.stream && !options.json;
  const unsubscribe = core.bus.subscribe((event, payload) => {
    if (event === 'chat.retrying' && !options.json) {
      const retrying = payload as EventPayload<'chat.retrying'>;
      if (retrying.conversationId !== conversationId) return;
      io.err(`hubdesk: ${retryNotice(retrying)}`);
      return;
    }
    if (!showLive || event !== 'chat.delta') return;
    const delta = payload as EventPayload<'chat.delta'>;
    if (delta.conversationId === conversationId && delta.text) io.write(delta.text);
  });
  try {
    const started = await core.chat.send({
      conversationId,
      text: prompt,
      stream: options.stream,
      ...(knowledgeBases ? { knowledgeBases } : {}),
    });
    const stop = () => core.chat.cancel(started.streamId);
    io.signal?.addEventListener('abort', stop, { once: true });
    const message = await core.chat.whenDone(started.streamId);
    io.signal?.removeEventListener('abort', stop);
    if (options.json) {
      io.out(
        JSON.stringify({
          conversationId,
          messageId: message.id,
          model: message.model,
          text: message.text,
          reasoning: message.reasoning,
          toolCalls: message.toolCalls,
          sources: message.sources ?? [],
          usage: message.usage,
          costUsd: replyCost(core, message),
          finishReason: message.finishReason,
          status: message.status,
          error: message.error,
        }),
      );
    } else {
      if (!options.stream) io.write(message.text);
      io.write('\n');
      if (message.sources && message.sources.length > 0) io.out(sourcesText(message.sources));
    }
    if (message.status === 'complete') return 0;
    const why = message.error
      ? `${message.error.message} ${terminalAdvice(message.error)}`.trim()
      : message.finishReason === 'cancelled'
        ? 'Stopped.'
        : 'The reply is incomplete.';
    if (!options.json) io.err(`hubdesk: ${message.status}: ${why} (conversation ${conversationId})`);
    return message.finishReason === 'cancelled' ? 130 : 1;
  } finally {
    unsubscribe();
  }
}

/** The ids of the knowledge bases named by `--kb`; a name HubDesk does not know is refused, with the names it knows. */
function baseIds(core: Core, names: readonly string[]): string[] {
  const bases = core.knowledge.list();
  return names.map((name) => {
    const base = bases.find((candidate) => candidate.name.toLowerCase() === name.trim().toLowerCase());
    if (base) return base.id;
    const known = bases.length > 0 ? `Knowledge bases: ${bases.map((item) => item.name).join(', ')}.` : '';
    throw new HubError({
      kind: 'not_found',
      message: `No knowledge base named "${name}". ${known || 'Add one with: hubdesk kb add NAME PATH'}`,
      field: 'kb',
    });
  });
}

/** The reply's sources under it: number, file with page or line, heading, and the full path. */
function sourcesText(sources: readonly KbSource[]): string {
  return [
    '\nSources:',
    ...sources.map(
      (source) =>
        `[${source.n}] ${sourceLabel(source)}${source.heading ? ` — ${source.heading}` : ''}\n    ${source.path}`,
    ),
  ].join('\n');
}

const approvals = ['ask', 'auto', 'never'] as const;

/** `--tools` and `--approve` as the chat's settings; `ask` needs a terminal to answer on. */
function toolOptions(
  options: { tools?: string; approve?: string },
  io: CliIo,
): { toolServers: string[]; toolApproval: (typeof approvals)[number] } | undefined {
  if (options.tools === undefined) {
    if (options.approve !== undefined) {
      throw new HubError({
        kind: 'invalid_input',
        message: '--approve needs --tools SERVER[,SERVER].',
        field: 'approve',
      });
    }
    return undefined;
  }
  const toolServers = options.tools
    .split(',')
    .map((server) => server.trim())
    .filter((server) => server !== '');
  if (toolServers.length === 0) {
    throw new HubError({
      kind: 'invalid_input',
      message: 'Give the tool servers: --tools SERVER[,SERVER].',
      field: 'tools',
    });
  }
  const toolApproval = approvals.find((value) => value === (options.approve ?? 'ask'));
  if (!toolApproval) {
    throw new HubError({
      kind: 'invalid_input',
      message: '--approve must be one of ask, auto, never.',
      field: 'approve',
    });
  }
  if (toolApproval === 'ask' && !io.ask) {
    throw new HubError({
      kind: 'invalid_input',
      message:
        '--approve ask reads y/n on a terminal, and stdin is not one. Use --approve auto to run every tool call, or --approve never.',
      field: 'approve',
    });
  }
  return { toolServers, toolApproval };
}

/** Each call's server, tool and full arguments on stderr; y runs it, anything else denies it. */
function askOnTerminal(ask: (question: string) => Promise<string>, io: CliIo): AskTool {
  return async (request) => {
    io.err(`\nhubdesk: the model wants to run ${request.server} › ${request.tool} with:`);
    io.err(JSON.stringify(request.arguments, null, 2));
    const answer = (await ask('Run it? [y/N] ')).trim().toLowerCase();
    return answer === 'y' || answer === 'yes' ? { kind: 'allow' } : { kind: 'deny' };
  };
}

/** The stored conversations: list, show, export, search. */
export function historyCommand(
  core: Core,
  sub: string | undefined,
  rest: string[],
  options: { json: boolean; format: string | undefined; print: (value: unknown, text: string) => void },
): number {
  const { print } = options;
  if (sub === 'list') {
    const conversations = core.chat.listConversations();
    print(
      conversations,
      conversations
        .map(
          (c) =>
            `${c.id}  ${new Date(c.updatedAt).toISOString().slice(0, 16).replace('T', ' ')}  ${c.pinned ? '📌 ' : ''}${c.title} (${c.messageCount} messages)`,
        )
        .join('\n'),
    );
    return 0;
  }
  if (sub === 'show') {
    const opened = core.chat.openWhole(rest[0] ?? '');
    print(
      opened,
      [
        `# ${opened.conversation.title}  (${opened.conversation.model})`,
        ...opened.messages.map(
          (m) =>
            `\n${m.role === 'user' ? 'You' : `Assistant (${m.model ?? '?'}, ${m.status})`}:\n${m.text}${m.error ? `\n[${m.error.message}]` : ''}`,
        ),
      ].join('\n'),
    );
    return 0;
  }
  if (sub === 'export') {
    const format = options.format === 'md' || options.format === 'markdown' ? 'markdown' : options.format;
    if (format !== 'markdown' && format !== 'json') {
      throw new HubError({ kind: 'invalid_input', message: '--format must be md or json.', field: 'format' });
    }
    const exported = core.chat.exportConversation(rest[0] ?? '', format);
    print(exported, exported.content);
    return 0;
  }
  if (sub === 'search') {
    const query = rest.join(' ');
    const request = parseRequest('search.messages', { query }, { query: 'the search words' });
    const hits = core.chat.search(request.query, request.limit);
    const mark = (snippet: string) =>
      snippet.replaceAll(SNIPPET_MATCH_START, '[').replaceAll(SNIPPET_MATCH_END, ']').replace(/\s+/g, ' ');
    print(
      hits,
      hits.length === 0
        ? `No messages match "${query}".`
        : hits
            .map((hit) => `${hit.conversationId}  ${hit.conversationTitle} › ${mark(hit.snippet)}`)
            .join('\n'),
    );
    return 0;
  }
  throw new HubError({
    kind: 'invalid_input',
    message: `Unknown history command "${sub ?? ''}". Try: hubdesk help`,
  });
}

/** US dollars at the price of the reply's model; null without usage or a price (Settings → Prices). */
function replyCost(core: Core, message: Message): number | null {
  if (!message.usage || !message.model) return null;
  return tokenCost(core.costs.book().tokens(message.model), message.usage);
}
