/** The models picked last are kept by main (issue 18): every window reads them, and they stay with the data folder. */
import { describe, expect, it } from 'vitest';
import type { ModelsState } from '../src/shared/chat-channels';
import { tempCoresPerTest } from './support/temp-cores';

const cores = tempCoresPerTest();

describe('recently used models', () => {
  it('keeps the last four picked, newest first, tells every window, and finds them after a restart', async () => {
    const dataDir = await cores.tempDir('hubdesk-recent-models-');
    const core = cores.openCore(dataDir);
    expect(core.chat.models().recent).toEqual([]);
    const heard: ModelsState[] = [];
    core.bus.subscribe((event, payload) => {
      if (event === 'models.changed') heard.push(payload as ModelsState);
    });

    for (const id of ['gpt-4o', 'gemini-2.5-pro', 'gpt-4o', 'deepseek-r1', 'claude-opus-4-6', 'gpt-4.1']) {
      core.chat.modelPicked(id);
    }
    const expected = ['gpt-4.1', 'claude-opus-4-6', 'deepseek-r1', 'gpt-4o'];
    expect(core.chat.models().recent).toEqual(expected);
    expect(heard).toHaveLength(6);
    expect(heard.at(-1)?.recent).toEqual(expected);

    await core.close();
    expect(cores.openCore(dataDir).chat.models().recent).toEqual(expected);
  });
});
