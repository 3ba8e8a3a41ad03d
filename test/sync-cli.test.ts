import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../src/main/cli/run';
import { memoryKeytar } from './support/memory-keytar';
import { removeTempFolders, tempFolder } from './support/sync-computers';

afterEach(removeTempFolders);

/** One computer as the CLI sees it: a data folder and a keychain; each call gives its exit code and output. */
function terminal(dataDir: string, keytar = memoryKeytar()) {
  return async (args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      env: { HUBDESK_DATA_DIR: dataDir, ...options.env },
      keytar,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      write: () => {},
      ...(options.stdin !== undefined ? { readSecret: async () => options.stdin ?? '' } : {}),
    };
    const code = await runCli(args, io);
    return { code, out: out.join('\n'), err: err.join('\n'), keytar };
  };
}

describe('hubdesk sync', () => {
  it('sets up a folder, syncs two computers, says its status, and turns off', async () => {
    const remote = await tempFolder('remote');
    const laptop = terminal(join(await tempFolder('laptop'), 'data'));
    const desktop = terminal(join(await tempFolder('desktop'), 'data'));

    const setup = await laptop(['sync', 'setup', 'folder', remote, '--json'], {
      env: { HUBDESK_SYNC_PASSPHRASE: 'pass phrase one' },
    });
    expect(setup.code, setup.err).toBe(0);
    expect(JSON.parse(setup.out)).toMatchObject({ ok: true, configured: true, describe: `folder ${remote}` });
    const first = await laptop(['sync', 'now', '--json']);
    expect(first.code, first.err).toBe(0);
    expect(JSON.parse(first.out).report).toMatchObject({ problems: [] });

    // The passphrase piped in on standard input; a wrong one is refused with words.
    const wrong = await desktop(['sync', 'setup', 'folder', remote], { stdin: 'not it\n' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/passphrase is not the one/);
    const lazy = await desktop(['sync', 'setup', 'folder', remote, '--media', 'lazy'], {
      stdin: 'pass phrase one\n',
    });
    expect(lazy.code).toBe(1);
    expect(lazy.err).toMatch(/--media is eager or on-demand/);
    const right = await desktop(['sync', 'setup', 'folder', remote, '--media', 'on-demand'], {
      stdin: 'pass phrase one\n',
    });
    expect(right.code, right.err).toBe(0);
    expect(right.out).toMatch(/Sync is set up: folder .*; media come when opened/);
    const synced = await desktop(['sync', 'now']);
    expect(synced.code, synced.err).toBe(0);
    expect(synced.out).toMatch(/^Synced: /);

    const status = await desktop(['sync', 'status']);
    expect(status.out).toMatch(`Sync goes to folder ${remote}`);
    expect(status.out).toMatch(/Last sync: /);
    expect(status.out).toMatch(/\(--media on-demand\); 0 file\(s\), 0 bytes, are not here yet/);
    const statusJson = JSON.parse((await desktop(['sync', 'status', '--json'])).out);
    expect(statusJson).toMatchObject({
      configured: true,
      waiting: { rows: 0, changeSets: 0 },
      media: { mode: 'on-demand', waiting: { files: 0, bytes: 0 } },
    });

    const off = await desktop(['sync', 'off', '--json']);
    expect(JSON.parse(off.out)).toMatchObject({ configured: false });
    expect(off.keytar.entries.size).toBe(0);
    const after = await desktop(['sync', 'now']);
    expect(after.code).toBe(1);
    expect(after.err).toMatch(/not set up/);
  });

  it('says what is missing from a target, and that a WebDAV server that cannot be reached cannot be reached', async () => {
    const laptop = terminal(join(await tempFolder('laptop'), 'data'));
    const noUser = await laptop(['sync', 'setup', 'webdav', 'https://127.0.0.1/dav'], {
      env: { HUBDESK_SYNC_PASSPHRASE: 'x', HUBDESK_SYNC_SECRET: 'y' },
    });
    expect(noUser.code).toBe(1);
    expect(noUser.err).toMatch(/--user NAME/);
    const webdav = await laptop(
      // Nothing listens on port 9 here: the connection is refused before anything is sent.
      ['sync', 'setup', 'webdav', 'http://127.0.0.1:9/dav', '--user', 'me', '--json'],
      {
        env: { HUBDESK_SYNC_PASSPHRASE: 'x', HUBDESK_SYNC_SECRET: 'y' },
      },
    );
    expect(webdav.code).toBe(1);
    expect(JSON.parse(webdav.err).error).toMatchObject({
      code: 'sync_address',
      reason: { code: 'syncStorage', values: { problem: 'address' } },
    });
    expect(JSON.parse(webdav.err).error.message).toMatch(/cannot be reached at that address/);
  });
});
