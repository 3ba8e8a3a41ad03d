import { execFile, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../src/main/store/connection';
import {
  betterSqlite3Binary,
  currentRuntime,
  explainNativeLoadError,
  type RuntimeInfo,
  runtimeProblem,
} from '../src/main/store/sqlite-binding';

/**
 * One checkout serves two runtimes: Node (CLI, tests) and Electron (the app). What each native piece needs, read
 * from the binaries themselves, and what a person sees when the runtime cannot load one.
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
  it('better-sqlite3 loads the prebuilt binary from its npm package, and it uses only Node-API', () => {
    const binary = betterSqlite3Binary();
    // Nothing compiled it: the file is the package's own prebuilt binary for this platform.
    expect(binary).toBe(
      join(
        dirname(require.resolve('better-sqlite3/package.json')),
        'prebuilds',
        `linux-${process.arch}.node`,
      ),
    );
    const symbols = importedSymbols(binary!);
    expect(symbols.filter(napiSymbol).length).toBeGreaterThan(20);
    expect(symbols.filter(v8Symbol)).toEqual([]);
  });

  it('keytar uses only Node-API: the one binary npm built serves Node and Electron', () => {
    const keytar = join(dirname(require.resolve('keytar/package.json')), 'build/Release/keytar.node');
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

describe('a runtime that cannot run HubDesk, or a binary it cannot load', () => {
  const node20: RuntimeInfo = { node: '20.20.2', napi: 9, abi: '115', platform: 'linux', arch: 'x64' };
  const electron: RuntimeInfo = {
    node: '24.9.0',
    electron: '45.4.1',
    napi: 10,
    abi: '150',
    platform: 'linux',
    arch: 'x64',
  };

  it('this Node and Electron 45 can; an older Node gets the reason and the command, before anything loads', () => {
    expect(runtimeProblem(currentRuntime())).toBeNull();
    expect(runtimeProblem(electron)).toBeNull();
    expect(runtimeProblem(node20)?.message).toBe(
      'HubDesk needs Node 22.19 or newer with Node-API 10 (for its SQLite module and its HTTP client), but this is ' +
        'Node 20.20.2 (Node-API 9). Run it with Node 24, the supported one: `nvm install` in the project folder reads .nvmrc.',
    );
    // Node-API 10 arrived in 22.14, but undici 8 needs 22.19.
    expect(runtimeProblem({ ...node20, node: '22.14.0', napi: 10 })).not.toBeNull();
    expect(runtimeProblem({ ...node20, node: '22.19.0', napi: 10 })).toBeNull();
  });

  it('a binary the loader refuses names the runtime and the fix; a packaged app points at its installer', () => {
    const refused = Object.assign(new Error('/x/prebuilds/linux-x64.node: invalid ELF header'), {
      code: 'ERR_DLOPEN_FAILED',
    });
    expect(explainNativeLoadError(refused, electron)?.message).toBe(
      "HubDesk's SQLite module (better-sqlite3) could not be loaded by Electron 45.4.1 (Node-API 10) on linux-x64 " +
        '(/x/prebuilds/linux-x64.node: invalid ELF header). Reinstall the dependencies on this machine with `npm ci`.',
    );
    expect(explainNativeLoadError(refused, { ...electron, packaged: true })?.message).toMatch(
      /\(\/x\/prebuilds\/linux-x64\.node: invalid ELF header\)\. Reinstall HubDesk from its installer\.$/,
    );
  });

  it('a platform its package has no binary for is told how to compile one; other errors are left alone', () => {
    const missing = Object.assign(new Error("Cannot find module '/x/build/Release/better_sqlite3.node'"), {
      code: 'MODULE_NOT_FOUND',
    });
    expect(explainNativeLoadError(missing, { ...node20, platform: 'freebsd', napi: 10 })?.message).toMatch(
      /has no binary for freebsd-x64: .* Compile it once with `npm run prepare:electron`/,
    );
    expect(explainNativeLoadError(new Error('unable to open database file'), node20)).toBeNull();
  });

  it('the loader’s own refusal of a file that is not a module becomes that sentence, not a stack', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'hubdesk-native-'));
    try {
      writeFileSync(join(folder, 'better_sqlite3.node'), 'not an ELF file');
      let explained: Error | null = null;
      try {
        require(join(folder, 'better_sqlite3.node'));
      } catch (error) {
        explained = explainNativeLoadError(error, currentRuntime());
      }
      expect(explained?.message).toMatch(
        /^HubDesk's SQLite module \(better-sqlite3\) could not be loaded by Node [\d.]+ \(Node-API \d+\) on [a-z0-9]+-[a-z0-9]+ \(.+\)\. Reinstall the dependencies on this machine with `npm ci`\.$/,
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('opens databases on this runtime through the same check', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'hubdesk-native-'));
    try {
      const db = openSqlite(join(folder, 'db.sqlite'));
      expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
      db.close();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

/** A Node on this machine too old for HubDesk (the system Node 20 beside the Node 24 the tests run on). */
function olderNode(): { path: string; version: string; napi: string } | undefined {
  const candidates = new Set(['/usr/bin/node', '/usr/local/bin/node']);
  for (const folder of (process.env.PATH ?? '').split(delimiter))
    if (folder) candidates.add(join(folder, 'node'));
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const [napi, version] = execFileSync(
        path,
        ['-p', 'process.versions.napi + " " + process.versions.node'],
        {
          encoding: 'utf8',
        },
      )
        .trim()
        .split(' ');
      if (napi && version && Number(napi) < 10) return { path, version, napi };
    } catch {
      // not a runnable node
    }
  }
  return undefined;
}

describe('the CLI under a Node too old for its native module and HTTP client', () => {
  const older = olderNode();
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-napi-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  // In Node 20, loading better-sqlite3 13 is a segmentation fault and undici 8 throws while loading: check first.
  it.runIf(older)(
    'says in one line what it needs and how to get it, and exits 1 instead of crashing',
    async () => {
      const node = older!;
      const failed = await run(node.path, [bin, 'profile', 'list'], {
        env: { PATH: process.env.PATH ?? '', HOME: dataDir, HUBDESK_DATA_DIR: dataDir },
      }).then(
        () => undefined,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stdout).toBe('');
      expect(failed?.stderr.trim().split('\n')).toEqual([
        'hubdesk: HubDesk needs Node 22.19 or newer with Node-API 10 (for its SQLite module and its HTTP client), but ' +
          `this is Node ${node.version} (Node-API ${node.napi}). Run it with Node 24, the supported one: \`nvm install\` in the project folder reads .nvmrc.`,
      ]);
    },
  );
});
