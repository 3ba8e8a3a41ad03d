import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { electronBuildEnv, gypReason, prepareElectron } from '../scripts/electron-runtime';
import { electronBindingFile } from '../src/main/store/sqlite-binding';

/**
 * `npm start`'s first step, on a project folder of the test's making: node_modules entries link to the real
 * packages, so the Electron install script, prebuild-install and node-gyp run for real. Every download address
 * points at a closed port on 127.0.0.1: nothing leaves the machine.
 */
const root = join(import.meta.dirname, '..');
const electronPackage = JSON.parse(
  readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
) as {
  version: string;
};
const version = electronPackage.version;
let closedPort: string;

let project: string;
let offline: NodeJS.ProcessEnv;
beforeAll(async () => {
  // A port that was free a moment ago: connections to it are refused (fetch will not even try port 9).
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  closedPort = `http://127.0.0.1:${port}`;
  offline = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ELECTRON_MIRROR: `${closedPort}/`,
    npm_config_better_sqlite3_binary_host: closedPort,
    HUBDESK_ELECTRON_HEADERS_URL: closedPort,
  };
});
beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'hubdesk-prepare-'));
  mkdirSync(join(project, 'node_modules/electron'), { recursive: true });
  for (const file of ['package.json', 'install.js', 'checksums.json']) {
    symlinkSync(join(root, 'node_modules/electron', file), join(project, 'node_modules/electron', file));
  }
  for (const name of ['@electron', '@electron-internal', 'better-sqlite3', 'node-gyp']) {
    symlinkSync(join(root, 'node_modules', name), join(project, 'node_modules', name));
  }
});
afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

function installFakeElectronBinary(): void {
  const dist = join(project, 'node_modules/electron/dist');
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, 'version'), `v${version}`);
  writeFileSync(join(dist, 'electron'), '');
  writeFileSync(join(project, 'node_modules/electron/path.txt'), 'electron');
}

describe('preparing Electron to start HubDesk', () => {
  it('offline with no Electron binary: one sentence naming what is missing and the command to run again', () => {
    const lines: string[] = [];
    const result = prepareElectron({
      projectDir: project,
      env: { ...offline, electron_config_cache: join(project, 'electron-cache') },
      command: 'npm run dev',
      log: (line) => lines.push(line),
    });
    expect(result.ok).toBe(false);
    expect(result.binary).toBe('failed');
    expect(result.problem).toMatch(
      new RegExp(
        `^HubDesk needs the Electron ${version.replaceAll('.', '\\.')} binary and could not download it \\(.+\\): connect to the internet .* and run \`npm run dev\` again\\.$`,
      ),
    );
    expect(result.problem).not.toContain('\n');
    expect(lines).toEqual([`Downloading the Electron ${version} binary (once)…`]);
  });

  it('offline with no Electron build of better-sqlite3: tries the prebuilt binary, then compiling, then says so', () => {
    const result = prepareElectron({
      projectDir: project,
      env: { ...offline, npm_config_devdir: join(project, 'gyp-cache') },
      binary: false,
      log: () => {},
    });
    expect(result.ok).toBe(false);
    expect(result.sqlite).toBe('failed');
    expect(result.problem).toMatch(
      new RegExp(
        `^HubDesk needs better-sqlite3 built for Electron ${version.replaceAll('.', '\\.')} and could not get it: ` +
          "the prebuilt download failed \\(.+\\) and compiling it failed \\(could not download Electron's headers[^)]*\\); " +
          'connect to the internet and run `npm start` again\\.$',
      ),
    );
    // Nothing half-made is left to be mistaken for a build.
    expect(existsSync(result.bindingFile)).toBe(false);
    expect(existsSync(dirname(result.bindingFile))).toBe(false);
  });

  it('once both are in place, touches no network and stages the build for packaging', () => {
    installFakeElectronBinary();
    const cached = electronBindingFile(project, {
      electronVersion: version,
      platform: process.platform,
      arch: process.arch,
    });
    mkdirSync(dirname(cached), { recursive: true });
    writeFileSync(cached, 'the Electron build');
    const lines: string[] = [];
    const stage = join(project, 'out/native');
    const result = prepareElectron({
      projectDir: project,
      env: offline,
      stage,
      log: (line) => lines.push(line),
    });
    expect(result).toMatchObject({ ok: true, binary: 'ready', sqlite: 'ready', bindingFile: cached });
    expect(lines).toEqual([]);
    expect(readFileSync(join(stage, 'better_sqlite3.node'), 'utf8')).toBe('the Electron build');
  });

  it('builds against Electron’s headers even where npm is set up for Node’s (CI sets npm_config_nodedir)', () => {
    const env = electronBuildEnv({
      PATH: '/bin',
      npm_config_nodedir: '/usr',
      npm_config_runtime: 'node',
      HOME: '/h',
    });
    expect(env).toEqual({ PATH: '/bin', HOME: '/h' });
  });

  it('reads why node-gyp failed from its output', () => {
    expect(
      gypReason(
        'gyp info ok\n  ../src/x.cpp:1:10: fatal error: v8.h: No such file or directory\ngyp ERR! not ok',
      ),
    ).toBe('../src/x.cpp:1:10: fatal error: v8.h: No such file or directory');
    expect(gypReason('gyp ERR! stack Error: `make` failed with exit code: 2\ngyp ERR! not ok')).toBe(
      '`make` failed with exit code: 2',
    );
  });
});
