import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { AppResponse, CallRecord, ChildMessage, SenderFrame, ShellCommand } from './protocol';

/** What `npm run build` (electron-vite) produces: what Electron itself would load. */
export const outDir = resolve(import.meta.dirname, '../../out');
export const mainBundle = join(outDir, 'main/index.js');
export const preloadBundle = join(outDir, 'preload/index.cjs');
export const rendererDir = join(outDir, 'renderer');

/** The frame Electron reports for the app's own page. */
export const TRUSTED_FRAME: SenderFrame = { url: 'app://renderer/index.html' };

export interface ShellOptions {
  /** A temporary folder for the run: the data folder, HOME and the working directory live under it. */
  root: string;
  /** What `process.platform` reads in the child (default: this machine's). */
  platform?: NodeJS.Platform;
  /** `app.isPackaged` (default true: the shipped app). */
  packaged?: boolean;
  /** `app.requestSingleInstanceLock()` answers false: another HubDesk is running. */
  secondInstance?: boolean;
  /** More environment for the child (HUBDESK_TOKEN, HUBDESK_BASE_URL, …). */
  env?: Record<string, string>;
}

export interface AppFetchResult {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface ShellRun {
  readonly dataDir: string;
  readonly cwd: string;
  /** Every call the shell made into `electron`, in order. */
  readonly records: CallRecord[];
  /** The child's stdout and stderr. */
  readonly output: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether the process is still running. */
  running(): boolean;
  command(command: ShellCommand): Promise<unknown>;
  /** Calls the ipcMain handler of `channel` as Electron would for a call from `frame`. */
  invoke(channel: string, request: unknown, frame?: SenderFrame): Promise<unknown>;
  /** Asks the registered `app://` protocol handler. */
  fetch(url: string, init?: { method?: string; headers?: Record<string, string> }): Promise<AppFetchResult>;
  calls(api: string): CallRecord[];
  /** The first record of `api` matching `predicate`, already made or still to come. */
  waitFor(api: string, predicate?: (record: CallRecord) => boolean): Promise<CallRecord>;
  onRecord(listener: (record: CallRecord) => void): () => void;
  kill(): Promise<void>;
}

/**
 * Runs the built main bundle under plain Node with the recording `electron` stand-in, loaded by `--import`.
 * Resolves once start-up is over (the window has been asked to load its page, or the child has ended).
 */
export async function startShell(options: ShellOptions): Promise<ShellRun> {
  if (!existsSync(mainBundle)) throw new Error(`${mainBundle} is missing: run \`npm run build\` first.`);
  const dataDir = join(options.root, 'data');
  const home = join(options.root, 'home');
  const cwd = join(options.root, 'cwd');
  await Promise.all([mkdir(home, { recursive: true }), mkdir(cwd, { recursive: true })]);

  const child = fork(mainBundle, [], {
    cwd,
    execArgv: ['--import', pathToFileURL(join(import.meta.dirname, 'register.ts')).href],
    // fd 3: commands (IPC); fd 4: the child's records and replies, one JSON line each.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'],
    // A clean environment: no session bus (so no keychain is reached), no ELECTRON_* or NODE_OPTIONS from outside.
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      HUBDESK_DATA_DIR: dataDir,
      SHELL_STANDIN_PACKAGED: options.packaged === false ? '0' : '1',
      ...(options.platform ? { SHELL_STANDIN_PLATFORM: options.platform } : {}),
      ...(options.secondInstance ? { SHELL_STANDIN_SECOND_INSTANCE: '1' } : {}),
      ...options.env,
    },
  });

  const records: CallRecord[] = [];
  const output: string[] = [];
  const listeners = new Set<(record: CallRecord) => void>();
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const describe = () => `\n--- the shell's output ---\n${output.join('')}`;

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
    });
    // `close` comes once the process has ended and every pipe, the records' included, has been read to its end.
    child.on('close', (code, signal) => {
      exitInfo = { code, signal };
      for (const { reject } of pending.values()) reject(new Error(`The shell ended (${code}).${describe()}`));
      pending.clear();
      for (const listener of listeners) listener({ type: 'call', seq: -1, api: '(exit)', args: [code] });
      resolveExit(exitInfo);
    });
  });

  let buffer = '';
  (child.stdio[4] as Readable).on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const message = JSON.parse(buffer.slice(0, end)) as ChildMessage;
      buffer = buffer.slice(end + 1);
      if (message.type === 'call') {
        records.push(message);
        for (const listener of listeners) listener(message);
      } else {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiter?.resolve(message.value);
        else waiter?.reject(new Error(message.error));
      }
    }
  });

  const command = (shellCommand: ShellCommand): Promise<unknown> => {
    if (exitInfo) return Promise.reject(new Error(`The shell has ended.${describe()}`));
    const id = nextId++;
    return new Promise((resolveReply, reject) => {
      pending.set(id, { resolve: resolveReply, reject });
      child.send({ id, command: shellCommand });
    });
  };

  const waitFor = (api: string, predicate: (record: CallRecord) => boolean = () => true) => {
    const found = records.find((record) => record.api === api && predicate(record));
    if (found) return Promise.resolve(found);
    return new Promise<CallRecord>((resolveRecord, reject) => {
      const listener = (record: CallRecord) => {
        if (record.api === '(exit)') {
          listeners.delete(listener);
          reject(new Error(`The shell ended before calling ${api}.${describe()}`));
        } else if (record.api === api && predicate(record)) {
          listeners.delete(listener);
          resolveRecord(record);
        }
      };
      listeners.add(listener);
    });
  };

  const run: ShellRun = {
    dataDir,
    cwd,
    records,
    output,
    exited,
    running: () => exitInfo === undefined,
    command,
    invoke: (channel, request, frame = TRUSTED_FRAME) => command({ cmd: 'invoke', channel, request, frame }),
    async fetch(url, init = {}) {
      const response = (await command({ cmd: 'protocol', url, ...init })) as AppResponse;
      return {
        status: response.status,
        headers: new Headers(response.headers),
        body: Buffer.from(response.body ?? '', 'base64'),
      };
    },
    calls: (api) => records.filter((record) => record.api === api),
    waitFor,
    onRecord(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async kill() {
      if (!exitInfo) child.kill();
      await exited;
    },
  };

  // Start-up is over when the window loads its page (or the process ends: a second instance, a failed start).
  await Promise.race([waitFor('window.loadURL').catch(() => undefined), exited]);
  await command({ cmd: 'ping' }).catch((error: unknown) => {
    if (!exitInfo) throw error;
  });
  return run;
}

/** The records of one API, as their first argument (most record one value: a channel, a URL, a name). */
export function firstArgs(run: ShellRun, api: string): unknown[] {
  return run.calls(api).map((record) => record.args[0]);
}
