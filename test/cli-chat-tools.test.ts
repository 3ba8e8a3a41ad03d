import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatCommand } from '../src/main/cli/chat-command';
import type { CliIo } from '../src/main/cli/io';
import { runCli } from '../src/main/cli/run';
import { type ChatHarness, startChatHarness } from './support/chat-core';
import { FolderTools } from './support/file-tools';
import { memoryKeytar } from './support/memory-keytar';

let h: ChatHarness;
let dir: string;
beforeEach(async () => {
  h = await startChatHarness();
  dir = await mkdtemp(join(tmpdir(), 'hubdesk-cli-tools-'));
  await writeFile(join(dir, 'forecasts.json'), JSON.stringify({ Paris: 'sunny' }));
  h.core.toolRegistry.register(new FolderTools('files', dir));
});
afterEach(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

function terminal(answers: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const io: CliIo = {
    env: {},
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    write: (chunk) => out.push(chunk),
    ask: async (question) => {
      questions.push(question);
      return answers.shift() ?? '';
    },
  };
  return { io, out, err, questions };
}

describe('hubdesk chat --tools --approve', () => {
  it('ask: shows the server, the tool and the full arguments, and runs the call on y', async () => {
    const t = terminal(['y']);
    const code = await chatCommand(h.core, 'What is the weather in Paris?', {
      model: 'gpt-4o',
      tools: 'files',
      approve: 'ask',
      stream: true,
      json: false,
      io: t.io,
    });
    expect(code).toBe(0);
    expect(t.questions).toEqual(['Run it? [y/N] ']);
    expect(t.err.join('\n')).toContain('files › get_weather');
    expect(t.err.join('\n')).toContain('"city": "Paris"');
    expect(t.out.join('')).toBe('Tool result: Paris: sunny\n');
  });

  it('ask: anything but y denies the call, and the model reads why', async () => {
    const t = terminal(['n']);
    const code = await chatCommand(h.core, 'What is the weather in Paris?', {
      model: 'gpt-4o',
      tools: 'files',
      stream: false,
      json: true,
      io: t.io,
    });
    expect(code).toBe(0);
    const reply = JSON.parse(t.out[0] ?? '{}') as {
      toolCalls: { status: string; approval: string }[];
      text: string;
    };
    expect(reply.toolCalls).toMatchObject([{ status: 'denied', approval: 'denied' }]);
    expect(reply.text).toBe('Tool result: The user denied this tool call.');
  });

  it('auto runs without asking; never runs nothing', async () => {
    const auto = terminal([]);
    await chatCommand(h.core, 'What is the weather in Paris?', {
      tools: 'files',
      approve: 'auto',
      stream: true,
      json: false,
      io: auto.io,
    });
    expect(auto.questions).toEqual([]);
    expect(auto.out.join('')).toBe('Tool result: Paris: sunny\n');
    const never = terminal([]);
    await chatCommand(h.core, 'What is the weather in Paris?', {
      tools: 'files',
      approve: 'never',
      stream: true,
      json: false,
      io: never.io,
    });
    expect(never.out.join('')).toBe('Tool result: This chat does not run tools.\n');
  });

  it('refuses --approve ask when stdin is not a terminal, and bad values', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-cli-tools-data-'));
    try {
      const err: string[] = [];
      const io: CliIo = {
        env: { HUBDESK_DATA_DIR: dataDir },
        out: () => undefined,
        err: (line) => err.push(line),
        write: () => undefined,
        keytar: memoryKeytar(),
      };
      expect(await runCli(['chat', '--tools', 'files', 'Hello'], io)).toBe(1);
      expect(err.join('\n')).toContain('--approve ask reads y/n on a terminal, and stdin is not one');
      expect(await runCli(['chat', '--tools', 'files', '--approve', 'maybe', 'Hello'], io)).toBe(1);
      expect(err.join('\n')).toContain('--approve must be one of ask, auto, never.');
      expect(await runCli(['chat', '--approve', 'auto', 'Hello'], io)).toBe(1);
      expect(err.join('\n')).toContain('--approve needs --tools');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
