import { describe, expect, it } from 'vitest';
import { editDistance, filterModels } from '../src/renderer/src/chat/model-filter';
import { modelLabel } from '../src/shared/model-names';
import { modelCatalogue } from '../src/shared/models';

const families = { openai: 'OpenAI', claude: 'Claude', deepseek: 'DeepSeek', gemini: 'Gemini' } as const;
const models = modelCatalogue.map((model) => ({
  id: model.id,
  label: modelLabel(model.id),
  family: families[model.family],
}));
const ids = (query: string) => filterModels(models, query).map((model) => model.id);

describe('the model picker’s search', () => {
  it('keeps every model, in order, for an empty query', () => {
    expect(ids('  ')).toEqual(models.map((model) => model.id));
  });

  it('finds models by readable name, by id and by family', () => {
    expect(ids('sonnet')).toEqual(['claude-sonnet-4-5-20250929']);
    expect(ids('R1')).toEqual(['deepseek-reasoner']);
    expect(ids('deepseek-reasoner')[0]).toBe('deepseek-reasoner');
    expect(ids('gemini')).toEqual(['gemini-2.5-pro']);
    expect(ids('claude')).toEqual(['claude-sonnet-4-5-20250929', 'claude-opus-4-6']);
    expect(ids('openai')).toContain('o3-mini');
  });

  it('needs every word of the query, in any order, with or without separators', () => {
    expect(ids('mini 4.1')).toEqual(['gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14']);
    expect(ids('gpt41mini')).toEqual(['gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14']);
    expect(ids('claude sonnet opus')).toEqual([]);
  });

  it('puts the exact id first and names that begin with the query before others', () => {
    expect(ids('gpt-4o')[0]).toBe('gpt-4o');
    expect(ids('o3')[0]).toBe('o3');
  });

  it('forgives one typo from four letters on', () => {
    expect(ids('sonet')).toEqual(['claude-sonnet-4-5-20250929']);
    expect(ids('gemni')).toEqual(['gemini-2.5-pro']);
    expect(ids('deepsek')).toEqual([
      'deepseek-chat',
      'deepseek-reasoner',
      'deepseek-v4-flash',
      'deepseek-v4-pro',
    ]);
    expect(ids('cluade')).toEqual(['claude-sonnet-4-5-20250929', 'claude-opus-4-6']);
    expect(ids('xyzzy')).toEqual([]);
    expect(ids('gpu')).toEqual([]);
  });

  it('counts a swap of two letters as one edit', () => {
    expect(editDistance('cluade', 'claude')).toBe(1);
    expect(editDistance('sonet', 'sonnet')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });
});
