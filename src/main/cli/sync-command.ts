import { parseArgs } from 'node:util';
import { type SyncReport, type SyncStatus, syncMediaModes } from '../../shared/sync';
import { type SyncTarget, syncTargetSchema } from '../../shared/sync-target';
import { HubError } from '../base/errors';
import type { Core } from '../core';
import { SYNC_PASSPHRASE_ENV_VAR, SYNC_SECRET_ENV_VAR } from '../secrets/sync-secret-store';
import type { CliIo } from './io';

export const syncUsage = `Usage: hubdesk sync setup|now|status|off [--json]

  setup folder PATH                         sync through a folder you keep in sync by other means
  setup webdav URL --user NAME              sync through a WebDAV server (Nextcloud, ownCloud, a NAS)
  setup s3 ENDPOINT --bucket B [--region R] [--prefix P] [--access-key-id ID] [--path-style]
                                            sync through an S3-compatible bucket
        The sync passphrase (and the WebDAV password or S3 secret key) come from ${SYNC_PASSPHRASE_ENV_VAR}
        (and ${SYNC_SECRET_ENV_VAR}), else from a prompt that does not show them, else from standard input
        (the password on the first line, the passphrase on the next). Never as arguments.
        Everything is encrypted on this computer with a key only the passphrase unlocks: use the same
        passphrase on every computer, and keep it somewhere safe; without it the synced copy cannot be read.
        --media eager|on-demand: every sync brings all media from your other computers (eager, the default),
        or only thumbnails and chat images, a video or kept audio when you open it (on-demand).
  now                                       sync once: send this computer's changes, apply the others'
  status                                    where sync goes, what waits to be sent, how the last sync went
  off                                       stop syncing here (the storage and this computer keep their data)`;

function invalid(message: string, field?: string): HubError {
  return new HubError({ kind: 'invalid_input', message, ...(field ? { field } : {}) });
}

/** `hubdesk sync …`: the SyncService, as Settings → Sync uses it. */
export async function syncCommand(core: Core, args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseSyncArgs>;
  try {
    parsed = parseSyncArgs(args);
  } catch (error) {
    throw invalid(`${error instanceof Error ? error.message : String(error)} Try: hubdesk sync --help`);
  }
  const { values, positionals } = parsed;
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    io.out(syncUsage);
    return values.help ? 0 : 2;
  }
  const print = (value: object, text: string) =>
    io.out(values.json ? JSON.stringify({ ok: true, ...value }) : text);

  const media = mediaModeOf(values.media);
  if (sub === 'setup') {
    const target = targetOf(rest, values);
    const { secret, passphrase } = await readSecrets(io, target.kind !== 'folder');
    let status = await core.sync.setup(target, secret, passphrase, io.signal);
    if (media) status = core.sync.setMediaMode(media);
    print(
      status,
      `Sync is set up: ${status.describe}; media ${mediaWords[status.media.mode]}. Run \`hubdesk sync now\` to sync.`,
    );
    return 0;
  }
  if (media) throw invalid('--media goes with `hubdesk sync setup`. Try: hubdesk sync --help', 'media');
  if (rest.length > 0) throw invalid(`Unknown argument "${rest[0]}". Try: hubdesk sync --help`);
  if (sub === 'now') {
    const report = await core.sync.now(io.signal ? { signal: io.signal } : {});
    print({ report }, reportWords(report));
    return report.problems.length > 0 ? 1 : 0;
  }
  if (sub === 'status') {
    const status = core.sync.status();
    print(status, statusWords(status));
    return 0;
  }
  if (sub === 'off') {
    const status = await core.sync.off();
    print(status, 'Sync is off on this computer. What is here and on the storage stays.');
    return 0;
  }
  throw invalid(`Unknown sync command "${sub}". Try: hubdesk sync --help`);
}

function parseSyncArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      user: { type: 'string' },
      bucket: { type: 'string' },
      region: { type: 'string' },
      prefix: { type: 'string' },
      'access-key-id': { type: 'string' },
      'path-style': { type: 'boolean', default: false },
      media: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

const mediaWords: Record<SyncStatus['media']['mode'], string> = {
  eager: 'come with every sync',
  'on-demand': 'come when opened (thumbnails and chat images with every sync)',
};

function mediaModeOf(value: string | undefined): SyncStatus['media']['mode'] | undefined {
  if (value === undefined) return undefined;
  const mode = syncMediaModes.find((known) => known === value);
  if (!mode) throw invalid(`--media is eager or on-demand, not "${value}".`, 'media');
  return mode;
}

