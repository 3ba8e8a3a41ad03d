/**
 * What Electron needs before `npm start`, `npm run dev`, `npm run demo` or `npm run dist` can run it:
 * 1. its binary: Electron 45 downloads it lazily (node_modules/electron/install.js), not at `npm install`;
 * 2. better-sqlite3 built for Electron's ABI, kept beside Node's build in a cache keyed by Electron version
 *    (src/main/store/sqlite-binding.ts says where), so the CLI and tests (Node) and the app (Electron) each load
 *    their own binary with no rebuild between them. A prebuilt binary is preferred; node-gyp compiles as a fallback.
 * keytar is N-API (one binary serves both runtimes) and sqlite-vec is a SQLite extension: neither needs a step.
 * Done once; later runs find everything in place and touch no network. Offline, one sentence says what is missing.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  BETTER_SQLITE3_FILE,
  type ElectronTarget,
  electronBindingDir,
  electronBindingFile,
} from '../src/main/store/sqlite-binding';

const require = createRequire(import.meta.url);

export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

export interface PrepareOptions {
  /** The project folder (its node_modules holds electron and better-sqlite3; the cache goes under it). */
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  /** Skip the Electron binary (packaging downloads its own copy of Electron). */
  binary?: boolean;
  /** Also copy the Electron build of better-sqlite3 into this folder (packaging ships it from there). */
  stage?: string;
  /** The command the user ran, for the message when something is missing (default: `npm start`). */
  command?: string;
  target?: Partial<ElectronTarget>;
  log?: (line: string) => void;
}

export interface PrepareResult {
  ok: boolean;
  electronVersion: string;
  binary: 'ready' | 'downloaded' | 'skipped' | 'failed';
  sqlite: 'ready' | 'prebuilt' | 'compiled' | 'failed';
  bindingFile: string;
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

function lastLines(text: string, count = 3): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at '))
    .slice(-count)
    .join(' / ')
    .slice(0, 300);
}

/** The line of node-gyp's output that says why it failed (its stack and banner lines say nothing). */
export function gypReason(output: string): string {
  const lines = output.split('\n').map((line) => line.trim());
  const stack = lines
    .find((line) => /^gyp ERR! stack \w*Error: /.test(line))
    ?.replace(/^gyp ERR! stack \w*Error: /, '');
  if (/rolling back install|network connectivity/i.test(output)) {
    const detail = stack && !/most likely not a problem/.test(stack) ? `: ${stack}` : '';
    return `could not download Electron's headers${detail}`;
  }
  if (stack) return stack;
  const compiler = lines.find((line) => /\berror\b:/i.test(line) && !line.startsWith('gyp'));
  return compiler ?? lastLines(output, 1);
}

interface Run {
  ok: boolean;
  output: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Run {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
  return { ok: result.status === 0, output };
}

function downloadBinary(projectDir: string, env: NodeJS.ProcessEnv): Run {
  return run(process.execPath, [join(electronDir(projectDir), 'install.js')], projectDir, env);
}

/**
 * The environment for building against Electron's headers: npm_config_nodedir (set for Node's own headers, e.g.
 * in CI) and npm_config_target/runtime would make node-gyp build for Node instead, so they are dropped.
 */
export function electronBuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = { ...env };
  for (const key of Object.keys(clean)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|build_from_source)$/i.test(key))
      delete clean[key];
  }
  return clean;
}

