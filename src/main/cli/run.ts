import { parseArgs } from 'node:util';
import { type Channel, channels, type ParsedRequestOf, type Profile } from '../../shared/contract';
import { type AppError, errorAdvice } from '../../shared/errors';
import { toAppError } from '../api/errors';
import { type Core, createCore } from '../core';
import { invalidInput } from '../ipc/router';
import { defaultDataDir } from '../paths';
import type { KeytarLike } from '../secrets/token-store';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  keytar?: KeytarLike | (() => Promise<KeytarLike>);
}

const usage = `Usage: hubdesk [--json] <command>

Commands:
  profile list                 List profiles (* marks the active one)
  profile add <name> <url>     Add a profile for a proxy base URL
  profile use <id|name>        Make a profile the active one
  ping [--profile <id|name>]   Test the connection: one cheap real call

Environment:
  HUBDESK_DATA_DIR   data folder (database, library)
  HUBDESK_BASE_URL   send requests to this base URL for this run
  HUBDESK_TOKEN      API token for this run (else the system keychain)`;

class CliError extends Error {
  constructor(readonly info: AppError) {
    super(info.message);
  }
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
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        profile: { type: 'string' },
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

    core = createCore({
      dataDir: defaultDataDir(io.env),
      env: io.env,
      ...(io.keytar ? { keytar: io.keytar } : {}),
    });

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

    throw new CliError({ kind: 'invalid_input', message: `Unknown command "${verb}". Try: hubdesk help` });
  } catch (error) {
    const info = error instanceof CliError ? error.info : toAppError(error);
    if (json) io.err(JSON.stringify({ ok: false, error: info }));
    else
      io.err(`hubdesk: ${info.kind}: ${info.message} ${errorAdvice[info.kind]}`.replace(/\s+/g, ' ').trim());
    return 1;
  } finally {
    await core?.close();
  }
}
