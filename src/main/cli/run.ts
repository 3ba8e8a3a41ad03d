import { parseArgs } from 'node:util';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../shared/chat';
import { type Channel, channels, type EventPayload, type ParsedRequestOf } from '../../shared/contract';
import { type AppError, errorAdvice } from '../../shared/errors';
import { chatApiSchema } from '../../shared/models';
import type { Profile } from '../../shared/profiles';
import { invalidInput, toAppError } from '../base/errors';
import { type Core, createCore, DatabaseOpenError, databaseUpdateLine } from '../core';
import { defaultDataDir } from '../paths';
import { NativeModuleError } from '../store/sqlite-binding';
import { doctorCommand } from './doctor-command';
import type { CliIo } from './io';
import { searchCommand } from './search-command';
import { transcribeCommand } from './transcribe-command';
import { videoCommand } from './video-command';

export type { CliIo } from './io';

const usage = `Usage: hubdesk [--json] <command>

Commands:
  profile list                 List profiles (* marks the active one)
  profile add <name> <url>     Add a profile for a proxy base URL
  profile use <id|name>        Make a profile the active one
  ping [--profile <id|name>]   Test the connection: one cheap real call
  chat [options] PROMPT        Ask a model; the reply streams to stdout and is stored
      --model ID  --api openai-chat|openai-responses|claude-messages|gemini
      --system TEXT  --conversation ID (continue one)  --no-stream
  history list                 Conversations, newest first
  history show ID              The messages of a conversation
  history export ID --format md|json
  history search QUERY         Search every message (works offline)
  transcribe FILE... [--model ID] [--language xx] [--format txt|srt|vtt|json] [--out DIR]
                               Transcribe audio files; progress per file on stderr
  video create --vendor sora|seedance|kling|veo --model ID --prompt TEXT
      [--image FILE] [--seconds N] [--size WxH] [--ratio R] [--wait]
  video status|download|remix|delete ID, video list, video sync
  search QUERY [--kind chat|transcript|video] [--limit N]
                               Search everything by words and by meaning
  index status|run|rebuild     The search-by-meaning index
  doctor [--online]            Check what HubDesk needs (modules, ffmpeg, data folder, database);
                               exits 1 when a check fails. --online adds the connection test

Environment:
  HUBDESK_DATA_DIR   data folder (database, library)
  HUBDESK_BASE_URL   send requests to this base URL for this run
  HUBDESK_TOKEN      API token for this run (else the system keychain)`;

class CliError extends Error {
  constructor(readonly info: AppError) {
    super(info.message);
  }
}

/** The core on the data folder; a line on stderr says when this run updated the database and where its copy is. */
function openCore(io: CliIo): Core {
  const core = createCore({
    dataDir: defaultDataDir(io.env),
    env: io.env,
    ...(io.keytar ? { keytar: io.keytar } : {}),
  });
  if (core.databaseUpdate) io.err(`hubdesk: ${databaseUpdateLine(core.databaseUpdate)}`);
  return core;
}

function findProfile(core: Core, key: string): Profile {
  const profiles = core.profiles.list();
  const match =
    profiles.find((profile) => profile.id === key) ??
    profiles.find((profile) => profile.name.toLowerCase() === key.toLowerCase());
  if (!match) throw new CliError({ kind: 'not_found', message: `No profile named or with id "${key}".` });
  return match;
}

/** Validates CLI input with the same schema the IPC route uses, so both reject the same things. */
function parseRequest<C extends Channel>(channel: C, request: unknown): ParsedRequestOf<C> {
  const parsed = channels[channel].request.safeParse(request);
  if (!parsed.success) throw new CliError(invalidInput(parsed.error.issues));
  return parsed.data as ParsedRequestOf<C>;
}