function targetOf(rest: string[], values: ReturnType<typeof parseSyncArgs>['values']): SyncTarget {
  const [kind, where, ...extra] = rest;
  if (extra.length > 0) throw invalid(`Unknown argument "${extra[0]}". Try: hubdesk sync --help`);
  if (!where)
    throw invalid(
      'Say where to sync: a folder path, a WebDAV URL or an S3 endpoint. Try: hubdesk sync --help',
    );
  const candidate =
    kind === 'folder'
      ? { kind, path: where }
      : kind === 'webdav'
        ? { kind, url: where, user: values.user ?? '' }
        : kind === 's3'
          ? {
              kind,
              endpoint: where,
              bucket: values.bucket ?? '',
              ...(values.region ? { region: values.region } : {}),
              ...(values.prefix ? { prefix: values.prefix } : {}),
              accessKeyId: values['access-key-id'] ?? '',
              ...(values['path-style'] ? { forcePathStyle: true } : {}),
            }
          : null;
  if (!candidate) throw invalid(`Sync goes to a folder, webdav or s3, not "${kind ?? ''}".`, 'kind');
  const result = syncTargetSchema.safeParse(candidate);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const flag: Record<string, string> = {
    user: '--user NAME',
    bucket: '--bucket B (3 to 63 characters)',
    accessKeyId: '--access-key-id ID',
    url: 'a URL such as https://cloud.example.com/remote.php/dav/files/me/HubDesk',
    endpoint: 'an endpoint URL such as https://s3.eu-central-1.amazonaws.com',
  };
  throw invalid(`The ${kind} target needs ${flag[field] ?? field}.`, field);
}

/** The storage secret (WebDAV, S3) and the passphrase: the environment, else a hidden prompt, else stdin's lines. */
async function readSecrets(io: CliIo, needsSecret: boolean): Promise<{ secret: string; passphrase: string }> {
  let secret = needsSecret ? (io.env[SYNC_SECRET_ENV_VAR] ?? '') : '';
  let passphrase = io.env[SYNC_PASSPHRASE_ENV_VAR] ?? '';
  if ((needsSecret && !secret) || !passphrase) {
    if (!io.readSecret)
      throw invalid(`Set ${SYNC_PASSPHRASE_ENV_VAR}, or pipe the passphrase in.`, 'passphrase');
    if (io.ask) {
      if (needsSecret && !secret) secret = (await io.readSecret('Storage password (not shown): ')).trim();
      if (!passphrase) passphrase = (await io.readSecret('Sync passphrase (not shown): ')).trim();
    } else {
      const lines = (await io.readSecret('')).split(/\r?\n/);
      if (needsSecret && !secret) secret = lines.shift()?.trim() ?? '';
      if (!passphrase) passphrase = lines.shift()?.trim() ?? '';
    }
  }
  if (io.signal?.aborted) throw new HubError({ kind: 'cancelled', message: 'Stopped; sync was not set up.' });
  if (needsSecret && !secret) throw invalid('No storage password came in.', 'secret');
  if (!passphrase) throw invalid('No sync passphrase came in.', 'passphrase');
  return { secret, passphrase };
}

function reportWords(report: SyncReport): string {
  const lines = [
    `Synced: ${report.uploaded} change set(s) sent, ${report.applied} applied (${report.rows} row(s) changed here), ` +
      `${report.conflicts} conflicting edit(s) settled; ${report.bytesUp} bytes up, ${report.bytesDown} bytes down.`,
  ];
  if (report.compacted) lines.push('Older change sets were folded into a snapshot.');
  for (const problem of report.problems) lines.push(`Not applied: ${problem.message}`);
  return lines.join('\n');
}

function statusWords(status: SyncStatus): string {
  if (!status.configured) return 'Sync is off on this computer. Set it up with `hubdesk sync setup`.';
  const lines = [
    `Sync goes to ${status.describe} (this computer: ${status.device}).`,
    `Waiting to be sent: ${status.waiting.rows} changed row(s), ${status.waiting.changeSets} change set(s).`,
    `Media from your other computers ${mediaWords[status.media.mode]} (--media ${status.media.mode}); ` +
      `${status.media.waiting.files} file(s), ${status.media.waiting.bytes} bytes, are not here yet.`,
  ];
  if (status.offline) lines.push(offlineWords(status.offline.since, status.nextAt));
  const last = status.last;
  if (last?.error)
    lines.push(`The last sync, at ${new Date(last.at).toISOString()}, failed: ${last.error.message}`);
  else if (last?.report)
    lines.push(`Last sync: ${new Date(last.at).toISOString()}. ${reportWords(last.report)}`);
  else lines.push('It has not synced yet.');
  return lines.join('\n');
}

function offlineWords(since: number, nextAt: number | null): string {
  const words = `Offline — the storage cannot be reached (since ${new Date(since).toISOString()}).`;
  if (nextAt === null)
    return `${words} The app tries again in the background; \`hubdesk sync now\` tries now.`;
  return `${words} Trying again at ${new Date(nextAt).toISOString()}.`;
}
