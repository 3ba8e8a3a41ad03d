import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gypReason, prepareElectron } from '../scripts/electron-runtime';
import { betterSqlite3Binary } from '../src/main/store/sqlite-binding';

/**
 * `npm start`'s first step, on a project folder of the test's making: node_modules entries link to (or copy) the real
 * packages, so the Electron install script and node-gyp run for real. Every download address points at a closed port
 * on 127.0.0.1: nothing leaves the machine.
 */
const root = join(import.meta.dirname, '..');
const version = (
  JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
).version;

let offline: NodeJS.ProcessEnv;
let project: string;

beforeAll(async () => {
  // A port that was free a moment ago: connections to it are refused.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  offline = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
  };
});

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'hubdesk-prepare-'));
  mkdirSync(join(project, 'node_modules/electron'), { recursive: true });
  for (const file of ['package.json', 'install.js', 'checksums.json']) {
    symlinkSync(join(root, 'node_modules/electron', file), join(project, 'node_modules/electron', file));
  }
  for (const name of ['@electron', '@electron-internal', 'better-sqlite3', 'node-gyp', 'node-addon-api']) {
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
        `^HubDesk needs the Electron ${version.replaceAll('.', '\\.')} binary and could not download it \\(.+\\): ` +
          'connect to the internet .* and run `npm run dev` again\\.$',
      ),
    );
    expect(result.problem).not.toContain('\n');
    expect(lines).toEqual([`Downloading the Electron ${version} binary (once)…`]);
  });

  it('once the binary is there, better-sqlite3’s prebuilt binary serves Electron as it is: no network, no build', () => {
    installFakeElectronBinary();
    const lines: string[] = [];
    const result = prepareElectron({ projectDir: project, env: offline, log: (line) => lines.push(line) });
    expect(result).toMatchObject({ ok: true, binary: 'ready', sqlite: 'prebuilt' });
    expect(result.sqliteBinary).toBe(betterSqlite3Binary());
    expect(lines).toEqual([]);
  });

  it('where the package ships no binary for the machine, compiles one, and says why when it cannot', () => {
    // A copy of better-sqlite3 with no prebuilt binaries and no sources to build: node-gyp runs and fails at once.
    rmSync(join(project, 'node_modules/better-sqlite3'));
    const copy = join(project, 'node_modules/better-sqlite3');
    for (const entry of ['package.json', 'binding.gyp', 'lib']) {
      cpSync(join(root, 'node_modules/better-sqlite3', entry), join(copy, entry), { recursive: true });
    }
    const lines: string[] = [];
    const result = prepareElectron({
      projectDir: project,
      env: { ...offline, npm_config_devdir: join(project, 'gyp-home') },
      binary: false,
      command: 'npm run dist',
      log: (line) => lines.push(line),
    });
    expect(lines).toEqual([
      `better-sqlite3 ships no prebuilt binary for ${process.platform}-${process.arch}; compiling it once…`,
    ]);
    expect(result).toMatchObject({ ok: false, sqlite: 'failed' });
    expect(result.problem).toMatch(
      /^better-sqlite3 ships no prebuilt binary for [a-z0-9]+-[a-z0-9]+ and compiling it failed \(.+\): install a C\+\+ toolchain and Python \(see README, Set-up\) and run `npm run dist` again\.$/,
    );
    expect(existsSync(join(copy, 'build/Release/better_sqlite3.node'))).toBe(false);
  });

  it('reads why node-gyp failed from its output', () => {
    expect(
      gypReason(
        'gyp info ok\n  ../src/x.cpp:1:10: fatal error: napi.h: No such file or directory\ngyp ERR! not ok',
      ),
    ).toBe('../src/x.cpp:1:10: fatal error: napi.h: No such file or directory');
    expect(gypReason('gyp ERR! stack Error: `make` failed with exit code: 2\ngyp ERR! not ok')).toBe(
      '`make` failed with exit code: 2',
    );
  });
});
