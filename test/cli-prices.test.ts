import { describe, expect, it } from 'vitest';
import { createCore } from '../src/main/core';
import { tokenCost } from '../src/shared/costs';
import { cliAgainstFakeProxy } from './support/cli-run';

const cli = cliAgainstFakeProxy('hubdesk-cli-prices-');
const hubdesk = (args: string[]) => cli.hubdesk(args);

const price = {
  kind: 'tokens',
  model: 'gpt-4o-mini',
  inputPerMillion: 0.15,
  outputPerMillion: 0.6,
  cachedInputPerMillion: null,
} as const;

describe('hubdesk prices and the cost in --json', () => {
  it('says no price is set (the proxy publishes none), and a reply’s costUsd is null', async () => {
    expect((await hubdesk(['prices'])).stdout).toMatch(/^No prices are set\. The proxy publishes none/);
    const reply = JSON.parse((await hubdesk(['chat', '--json', '--model', 'gpt-4o-mini', 'Hello'])).stdout);
    expect(reply.costUsd).toBeNull();
  });

  it('lists the prices set in Settings and prices a reply at them', async () => {
    const core = createCore({ dataDir: cli.dataDir, env: {} });
    core.costs.set(price);
    await core.close();

    expect((await hubdesk(['prices'])).stdout).toBe(
      'tokens gpt-4o-mini  $0.15 in, $0.6 out per 1M tokens (yours)\n',
    );
    const listed = JSON.parse((await hubdesk(['prices', '--json'])).stdout) as { rows: unknown[] };
    expect(listed.rows).toEqual([
      { key: { kind: 'tokens', model: 'gpt-4o-mini' }, price, defaultPrice: null, source: 'user' },
    ]);
    expect(
      (JSON.parse((await hubdesk(['prices', '--all', '--json'])).stdout) as { rows: unknown[] }).rows.length,
    ).toBeGreaterThan(40);

    const reply = JSON.parse(
      (await hubdesk(['chat', '--json', '--model', 'gpt-4o-mini', 'Hello again'])).stdout,
    );
    expect(reply.usage.inputTokens).toBeGreaterThan(0);
    expect(reply.costUsd).toBe(tokenCost(price, reply.usage));
  });
});
