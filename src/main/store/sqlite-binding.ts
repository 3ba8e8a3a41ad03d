import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * better-sqlite3 is a V8 (NAN) addon, so each runtime needs a binary built for its own ABI: Node (the CLI, the
 * tests) loads the one `npm install` built in node_modules/better-sqlite3; Electron loads one built for Electron,
 * kept beside it in a cache folder keyed by Electron version (`scripts/prepare-electron.ts` makes it; packaging
 * ships it as `resources/native/better_sqlite3.node`). Both live in one checkout with no rebuild between them.
 */

const require = createRequire(import.meta.url);

/** Where the Electron builds of native modules are kept, under the project folder. */
export const ELECTRON_NATIVE_CACHE = join('node_modules', '.cache', 'hubdesk-native');
export const BETTER_SQLITE3_FILE = 'better_sqlite3.node';
/** In a packaged app: `<resources>/native/better_sqlite3.node` (electron-builder.yml, extraResources). */
export const PACKAGED_NATIVE_DIR = 'native';

export function betterSqlite3Version(): string {
  return (require('better-sqlite3/package.json') as { version: string }).version;
}

export interface ElectronTarget {
  electronVersion: string;
  platform: NodeJS.Platform;
  arch: string;
}

/** The folder holding better-sqlite3 built for one Electron version, platform and architecture. */
export function electronBindingDir(projectDir: string, target: ElectronTarget): string {
  const key = `better-sqlite3-${betterSqlite3Version()}-electron-${target.electronVersion}-${target.platform}-${target.arch}`;
  return join(projectDir, ELECTRON_NATIVE_CACHE, key);
}

export function electronBindingFile(projectDir: string, target: ElectronTarget): string {
  return join(electronBindingDir(projectDir, target), BETTER_SQLITE3_FILE);
}

/** The runtime this process is, as a native module sees it. */
export interface RuntimeInfo {
  node: string;
  electron?: string;
  /** NODE_MODULE_VERSION: the ABI a V8 addon must be built for. */
  abi: string;
  platform: NodeJS.Platform;
  arch: string;
  packaged?: boolean;
}

export function currentRuntime(packaged?: boolean): RuntimeInfo {
  return {
    node: process.versions.node,
    ...(process.versions.electron ? { electron: process.versions.electron } : {}),
    abi: process.versions.modules,
    platform: process.platform,
    arch: process.arch,
    ...(packaged !== undefined ? { packaged } : {}),
  };
}

const NODE_MAJOR_BY_ABI: Record<string, string> = {
  '108': 'Node 18',
  '115': 'Node 20',
  '127': 'Node 22',
  '131': 'Node 23',
  '137': 'Node 24',
  '141': 'Node 25',
};

/** `Node 24.1.0 (NODE_MODULE_VERSION 137)`, or Electron's version and ABI. */
export function runtimeName(runtime: RuntimeInfo): string {
  return runtime.electron
    ? `Electron ${runtime.electron} (NODE_MODULE_VERSION ${runtime.abi})`
    : `Node ${runtime.node} (NODE_MODULE_VERSION ${runtime.abi})`;
}

function builtFor(abi: string): string {
  const known = NODE_MAJOR_BY_ABI[abi];
  return known ? `${known} (NODE_MODULE_VERSION ${abi})` : `NODE_MODULE_VERSION ${abi}`;
}

/** The command that gives this runtime a better-sqlite3 it can load. */
export function fixCommand(runtime: RuntimeInfo): string {
  if (runtime.electron) {
    return runtime.packaged
      ? 'Reinstall HubDesk from its installer.'
      : 'Run `npm start` once with a network connection (it prepares the modules for Electron), or `npm run prepare:electron`.';
  }
  return 'Run `npm rebuild better-sqlite3` with this Node (Node 24 is the supported one, see .nvmrc).';
}

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

/**
 * The sentence to show when loading better-sqlite3's binary failed: which runtime it was built for, which one this
 * is, and the command that fixes it. Null when the error is not a native-module load failure.
 */
export function explainNativeLoadError(error: unknown, runtime: RuntimeInfo): NativeModuleError | null {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const subject = "HubDesk's SQLite module (better-sqlite3)";
  const fix = fixCommand(runtime);
  const abiMismatch = /NODE_MODULE_VERSION (\d+)[\s\S]*?requires\s+NODE_MODULE_VERSION (\d+)/.exec(text);
  if (abiMismatch) {
    const [, built] = abiMismatch;
    return new NativeModuleError(
      `${subject} was built for ${builtFor(built ?? '?')}, but this is ${runtimeName(runtime)}.`,
      fix,
      { cause: error },
    );
  }
  if (
    /Could not locate the bindings file/.test(text) ||
    (code === 'MODULE_NOT_FOUND' && /\.node\b/.test(text))
  ) {
    return new NativeModuleError(`${subject} has no binary built for ${runtimeName(runtime)}.`, fix, {
      cause: error,
    });
  }
  if (
    /invalid ELF header|wrong ELF class|not a valid Win32 application|incompatible architecture|mach-o|GLIBC_[\d.]+' not found|undefined symbol|Module did not self-register|dlopen/i.test(
      text,
    )
  ) {
    const reason = text.split('\n')[0]?.trim().slice(0, 200) ?? text;
    return new NativeModuleError(
      `${subject} could not be loaded by ${runtimeName(runtime)} on ${runtime.platform}-${runtime.arch} (${reason}).`,
      fix,
      { cause: error },
    );
  }
  return null;
}