/** Runs one CLI command and returns the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let json = false;
  let core: Core | undefined;
  try {
    // Commands with many options of their own parse their arguments themselves.
    const verbAt = argv.findIndex((arg) => !arg.startsWith('-'));
    const ownParser = verbAt === -1 ? undefined : argv[verbAt];
    if (ownParser === 'doctor') {
      // The doctor needs no core: it reports what keeps the core from starting.
      const rest = [...argv.slice(0, verbAt), ...argv.slice(verbAt + 1)];
      json = rest.includes('--json');
      return await doctorCommand(rest, io);
    }
    if (
      ownParser === 'transcribe' ||
      ownParser === 'video' ||
      ownParser === 'search' ||
      ownParser === 'index'
    ) {
      const rest = [...argv.slice(0, verbAt), ...argv.slice(verbAt + 1)];
      json = rest.includes('--json');
      core = openCore(io);
      if (ownParser === 'transcribe') return await transcribeCommand(core, rest, io);
      if (ownParser === 'video') return await videoCommand(core, rest, io);
      return await searchCommand(core, ownParser, rest, io);
    }
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        profile: { type: 'string' },
        model: { type: 'string' },
        api: { type: 'string' },
        system: { type: 'string' },
        conversation: { type: 'string' },
        'no-stream': { type: 'boolean', default: false },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    json = values.json ?? false;
    const [verb, sub, ...rest] = positionals;
    if (values.help || !verb || verb === 'help') {
      io.out(usage);
      return verb || values.help ? 0 : 2;
    }
    const print = (value: unknown, text: string) => io.out(json ? JSON.stringify(value) : text);

    core = openCore(io);

    if (verb === 'profile') {
      if (sub === 'list') {
        const state = core.settings.listProfiles();
        print(
          state,
          state.profiles
            .map((p) => `${p.id === state.activeId ? '*' : ' '} ${p.name}  ${p.baseUrl}  (${p.id})`)
            .join('\n'),
        );
        return 0;
      }
      if (sub === 'add') {
        const [name, baseUrl] = rest;
        const request = parseRequest('profiles.create', { name: name ?? '', baseUrl: baseUrl ?? '' });
        const profile = core.settings.createProfile(request);
        print(profile, `Added profile "${profile.name}" (${profile.id}) for ${profile.baseUrl}`);
        return 0;
      }
      if (sub === 'use') {
        const profile = findProfile(core, rest[0] ?? '');
        const state = core.settings.setActive(profile.id);
        print(state, `Active profile: ${profile.name} (${profile.baseUrl})`);
        return 0;
      }
      throw new CliError({
        kind: 'invalid_input',
        message: `Unknown profile command "${sub ?? ''}". Try: hubdesk help`,
      });
    }

    if (verb === 'ping') {
      const profile = values.profile ? findProfile(core, values.profile) : core.settings.activeProfile();
      const result = await core.settings.testConnection(profile.id);
      print(
        { ok: true, profile: profile.id, ...result },
        `Connected to ${result.endpoint} in ${result.latencyMs} ms (HTTP ${result.status}, ${result.model})`,
      );
      return 0;
    }

    if (verb === 'chat') {
      return await chatCommand(core, [sub, ...rest].filter((word) => word !== undefined).join(' '), {
        ...(values.model !== undefined ? { model: values.model } : {}),
        ...(values.api !== undefined ? { api: values.api } : {}),
        ...(values.system !== undefined ? { system: values.system } : {}),
        ...(values.conversation !== undefined ? { conversation: values.conversation } : {}),
        stream: !values['no-stream'],
        json,
        io,
      });
    }

    if (verb === 'history') {
      return historyCommand(core, sub, rest, { json, format: values.format, print });
    }

    throw new CliError({ kind: 'invalid_input', message: `Unknown command "${verb}". Try: hubdesk help` });
  } catch (error) {
    if (error instanceof DatabaseOpenError) {
      // Not the proxy's fault: the message says what happened to the data (or the SQLite module) and what to do.
      const message = error.message.replace(/\s+/g, ' ').trim();
      const line =
        error.cause instanceof NativeModuleError ? message : `cannot open the database: ${message}`;
      io.err(json ? JSON.stringify({ ok: false, error: { kind: 'database', message } }) : `hubdesk: ${line}`);
      return 1;
    }
    const info = error instanceof CliError ? error.info : toAppError(error);
    if (json) io.err(JSON.stringify({ ok: false, error: info }));
    else
      io.err(`hubdesk: ${info.kind}: ${info.message} ${errorAdvice[info.kind]}`.replace(/\s+/g, ' ').trim());
    return 1;
  } finally {
    await core?.close();
  }
}

async function chatCommand(
  core: Core,
  prompt: string,
  options: {
    model?: string;
    api?: string;
    system?: string;
    conversation?: string;
    stream: boolean;
    json: boolean;
    io: CliIo;
  },
): Promise<number> {
  if (!prompt.trim())
    throw new CliError({ kind: 'invalid_input', message: 'Give a prompt: hubdesk chat "…"' });
  const api = options.api === undefined ? undefined : chatApiSchema.safeParse(options.api);
  if (api && !api.success) {
    throw new CliError({
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
  const conversationId = options.conversation
    ? core.chat.updateConversation(options.conversation, chosen).id
    : core.chat.createConversation(chosen).id;

  const { io } = options;
  const showLive = options.stream && !options.json;
  const unsubscribe = core.bus.subscribe((event, payload) => {
    if (!showLive || event !== 'chat.delta') return;
    const delta = payload as EventPayload<'chat.delta'>;
    if (delta.conversationId === conversationId && delta.text) io.write(delta.text);
  });
  try {
    const started = await core.chat.send({ conversationId, text: prompt, stream: options.stream });
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
          usage: message.usage,
          finishReason: message.finishReason,
          status: message.status,
          error: message.error,
        }),
      );
    } else {
      if (!options.stream) io.write(message.text);
      io.write('\n');
    }
    if (message.status === 'complete') return 0;
    const why =
      message.error?.message ??
      (message.finishReason === 'cancelled' ? 'Stopped.' : 'The reply is incomplete.');
    if (!options.json) io.err(`hubdesk: ${message.status}: ${why} (conversation ${conversationId})`);
    return message.finishReason === 'cancelled' ? 130 : 1;
  } finally {
    unsubscribe();
  }
}

function historyCommand(
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
    const opened = core.chat.open(rest[0] ?? '');
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
      throw new CliError({ kind: 'invalid_input', message: '--format must be md or json.', field: 'format' });
    }
    const exported = core.chat.exportConversation(rest[0] ?? '', format);
    print(exported, exported.content);
    return 0;
  }
  if (sub === 'search') {
    const query = rest.join(' ');
    const request = parseRequest('search.messages', { query });
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
  throw new CliError({
    kind: 'invalid_input',
    message: `Unknown history command "${sub ?? ''}". Try: hubdesk help`,
  });
}