/** Copies better-sqlite3's sources (not its Node build) to a work folder, builds there, returns the binary. */
function buildSqliteForElectron(
  projectDir: string,
  target: ElectronTarget,
  work: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): { how: 'prebuilt' | 'compiled'; file: string } | { problem: string } {
  const source = dirname(require.resolve('better-sqlite3/package.json', { paths: [projectDir] }));
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const entry of ['package.json', 'binding.gyp', 'src', 'deps', 'lib']) {
    if (existsSync(join(source, entry))) cpSync(join(source, entry), join(work, entry), { recursive: true });
  }
  const built = join(work, 'build', 'Release', BETTER_SQLITE3_FILE);
  const buildEnv = electronBuildEnv(env);
  const prebuildInstall = require.resolve('prebuild-install/bin.js', { paths: [source] });
  const prebuilt = run(
    process.execPath,
    [
      prebuildInstall,
      '--runtime=electron',
      `--target=${target.electronVersion}`,
      `--arch=${target.arch}`,
      `--platform=${target.platform}`,
    ],
    work,
    buildEnv,
  );
  if (prebuilt.ok && existsSync(built)) return { how: 'prebuilt', file: built };

  log(`No prebuilt better-sqlite3 for Electron ${target.electronVersion}; compiling it (about a minute)…`);
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [projectDir] });
  const compiled = run(
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      '--release',
      '--runtime=electron',
      `--target=${target.electronVersion}`,
      `--arch=${target.arch}`,
      `--dist-url=${env.HUBDESK_ELECTRON_HEADERS_URL || ELECTRON_HEADERS_URL}`,
    ],
    work,
    buildEnv,
  );
  if (compiled.ok && existsSync(built)) return { how: 'compiled', file: built };
  return {
    problem:
      `the prebuilt download failed (${lastLines(prebuilt.output, 1).replace(/^prebuild-install (warn|info) \w+ /, '') || 'no answer'}) ` +
      `and compiling it failed (${gypReason(compiled.output) || 'no output'})`,
  };
}

/** Makes sure Electron can start HubDesk; idempotent, and silent about the network when everything is in place. */
export function prepareElectron(options: PrepareOptions): PrepareResult {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const command = options.command ?? 'npm start';
  const version = options.target?.electronVersion ?? electronVersion(options.projectDir);
  const target: ElectronTarget = {
    electronVersion: version,
    platform: options.target?.platform ?? process.platform,
    arch: options.target?.arch ?? process.arch,
  };
  const bindingFile = electronBindingFile(options.projectDir, target);
  const result: PrepareResult = {
    ok: true,
    electronVersion: version,
    binary: 'skipped',
    sqlite: 'ready',
    bindingFile,
  };

  if (options.binary !== false) {
    if (electronBinaryInstalled(options.projectDir, version)) {
      result.binary = 'ready';
    } else {
      log(`Downloading the Electron ${version} binary (once)…`);
      const download = downloadBinary(options.projectDir, env);
      if (download.ok && electronBinaryInstalled(options.projectDir, version)) {
        result.binary = 'downloaded';
      } else {
        return {
          ...result,
          ok: false,
          binary: 'failed',
          problem:
            `HubDesk needs the Electron ${version} binary and could not download it (${lastLines(download.output, 1) || 'no answer'}): ` +
            `connect to the internet (or set HTTPS_PROXY, or ELECTRON_MIRROR to a mirror you can reach) and run \`${command}\` again.`,
        };
      }
    }
  }

  if (!existsSync(bindingFile)) {
    log(`Preparing better-sqlite3 for Electron ${version} (${target.platform}-${target.arch}, once)…`);
    const work = `${electronBindingDir(options.projectDir, target)}.work-${process.pid}`;
    const built = buildSqliteForElectron(options.projectDir, target, work, env, log);
    if ('problem' in built) {
      rmSync(work, { recursive: true, force: true });
      return {
        ...result,
        ok: false,
        sqlite: 'failed',
        problem:
          `HubDesk needs better-sqlite3 built for Electron ${version} and could not get it: ${built.problem}; ` +
          `connect to the internet and run \`${command}\` again.`,
      };
    }
    mkdirSync(dirname(bindingFile), { recursive: true });
    const partial = `${bindingFile}.part`;
    copyFileSync(built.file, partial);
    renameSync(partial, bindingFile);
    writeFileSync(
      join(dirname(bindingFile), 'built.json'),
      `${JSON.stringify({ ...target, how: built.how, at: new Date().toISOString() }, null, 2)}\n`,
    );
    rmSync(work, { recursive: true, force: true });
    result.sqlite = built.how;
  }

  if (options.stage) {
    mkdirSync(options.stage, { recursive: true });
    copyFileSync(bindingFile, join(options.stage, BETTER_SQLITE3_FILE));
  }
  return result;
}
