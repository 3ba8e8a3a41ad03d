import { execFile, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../src/main/store/database';
import {
  currentRuntime,
  electronBindingFile,
  explainNativeLoadError,
  NativeModuleError,
  type RuntimeInfo,
} from '../src/main/store/sqlite-binding';

/**
 * One checkout serves two runtimes: Node (CLI, tests) and Electron (the app). What each native piece needs, read
 * from the binaries themselves, and what a person sees when a binary does not fit the runtime.
 */
const run = promisify(execFile);
const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin/hubdesk.js');

/** The symbols a shared object needs from the process that loads it (`nm -D --undefined-only`). */
function importedSymbols(file: string): string[] {
  return execFileSync('nm', ['-D', '--undefined-only', file], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/).pop() ?? '')
    .filter(Boolean);
}

const v8Symbol = (name: string) => name.startsWith('_ZN2v8') || name.startsWith('_ZN4node');
const napiSymbol = (name: string) => name.startsWith('napi_');

describe.runIf(process.platform === 'linux')('native modules, read from their binaries', () => {
  const betterSqlite = join(
    dirname(require.resolve('better-sqlite3/package.json')),
    'build/Release/better_sqlite3.node',
  );
  const keytar = join(dirname(require.resolve('keytar/package.json')), 'build/Release/keytar.node');

  it('better-sqlite3 links against V8 itself, so Node and Electron each need their own build', () => {
    const symbols = importedSymbols(betterSqlite);
    expect(symbols.filter(v8Symbol).length).toBeGreaterThan(20);
  });

  it('keytar uses only N-API: the one binary npm built serves Node and Electron', () => {
    const symbols = importedSymbols(keytar);
    expect(symbols.filter(napiSymbol).length).toBeGreaterThan(5);
    expect(symbols.filter(v8Symbol)).toEqual([]);
  });

  it('sqlite-vec is a SQLite extension: it needs nothing from Node or V8', async () => {
    const sqliteVec = (await import('sqlite-vec')) as { getLoadablePath(): string };
    const symbols = importedSymbols(sqliteVec.getLoadablePath());
    expect(symbols.filter((name) => v8Symbol(name) || napiSymbol(name))).toEqual([]);
  });
});

describe('a better-sqlite3 that does not fit the runtime', () => {
  const node20: RuntimeInfo = { node: '20.20.2', abi: '115', platform: 'linux', arch: 'x64' };
  const electron: RuntimeInfo = {
    node: '24.9.0',
    electron: '45.4.1',
    abi: '150',
    platform: 'linux',
    arch: 'x64',
  };
  const abiError = new Error(
    "The module '/x/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
      'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 137. This version of Node.js ' +
      'requires\nNODE_MODULE_VERSION 115. Please try re-compiling or re-installing\nthe module (for instance, using ' +
      '`npm rebuild` or `npm install`).',
  );

  it('names the runtime it was built for, the one running, and the command that fixes it', () => {
    const explained = explainNativeLoadError(abiError, node20);
    expect(explained?.message).toBe(
      "HubDesk's SQLite module (better-sqlite3) was built for Node 24 (NODE_MODULE_VERSION 137), but this is " +
        'Node 20.20.2 (NODE_MODULE_VERSION 115). Run `npm rebuild better-sqlite3` with this Node (Node 24 is the ' +
        'supported one, see .nvmrc).',
    );
    expect(explained?.message).not.toMatch(/\n|at \//);
  });

  it('in Electron, points at `npm start` in a checkout and at the installer in a packaged app', () => {
    expect(explainNativeLoadError(abiError, electron)?.message).toMatch(
      /but this is Electron 45\.4\.1 \(NODE_MODULE_VERSION 150\)\. Run `npm start` once/,
    );
    expect(explainNativeLoadError(abiError, { ...electron, packaged: true })?.message).toMatch(
      /Reinstall HubDesk from its installer\.$/,
    );
  });

  it('explains a missing Electron build and a file that is not a module; leaves other errors alone', () => {
    const missing = Object.assign(new Error("Cannot find module '/x/cache/better_sqlite3.node'"), {
      code: 'MODULE_NOT_FOUND',
    });
    expect(explainNativeLoadError(missing, electron)?.message).toMatch(
      /has no binary built for Electron 45\.4\.1 \(NODE_MODULE_VERSION 150\)\. Run `npm start`/,
    );
    expect(explainNativeLoadError(new Error('unable to open database file'), node20)).toBeNull();
  });

  it('opening the database with a binding that is not a module gives that sentence, not a stack', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'hubdesk-native-'));
    try {
      const notAModule = join(folder, 'better_sqlite3.node');
      writeFileSync(notAModule, 'not an ELF file');
      let thrown: unknown;
      try {
        openSqlite(join(folder, 'db.sqlite'), notAModule);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(NativeModuleError);
      expect((thrown as Error).message).toMatch(
        /^HubDesk's SQLite module \(better-sqlite3\) could not be loaded by Node [\d.]+ .*Run `npm rebuild better-sqlite3`/,
      );
      // And Node's own build, where nothing is passed, still opens.
      openSqlite(join(folder, 'db.sqlite')).close();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('the Electron build is looked for beside Node’s, keyed by Electron version, platform and architecture', () => {
    const file = electronBindingFile('/p', { electronVersion: '45.4.1', platform: 'linux', arch: 'x64' });
    expect(file).toMatch(
      /^\/p\/node_modules\/\.cache\/hubdesk-native\/better-sqlite3-\d+\.\d+\.\d+-electron-45\.4\.1-linux-x64\/better_sqlite3\.node$/,
    );
    expect(file).not.toBe(
      electronBindingFile('/p', { electronVersion: '46.0.0', platform: 'linux', arch: 'x64' }),
    );
  });
});

/** A Node on this machine whose ABI differs from this one's (the system Node 20 beside the Node 24 tests run on). */
function otherNode(): { path: string; version: string } | undefined {
  const candidates = new Set(['/usr/bin/node', '/usr/local/bin/node']);
  for (const folder of (process.env.PATH ?? '').split(delimiter))
    if (folder) candidates.add(join(folder, 'node'));
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const [abi, version] = execFileSync(
        path,
        ['-p', 'process.versions.modules + " " + process.versions.node'],
        {
          encoding: 'utf8',
        },
      )
        .trim()
        .split(' ');
      if (abi && version && abi !== currentRuntime().abi) return { path, version };
    } catch {
      // not a runnable node
    }
  }
  return undefined;
}

describe('the CLI under a Node the native build does not fit', () => {
  const other = otherNode();
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-abi-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it.runIf(other)('says in one line which runtime the module was built for and how to fix it', async () => {
    const node = other!;
    const failed = await run(node.path, [bin, 'profile', 'list'], {
      env: { PATH: process.env.PATH ?? '', HOME: dataDir, HUBDESK_DATA_DIR: dataDir },
    }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toBe('');
    const lines = failed?.stderr.trim().split('\n') ?? [];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `hubdesk: HubDesk's SQLite module (better-sqlite3) was built for Node 24 (NODE_MODULE_VERSION ${currentRuntime().abi}), ` +
        `but this is Node ${node.version} (NODE_MODULE_VERSION ${execFileSync(node.path, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim()}). ` +
        'Run `npm rebuild better-sqlite3` with this Node (Node 24 is the supported one, see .nvmrc).',
    );
  });
});
