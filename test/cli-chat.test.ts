import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cliAgainstFakeProxy, hubdeskBin } from './support/cli-run';

const cli = cliAgainstFakeProxy('hubdesk-cli-chat-');
const hubdesk = (args: string[]) => cli.hubdesk(args);

describe('hubdesk chat and history', () => {
  let conversationId = '';

  it('streams a reply to stdout and stores the exchange', async () => {
    const result = await hubdesk([
      'chat',
      '--model',
      'gpt-4o-mini',
      '--system',
      'Be brief.',
      'Hello from the CLI',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Echo: Hello from the CLI\n');
    const body = cli.proxy.requests.at(-1)?.json as { messages: { role: string }[]; stream: boolean };
    expect(body.stream).toBe(true);
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('--json prints the final message; --conversation continues; every API is reachable', async () => {
    const first = await hubdesk(['chat', '--json', '--model', 'claude-sonnet-4-5-20250929', 'Name a colour']);
    expect(first.code).toBe(0);
    const message = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(message).toMatchObject({ text: 'Echo: Name a colour', status: 'complete', finishReason: 'stop' });
    expect(cli.proxy.requests.at(-1)?.path).toBe('/v1/messages');
    conversationId = message.conversationId as string;

    const next = await hubdesk([
      'chat',
      '--json',
      '--no-stream',
      '--conversation',
      conversationId,
      'Another',
    ]);
    expect(JSON.parse(next.stdout)).toMatchObject({
      conversationId,
      text: 'Echo: Another',
      status: 'complete',
    });
    const body = cli.proxy.requests.at(-1)?.json as { messages: unknown[]; stream?: boolean };
    expect(body.messages).toHaveLength(3);
    expect(body.stream ?? false).toBe(false);

    const viaResponses = await hubdesk([
      'chat',
      '--json',
      '--model',
      'gpt-5',
      '--api',
      'openai-responses',
      'Think',
    ]);
    expect(JSON.parse(viaResponses.stdout)).toMatchObject({ text: 'Echo: Think', status: 'complete' });
    expect(cli.proxy.requests.at(-1)?.path).toBe('/v1/responses');

    const viaGemini = await hubdesk(['chat', '--json', '--model', 'gemini-2.5-pro', 'Hi Gemini']);
    expect(JSON.parse(viaGemini.stdout)).toMatchObject({ text: 'Echo: Hi Gemini', status: 'complete' });
    expect(cli.proxy.requests.at(-1)?.path).toMatch(
      /^\/v1beta\/models\/gemini-2\.5-pro:streamGenerateContent\?alt=sse/,
    );
  });

  it('history list, show, search and export read what chat stored', async () => {
    const listed = JSON.parse((await hubdesk(['history', 'list', '--json'])).stdout) as {
      id: string;
      title: string;
    }[];
    expect(listed.map((c) => c.title)).toContain('Name a colour');

    const shown = await hubdesk(['history', 'show', conversationId]);
    expect(shown.stdout).toContain('Echo: Another');

    const found = JSON.parse((await hubdesk(['history', 'search', 'colour', '--json'])).stdout) as {
      conversationId: string;
    }[];
    expect(found.map((hit) => hit.conversationId)).toContain(conversationId);

    const markdown = await hubdesk(['history', 'export', conversationId, '--format', 'md']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('Name a colour');
    const json = await hubdesk(['history', 'export', conversationId, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ format: 'hubdesk.conversation' });
  });

  it('says on stderr that a rate-limited request is retried, and in how long', async () => {
    cli.proxy.addFault({
      match: '/v1/chat/completions',
      fault: { type: 'status', status: 429, retryAfterMs: 100 },
    });
    const result = await hubdesk(['chat', 'Once more']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Echo: Once more\n');
    expect(result.stderr).toBe('hubdesk: rate limited; retrying in 1 s (1 of 2)\n');
  });

  it('a broken stream exits non-zero and keeps the partial text as interrupted', async () => {
    cli.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'cut', afterEvents: 3 } });
    const result = await hubdesk(['chat', '--json', 'A longer prompt that will be cut short']);
    expect(result.code).toBe(1);
    const message = JSON.parse(result.stdout) as { status: string; text: string; error: { kind: string } };
    expect(message.status).toBe('interrupted');
    expect(message.text.length).toBeGreaterThan(0);
    expect(message.error.kind).toBe('network');
  });

  it('after a kill mid-stream, the reply is interrupted with its partial text when the data is opened again', async () => {
    cli.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 80 } });
    const prompt = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const databasePath = join(cli.dataDir, 'hubdesk.sqlite');
    const lastReply = () => {
      const db = new Database(databasePath, { readonly: true });
      try {
        return db
          .prepare(
            "SELECT id, text, status FROM messages WHERE role = 'assistant' ORDER BY created_at DESC LIMIT 1",
          )
          .get() as { id: string; text: string; status: string } | undefined;
      } finally {
        db.close();
      }
    };
    const before = lastReply()?.id;
    const child: ChildProcess = spawn(process.execPath, [hubdeskBin, 'chat', '--model', 'gpt-4.1', prompt], {
      env: cli.env,
    });
    const flushed = () => {
      const reply = lastReply();
      return (
        reply !== undefined && reply.id !== before && reply.status === 'streaming' && reply.text.length > 0
      );
    };
    // Killed once a flush of the growing reply has reached the disk, whenever that is.
    await expect.poll(flushed, { timeout: 15_000, interval: 50 }).toBe(true);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const row = lastReply();
    if (!row) throw new Error('no reply was stored');
    expect(row.status).toBe('streaming');
    expect(row.text.length).toBeGreaterThan(0);
    expect(`Echo: ${prompt}`.startsWith(row.text)).toBe(true);

    // The next start of HubDesk (here: the CLI) repairs it.
    await hubdesk(['history', 'list']);
    const after = new Database(join(cli.dataDir, 'hubdesk.sqlite'), { readonly: true });
    const repaired = after.prepare('SELECT text, status FROM messages WHERE id = ?').get(row.id) as {
      text: string;
      status: string;
    };
    after.close();
    expect(repaired).toEqual({ text: row.text, status: 'interrupted' });
  });
});
