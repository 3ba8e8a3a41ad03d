import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { type FakeProxy, type FakeProxyOptions, startFakeProxy } from '../fake-proxy/index';

const run = promisify(execFile);
export const hubdeskBin = join(import.meta.dirname, '../../bin/hubdesk.js');

export interface CliAgainstProxy {
  readonly proxy: FakeProxy;
  /** The temporary folder, `HOME` for the runs. */
  readonly home: string;
  /** The data folder (`HUBDESK_DATA_DIR`): the home itself unless `dataFolder` names one inside it. */
  readonly dataDir: string;
  /** The environment every run gets, for a test that starts `hubdeskBin` itself. */
  readonly env: Record<string, string>;
  /** Runs the real `hubdesk` binary with this file's data folder, the fake proxy and its token. */
  hubdesk(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

export interface CliOptions {
  proxy?: FakeProxyOptions;
  /** More environment for every run. */
  env?: Record<string, string>;
  /** A data folder inside the home, for tests that keep other files next to it. */
  dataFolder?: string;
}

/** The fake proxy and a data folder for one test file, made before its tests and removed after them. */
export function cliAgainstFakeProxy(prefix: string, options: CliOptions = {}): CliAgainstProxy {
  let proxy: FakeProxy | undefined;
  let home: string | undefined;
  let env: Record<string, string> = {};
  beforeAll(async () => {
    proxy = await startFakeProxy(options.proxy);
    home = await mkdtemp(join(tmpdir(), prefix));
    env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      HUBDESK_DATA_DIR: options.dataFolder ? join(home, options.dataFolder) : home,
      HUBDESK_BASE_URL: proxy.url,
      HUBDESK_TOKEN: proxy.token,
      ...options.env,
    };
  });
  afterAll(async () => {
    await proxy?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });
  const made = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is made in beforeAll`);
    return value;
  };
  return {
    get proxy() {
      return made(proxy, 'the fake proxy');
    },
    get home() {
      return made(home, 'the home folder');
    },
    get dataDir() {
      return made(env.HUBDESK_DATA_DIR, 'the data folder');
    },
    get env() {
      return env;
    },
    async hubdesk(args) {
      try {
        const { stdout, stderr } = await run(process.execPath, [hubdeskBin, ...args], {
          env,
          timeout: 30_000,
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    },
  };
}
