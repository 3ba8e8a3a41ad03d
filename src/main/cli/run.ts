import { parseArgs } from 'node:util';
import { terminalAdvice } from '../../shared/errors';
import { modelLabel } from '../../shared/model-names';
import { DEFAULT_MODEL_ID } from '../../shared/models';
import type { Profile } from '../../shared/profiles';
import { HubError, toAppError } from '../base/errors';
import { type Core, createCore, DatabaseOpenError, databaseUpdateLine } from '../core';
import { defaultDataDir } from '../paths';
import { NativeModuleError } from '../store/sqlite-binding';
import { chatCommand, historyCommand } from './chat-command';
import { doctorCommand } from './doctor-command';
import type { CliIo } from './io';
import { kbCommand } from './kb-command';
import { mcpCommand } from './mcp-command';
import { parseRequest } from './parse-request';
import { pricesCommand } from './prices-command';
import { searchCommand } from './search-command';
import { syncCommand } from './sync-command';
import { tokenCommand } from './token-command';
import { transcribeCommand } from './transcribe-command';
import { videoCommand } from './video-command';

export type { CliIo } from './io';

const usage = `Usage: hubdesk [--json] <command>

Commands:
  profile list                 List profiles (* marks the active one)
  profile add <name> <url>     Add a profile for a proxy base URL
  profile use <id|name>        Make a profile the active one
  profile model [ID|none] [--profile <id|name>]
                               Show or set the model new chats on a profile start with
  token set|status|clear       The API token in the system keychain: set reads it from stdin or a
                               prompt that does not show it (hubdesk token --help)
  ping [--profile <id|name>]   Test the connection: one cheap real call
  chat [options] PROMPT        Ask a model; the reply streams to stdout and is stored
      --model ID (default: the active profile's default model, else ${DEFAULT_MODEL_ID})
      --api openai-chat|openai-responses|claude-messages|gemini
      --system TEXT  --conversation ID (continue one)  --no-stream
      --tools SERVER[,SERVER]  --approve ask|auto|never (ask: y/n on the terminal)
      --kb NAME (repeatable: send passages of these knowledge bases; the reply lists its sources)
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
  mcp add NAME -- COMMAND [ARGS...] | mcp add NAME --url URL [--header "K: V"]
  mcp list | tools NAME | call NAME TOOL --args JSON | login NAME | logout NAME | remove NAME
                               MCP tool servers (hubdesk mcp --help for more)
  kb add NAME PATH... | kb list | status NAME | sync NAME | search NAME QUERY | remove NAME
                               Knowledge bases over your folders and files (hubdesk kb --help)
  prices [--all]               The prices costs are counted at (set them in Settings → Prices)
  sync setup folder|webdav|s3 WHERE | sync now | sync status | sync off
                               Sync this library with your other computers, end-to-end encrypted,
                               through storage you own (hubdesk sync --help)
  doctor [--online]            Check what HubDesk needs (modules, ffmpeg, data folder, database);
                               exits 1 when a check fails. --online adds the connection test

Environment:
  HUBDESK_DATA_DIR   data folder (database, library)
  HUBDESK_BASE_URL   send requests to this base URL for this run
  HUBDESK_TOKEN      API token for this run (else the system keychain)
  HUBDESK_SYNC_PASSPHRASE, HUBDESK_SYNC_SECRET
                     the sync passphrase and storage password (else the system keychain)`;

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
  if (!match) throw new HubError({ kind: 'not_found', message: `No profile named or with id "${key}".` });
  return match;
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
      ownParser === 'index' ||
      ownParser === 'mcp' ||
      ownParser === 'kb' ||
      ownParser === 'token' ||
      ownParser === 'sync'
    ) {
      const rest = [...argv.slice(0, verbAt), ...argv.slice(verbAt + 1)];
      const dashes = rest.indexOf('--');
      json = (dashes === -1 ? rest : rest.slice(0, dashes)).includes('--json');
      core = openCore(io);
      if (ownParser === 'mcp') return await mcpCommand(core, rest, io);
      if (ownParser === 'kb') return await kbCommand(core, rest, io);
      if (ownParser === 'sync') return await syncCommand(core, rest, io);
      if (ownParser === 'token') {
        const opened = core;
        return await tokenCommand(opened, rest, io, (key) => findProfile(opened, key));
      }
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
        tools: { type: 'string' },
        approve: { type: 'string' },
        kb: { type: 'string', multiple: true },
        format: { type: 'string' },
        all: { type: 'boolean', default: false },
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
            .map(
              (p) =>
                `${p.id === state.activeId ? '*' : ' '} ${p.name}  ${p.baseUrl}  (${p.id})${p.defaultModel ? `  model ${p.defaultModel}` : ''}`,
            )
            .join('\n'),
        );
        return 0;
      }
      if (sub === 'add') {
        const [name, baseUrl] = rest;
        const request = parseRequest(
          'profiles.create',
          { name: name ?? '', baseUrl: baseUrl ?? '' },
          { name: 'the profile name', baseUrl: 'the base URL' },
        );
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
      if (sub === 'model') {
        const profile = values.profile ? findProfile(core, values.profile) : core.settings.activeProfile();
        const [model] = rest;
        const updated =
          model === undefined
            ? profile
            : core.settings.updateProfile(profile.id, { defaultModel: model === 'none' ? null : model });
        print(
          { profile: updated.id, defaultModel: updated.defaultModel },
          updated.defaultModel
            ? `New chats on ${updated.name} start with ${modelLabel(updated.defaultModel)} (${updated.defaultModel})`
            : `${updated.name} has no default model: new chats start with ${modelLabel(DEFAULT_MODEL_ID)} (${DEFAULT_MODEL_ID})`,
        );
        return 0;
      }
      throw new HubError({
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
        ...(values.tools !== undefined ? { tools: values.tools } : {}),
        ...(values.approve !== undefined ? { approve: values.approve } : {}),
        ...(values.kb !== undefined ? { knowledgeBases: values.kb } : {}),
        stream: !values['no-stream'],
        json,
        io,
      });
    }

    if (verb === 'prices') return pricesCommand(core, sub, { json, all: values.all ?? false, print });

    if (verb === 'history') {
      return historyCommand(core, sub, rest, { json, format: values.format, print });
    }

    throw new HubError({ kind: 'invalid_input', message: `Unknown command "${verb}". Try: hubdesk help` });
  } catch (error) {
    if (error instanceof DatabaseOpenError) {
      // Not the proxy's fault: the message says what happened to the data (or the SQLite module) and what to do.
      const message = error.message.replace(/\s+/g, ' ').trim();
      const line =
        error.cause instanceof NativeModuleError ? message : `cannot open the database: ${message}`;
      io.err(json ? JSON.stringify({ ok: false, error: { kind: 'database', message } }) : `hubdesk: ${line}`);
      return 1;
    }
    const info = toAppError(error);
    if (json) io.err(JSON.stringify({ ok: false, error: info }));
    else io.err(`hubdesk: ${info.kind}: ${info.message} ${terminalAdvice(info)}`.replace(/\s+/g, ' ').trim());
    return 1;
  } finally {
    await core?.close();
  }
}
