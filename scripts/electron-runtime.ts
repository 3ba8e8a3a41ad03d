/**
 * What Electron needs before `npm start`, `npm run dev`, `npm run demo` or `npm run dist` can run HubDesk:
 * 1. its binary: Electron 45 downloads it lazily (node_modules/electron/install.js, cached by Electron version in
 *    Electron's own cache), not at `npm install`;
 * 2. a better-sqlite3 binary for this machine. Its npm package carries prebuilt Node-API binaries for the common
 *    platforms, and Node-API is the same in Node and Electron, so usually there is nothing to do; elsewhere it is
 *    compiled once, in place, and then serves both runtimes (src/main/store/sqlite-binding.ts).
 * keytar is Node-API too (one binary for both) and sqlite-vec is a SQLite extension: neither needs a step.
 * Later runs find everything in place and touch no network. When something is missing, one sentence says what.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { betterSqlite3Binary } from '../src/main/store/sqlite-binding';

const require = createRequire(import.meta.url);

export interface PrepareOptions {
  /** The project folder: its node_modules hold electron and better-sqlite3. */
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  /** Skip the Electron binary (packaging downloads its own copy of Electron). */
  binary?: boolean;
  /** The command the user ran, for the message when something is missing (default: `npm start`). */
  command?: string;
  log?: (line: string) => void;
}

export interface PrepareResult {
  ok: boolean;
  electronVersion: string;
  binary: 'ready' | 'downloaded' | 'skipped' | 'failed';
  sqlite: 'prebuilt' | 'compiled' | 'failed';
  /** The better-sqlite3 binary both runtimes load. */
  sqliteBinary?: string;
  /** One sentence: what is missing and how to get it. */
  problem?: string;
}

function electronDir(projectDir: string): string {
  return join(projectDir, 'node_modules', 'electron');
}

export function electronVersion(projectDir: string): string {
  const pkg = JSON.parse(readFileSync(join(electronDir(projectDir), 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The same test electron/install.js makes before it downloads: dist/version, path.txt and the executable. */
export function electronBinaryInstalled(projectDir: string, version: string): boolean {
  const dir = electronDir(projectDir);
  try {
    if (
      readFileSync(join(dir, 'dist', 'version'), 'utf8')
        .replace(/^v/, '')
        .trim() !== version
    )
      return false;
    const executable = readFileSync(join(dir, 'path.txt'), 'utf8');
    return existsSync(join(dir, 'dist', executable));
  } catch {
    return false;
  }
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('at '))
      .at(-1)
      ?.slice(0, 300) ?? ''
  );
}

/** The line of node-gyp's output that says why it failed (its stack and banner lines say nothing). */
export function gypReason(output: string): string {
  const lines = output.split('\n').map((line) => line.trim());
  const compiler = lines.find((line) => /\berror\b:/i.test(line) && !line.startsWith('gyp'));
  if (compiler) return compiler;
  const stack = lines.find((line) => /^gyp ERR! stack \w*Error: /.test(line));
  return stack?.replace(/^gyp ERR! stack \w*Error: /, '') ?? lastLine(output);
}

interface Run {
  ok: boolean;
  output: string;
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Run {
  const result = spawnSync(process.execPath, args, {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
  return { ok: result.status === 0, output };
}

/** Makes sure Electron can start HubDesk; idempotent, and silent about the network when everything is in place. */
export function prepareElectron(options: PrepareOptions): PrepareResult {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const command = options.command ?? 'npm start';
  const version = electronVersion(options.projectDir);
  const result: PrepareResult = { ok: true, electronVersion: version, binary: 'skipped', sqlite: 'prebuilt' };

  if (options.binary !== false) {
    if (electronBinaryInstalled(options.projectDir, version)) {
      result.binary = 'ready';
    } else {
      log(`Downloading the Electron ${version} binary (once)…`);
      const download = run([join(electronDir(options.projectDir), 'install.js')], options.projectDir, env);
      if (!download.ok || !electronBinaryInstalled(options.projectDir, version)) {
        return {
          ...result,
          ok: false,
          binary: 'failed',
          problem:
            `HubDesk needs the Electron ${version} binary and could not download it (${lastLine(download.output) || 'no answer'}): ` +
            `connect to the internet (or set HTTPS_PROXY, or ELECTRON_MIRROR to a mirror you can reach) and run \`${command}\` again.`,
        };
      }
      result.binary = 'downloaded';
    }
  }

  const packageDir = dirname(require.resolve('better-sqlite3/package.json', { paths: [options.projectDir] }));
  const found = betterSqlite3Binary(packageDir);
  if (found) return { ...result, sqliteBinary: found };

  log(`better-sqlite3 ships no prebuilt binary for ${process.platform}-${process.arch}; compiling it once…`);
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [options.projectDir] });
  const compiled = run([nodeGyp, 'rebuild', '--release'], packageDir, env);
  const built = betterSqlite3Binary(packageDir);
  if (compiled.ok && built) return { ...result, sqlite: 'compiled', sqliteBinary: built };
  return {
    ...result,
    ok: false,
    sqlite: 'failed',
    problem:
      `better-sqlite3 ships no prebuilt binary for ${process.platform}-${process.arch} and compiling it failed ` +
      `(${gypReason(compiled.output) || 'no output'}): install a C++ toolchain and Python (see README, Set-up) and run \`${command}\` again.`,
  };
}
