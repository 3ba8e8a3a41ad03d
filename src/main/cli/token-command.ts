import { parseArgs } from 'node:util';
import type { Profile, TokenStatus } from '../../shared/profiles';
import { HubError, toAppError } from '../base/errors';
import type { Core } from '../core';
import { TOKEN_ENV_VAR } from '../secrets/token-store';
import type { CliIo } from './io';
import { parseRequest } from './parse-request';

export const tokenUsage = `Usage: hubdesk token set|status|clear [--profile ID|NAME] [--json]

  set [--check]   keep the API token in the system keychain, as Settings does: piped in on standard input
                  (printf '%s' "$TOKEN" | hubdesk token set), or typed at a prompt that does not show it.
                  Never as an argument: the shell's history and the process list would keep it.
                  --check then tests it with one cheap real call, as hubdesk ping does
  status          whether a token is set, and where from (the keychain or ${TOKEN_ENV_VAR}); never the token
  clear           remove the token from the keychain`;

const NO_ARGUMENT =
  'hubdesk token set takes no token as an argument, since your shell history and the process list would keep it: pipe it in (printf \'%s\' "$TOKEN" | hubdesk token set) or run hubdesk token set in a terminal and type it.';

function invalid(message: string, field?: string): HubError {
  return new HubError({ kind: 'invalid_input', message, ...(field ? { field } : {}) });
}

/** Where the token comes from, in words. */
function sourceWords(status: TokenStatus): string {
  if (status.source === 'env') return `from ${TOKEN_ENV_VAR}`;
  if (status.source === 'session') return 'for this run only';
  return 'from the system keychain';
}

/** `hubdesk token set|status|clear`: the profile's API token, through the same store as Settings. */
export async function tokenCommand(
  core: Core,
  args: string[],
  io: CliIo,
  findProfile: (key: string) => Profile,
): Promise<number> {
  let parsed: ReturnType<typeof parseTokenArgs>;
  try {
    parsed = parseTokenArgs(args);
  } catch (error) {
    // parseArgs names the option it does not know, never a value.
    throw invalid(`${error instanceof Error ? error.message : String(error)} Try: hubdesk token --help`);
  }
  const { values, positionals } = parsed;
  const [sub, ...extra] = positionals;
  if (values.help || !sub) {
    io.out(tokenUsage);
    return values.help ? 0 : 2;
  }
  const profile = values.profile ? findProfile(values.profile) : core.settings.activeProfile();
  const print = (value: object, text: string) =>
    io.out(values.json ? JSON.stringify({ ok: true, profile: profile.name, ...value }) : text);

  if (sub === 'set') {
    if (extra.length > 0 || values.token !== undefined) throw invalid(NO_ARGUMENT, 'token');
    const token = await readToken(io, profile);
    const request = parseRequest(
      'token.set',
      { profileId: profile.id, token, persist: 'keychain' },
      { token: 'the token' },
    );
    const status = await keptInKeychain(() => core.settings.setToken(profile.id, request.token, 'keychain'));
    const saved = `Saved the API token of profile "${profile.name}" in the system keychain.`;
    const envNote =
      status.source === 'env'
        ? ` ${TOKEN_ENV_VAR} is set in this shell, and HubDesk uses it instead while it is.`
        : '';
    if (!values.check) {
      print(status, `${saved}${envNote}`);
      return 0;
    }
    if (!values.json) io.out(`${saved}${envNote}`);
    const result = await core.settings.testConnection(profile.id);
    if (values.json) print({ ...status, check: result }, '');
    else io.out(`Checked: the proxy accepted it (${result.endpoint}, ${result.latencyMs} ms).`);
    return 0;
  }

  if (sub === 'status') {
    if (extra.length > 0) throw invalid(`Unknown argument "${extra[0]}". Try: hubdesk token --help`);
    const status = await core.settings.tokenStatus(profile.id);
    const keychainNote =
      status.keychain.available || !status.keychain.error
        ? ''
        : ' The system keychain cannot be used here, so `hubdesk token set` cannot keep one (`hubdesk doctor` says why).';
    print(
      status,
      status.set
        ? `An API token is set for profile "${profile.name}", ${sourceWords(status)}.${keychainNote}`
        : `No API token is set for profile "${profile.name}". Run \`hubdesk token set\` or set ${TOKEN_ENV_VAR}.${keychainNote}`,
    );
    return 0;
  }

  if (sub === 'clear') {
    if (extra.length > 0) throw invalid(`Unknown argument "${extra[0]}". Try: hubdesk token --help`);
    const before = await core.settings.tokenStatus(profile.id);
    const status = await keptInKeychain(() => core.settings.clearToken(profile.id));
    const removed =
      before.source === 'keychain'
        ? `Removed the API token of profile "${profile.name}" from the system keychain.`
        : before.source === 'env'
          ? `Removed any API token of profile "${profile.name}" from the system keychain.`
          : `No API token was kept in the system keychain for profile "${profile.name}".`;
    const envNote =
      status.source === 'env'
        ? ` ${TOKEN_ENV_VAR} still sets one in this shell; unset it to stop using it.`
        : '';
    print(status, `${removed}${envNote}`);
    return 0;
  }

  throw invalid(`Unknown token command "${sub}". Try: hubdesk token --help`);
}

function parseTokenArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      profile: { type: 'string' },
      check: { type: 'boolean', default: false },
      // Known only so that it can be refused with the reason.
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/** The token piped in, or typed at a prompt that does not show it. */
async function readToken(io: CliIo, profile: Profile): Promise<string> {
  if (!io.readSecret)
    throw invalid('HubDesk cannot read a token here: pipe it in on standard input.', 'token');
  const text = await io.readSecret(`API token for profile "${profile.name}" (it is not shown as you type): `);
  if (io.signal?.aborted) throw new HubError({ kind: 'cancelled', message: 'Stopped; no token was saved.' });
  const token = text.trim();
  if (token === '') {
    throw invalid(
      'No token came in: pipe it in (printf \'%s\' "$TOKEN" | hubdesk token set) or type it at the prompt.',
      'token',
    );
  }
  return token;
}

/** A keychain that cannot keep the token, said for the terminal, where the way out is HUBDESK_TOKEN. */
async function keptInKeychain(change: () => Promise<TokenStatus>): Promise<TokenStatus> {
  try {
    return await change();
  } catch (error) {
    if (toAppError(error).kind !== 'keychain_unavailable') throw error;
    // The store's own words offer to keep the token for this run only, which a command that ends cannot do.
    throw new HubError({
      kind: 'keychain_unavailable',
      message:
        'The system keychain cannot keep the token (`hubdesk doctor` says why): install and unlock one (gnome-keyring, KWallet), or set HUBDESK_TOKEN.',
    });
  }
}
