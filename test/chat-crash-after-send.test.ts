import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../src/main/core';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';
import { memoryKeytar } from './support/memory-keytar';

const repoRoot = join(import.meta.dirname, '..');
const childScript = join(import.meta.dirname, 'support', 'send-child.ts');

let proxy: FakeProxy;
beforeAll(async () => {
  // Slow enough that the reply is still streaming when the child dies.
  proxy = await startFakeProxy({ streamDelayMs: 200 });
});
afterAll(async () => {
  await proxy?.close();
});

/** Runs the child until it kills itself; resolves with the signal it died of. */
function runChild(...args: string[]): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, ...args], { cwd: repoRoot });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve({ signal, stderr })));
}

describe('a crash right after a prompt is sent', () => {
  for (const moment of ['sent', 'streaming'] as const) {
    it(`killed when ${moment === 'sent' ? 'chat.send returned' : 'the reply had begun'}: the next start shows the prompt and an interrupted reply`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-send-crash-'));
      try {
        const prompt = `Crash test ${moment}`;
        const { signal, stderr } = await runChild(dataDir, proxy.url, proxy.token, moment, prompt);
        expect(signal, stderr).toBe('SIGKILL');

        const core = createCore({
          dataDir,
          env: {},
          keytar: memoryKeytar(),
          keychainService: 'HubDesk-test',
        });
        try {
          const [listed] = core.chat.listConversations();
          expect(listed?.title).toBe(prompt);
          const { messages } = core.chat.open(listed?.id ?? '');
          expect(messages.map((message) => [message.role, message.status])).toEqual([
            ['user', 'complete'],
            ['assistant', 'interrupted'],
          ]);
          expect(messages[0]?.text).toBe(prompt);
        } finally {
          await core.close();
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }
});
