import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { type FakeProxy, startFakeProxy } from '../fake-proxy/index';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../bin/hubdesk.js');

export interface CliAgainstProxy {
  readonly proxy: FakeProxy;
  readonly dataDir: string;
  /** Runs the real `hubdesk` binary with this file's data folder, the fake proxy and its token. */
  hubdesk(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** The fake proxy and a data folder for one test file, made before its tests and removed after them. */
export function cliAgainstFakeProxy(prefix: string): CliAgainstProxy {
  let proxy: FakeProxy | undefined;
  let dataDir: string | undefined;
  let env: Record<string, string> = {};
  beforeAll(async () => {
    proxy = await startFakeProxy();
    dataDir = await mkdtemp(join(tmpdir(), prefix));
    env = {
      PATH: process.env.PATH ?? '',
      HOME: dataDir,
      HUBDESK_DATA_DIR: dataDir,
      HUBDESK_BASE_URL: proxy.url,
      HUBDESK_TOKEN: proxy.token,
    };
  });
  afterAll(async () => {
    await proxy?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return {
    get proxy() {
      if (!proxy) throw new Error('the fake proxy starts in beforeAll');
      return proxy;
    },
    get dataDir() {
      if (!dataDir) throw new Error('the data folder is made in beforeAll');
      return dataDir;
    },
    async hubdesk(args) {
      try {
        const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 30_000 });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    },
  };
}
