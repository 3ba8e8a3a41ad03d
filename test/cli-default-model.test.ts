import { describe, expect, it } from 'vitest';
import { cliAgainstFakeProxy } from './support/cli-run';

const cli = cliAgainstFakeProxy('hubdesk-cli-model-');
const hubdesk = (args: string[]) => cli.hubdesk(args);

describe('hubdesk chat and the profile’s default model', () => {
  it('says in --help where the model comes from when --model is not given', async () => {
    const help = await hubdesk(['--help']);
    expect(help.stdout).toContain(
      "--model ID (default: the active profile's default model, else gpt-4.1-mini)",
    );
    expect(help.stdout).toContain('profile model [ID|none]');
  });

  it('uses the profile’s default model without --model, and --model over it', async () => {
    const none = await hubdesk(['profile', 'model']);
    expect(none.stdout.trim()).toBe(
      'TikHub has no default model: new chats start with GPT-4.1 mini (gpt-4.1-mini)',
    );

    const set = await hubdesk(['profile', 'model', 'claude-opus-4-6']);
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout.trim()).toBe('New chats on TikHub start with Claude Opus 4.6 (claude-opus-4-6)');
    expect((await hubdesk(['profile', 'list'])).stdout).toContain('model claude-opus-4-6');

    const chat = await hubdesk(['--json', 'chat', 'Hello from the default']);
    expect(chat.code).toBe(0);
    expect(JSON.parse(chat.stdout)).toMatchObject({ model: 'claude-opus-4-6', status: 'complete' });
    expect(cli.proxy.requests.at(-1)?.path).toBe('/v1/messages');

    const chosen = await hubdesk(['--json', 'chat', '--model', 'gpt-4o', 'Hello from a flag']);
    expect(JSON.parse(chosen.stdout)).toMatchObject({ model: 'gpt-4o' });

    const cleared = await hubdesk(['--json', 'profile', 'model', 'none']);
    expect(JSON.parse(cleared.stdout)).toMatchObject({ defaultModel: null });
    const after = await hubdesk(['--json', 'chat', 'Hello again']);
    expect(JSON.parse(after.stdout)).toMatchObject({ model: 'gpt-4.1-mini' });
  }, 120_000);
});
