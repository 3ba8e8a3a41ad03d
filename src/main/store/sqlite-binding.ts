import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * better-sqlite3 13 is a Node-API addon whose npm package carries prebuilt binaries (Linux glibc and musl, macOS and
 * Windows; x64 and arm64). Node-API is the same for Node and Electron, so the one file npm installed loads in the CLI
 * and the tests (Node) and in the app (Electron), with no build for either and no rebuild between them. Elsewhere it
 * is compiled once from its sources (`scripts/prepare-electron.ts`). Older runtimes lack Node-API 10 and crash inside
 * the addon instead of throwing, so the runtime is checked before the addon is loaded.
 */

// Not `require`: electron-vite's ESM bundle declares one of its own.
const requirePackage = createRequire(import.meta.url);

/** The Node-API version better-sqlite3 13 is built for (its binding.gyp: NAPI_VERSION=10). */
export const SQLITE_NAPI_VERSION = 10;

/** The runtime this process is, as a native module sees it. */
export interface RuntimeInfo {
  node: string;
  electron?: string;
  /** Node-API version: what a Node-API addon needs. */
  napi: number;
  /** NODE_MODULE_VERSION: what a V8 (NAN) addon would need; reported, no module of ours depends on it. */
  abi: string;
  platform: NodeJS.Platform;
  arch: string;
  packaged?: boolean;
}

export function currentRuntime(packaged?: boolean): RuntimeInfo {
  return {
    node: process.versions.node,
    ...(process.versions.electron ? { electron: process.versions.electron } : {}),
    napi: Number(process.versions.napi ?? 0),
    abi: process.versions.modules,
    platform: process.platform,
    arch: process.arch,
    ...(packaged !== undefined ? { packaged } : {}),
  };
}

export function betterSqlite3Dir(): string {
  return dirname(requirePackage.resolve('better-sqlite3/package.json'));
}

export function betterSqlite3Version(): string {
  return (JSON.parse(readFileSync(join(betterSqlite3Dir(), 'package.json'), 'utf8')) as { version: string })
    .version;
}

/**
 * The binary better-sqlite3 loads on this machine, as its own loader (lib/binding.js) picks it: one compiled in
 * place, else the prebuilt one for this platform and architecture. Null when there is neither.
 */
export function betterSqlite3Binary(
  packageDir: string = betterSqlite3Dir(),
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
  musl: boolean = isMusl(),
): string | null {
  for (const build of ['Debug', 'Release']) {
    const compiled = join(packageDir, 'build', build, 'better_sqlite3.node');
    if (existsSync(compiled)) return compiled;
  }
  const prebuilt = join(packageDir, 'prebuilds', `${musl ? 'linuxmusl' : platform}-${arch}.node`);
  return existsSync(prebuilt) ? prebuilt : null;
}

function isMusl(): boolean {
  if (process.platform !== 'linux') return false;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return !report?.header?.glibcVersionRuntime;
}

/** `Node 24.1.0 (Node-API 10)`, or Electron's version and its Node-API. */
function runtimeName(runtime: RuntimeInfo): string {
  return runtime.electron
    ? `Electron ${runtime.electron} (Node-API ${runtime.napi})`
    : `Node ${runtime.node} (Node-API ${runtime.napi})`;
}

const SUBJECT = "HubDesk's SQLite module (better-sqlite3)";

export class NativeModuleError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    options?: ErrorOptions,
  ) {
    super(`${message} ${fix}`, options);
    this.name = 'NativeModuleError';
  }
}

function reinstall(runtime: RuntimeInfo, otherwise: string): string {
  return runtime.electron && runtime.packaged ? 'Reinstall HubDesk from its installer.' : otherwise;
}

/** Node 22.19: undici 8's floor; better-sqlite3 13 needs Node-API 10 (22.14). Electron 45 embeds Node 24. */
export const MIN_NODE = [22, 19] as const;

function olderThan(version: string, [major, minor]: readonly [number, number]): boolean {
  const [haveMajor = 0, haveMinor = 0] = version.split('.').map(Number);
  return haveMajor < major || (haveMajor === major && haveMinor < minor);
}

/**
 * Null when this runtime can run HubDesk's core; else the sentence that says why not and what to run. Checked before
 * anything native or the HTTP client loads: in an older Node, better-sqlite3 13 crashes the process and undici 8
 * throws while loading, neither with words a person can act on.
 */
export function runtimeProblem(runtime: RuntimeInfo): NativeModuleError | null {
  if (runtime.napi >= SQLITE_NAPI_VERSION && (runtime.electron || !olderThan(runtime.node, MIN_NODE)))
    return null;
  return new NativeModuleError(
    `HubDesk needs Node ${MIN_NODE.join('.')} or newer with Node-API ${SQLITE_NAPI_VERSION} (for its SQLite module and its HTTP client), but this is ${runtimeName(runtime)}.`,
    reinstall(
      runtime,
      'Run it with Node 24, the supported one: `nvm install` in the project folder reads .nvmrc.',
    ),
  );
}

/**
 * The sentence to show when loading better-sqlite3's binary failed, with the command that fixes it. Null when the
 * error is not a native-module load failure (a database that cannot open is another matter).
 */
export function explainNativeLoadError(error: unknown, runtime: RuntimeInfo): NativeModuleError | null {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'MODULE_NOT_FOUND' && /better_sqlite3\.node|prebuilds/.test(text)) {
    return new NativeModuleError(
      `${SUBJECT} has no binary for ${runtime.platform}-${runtime.arch}: its package ships none for this platform.`,
      reinstall(
        runtime,
        'Compile it once with `npm run prepare:electron` (it needs a C++ toolchain, see README).',
      ),
      { cause: error },
    );
  }
  if (
    code === 'ERR_DLOPEN_FAILED' ||
    /invalid ELF header|wrong ELF class|not a valid Win32 application|incompatible architecture|GLIBC_[\d.]+' not found|Module did not self-register/i.test(
      text,
    )
  ) {
    const reason = text.split('\n')[0]?.trim().slice(0, 200) ?? text;
    return new NativeModuleError(
      `${SUBJECT} could not be loaded by ${runtimeName(runtime)} on ${runtime.platform}-${runtime.arch} (${reason}).`,
      reinstall(runtime, 'Reinstall the dependencies on this machine with `npm ci`.'),
      { cause: error },
    );
  }
  return null;
}
