import { describe, expect, it } from 'vitest';
import { modelLabel, modelName } from '../src/shared/model-names';
import { modelCatalogue } from '../src/shared/models';

describe('readable model names', () => {
  it('names the documented models as their makers write them', () => {
    expect(modelLabel('gpt-4.1-mini')).toBe('GPT-4.1 mini');
    expect(modelLabel('gpt-4o')).toBe('GPT-4o');
    expect(modelLabel('gpt-3.5-turbo-16k')).toBe('GPT-3.5 Turbo 16K');
    expect(modelLabel('gpt-5-chat-latest')).toBe('GPT-5 Chat (latest)');
    expect(modelLabel('o3-mini')).toBe('o3-mini');
    expect(modelLabel('claude-opus-4-6')).toBe('Claude Opus 4.6');
    expect(modelLabel('claude-sonnet-4-20250514')).toBe('Claude Sonnet 4 (2025-05-14)');
    expect(modelLabel('claude-3-5-sonnet-20241022')).toBe('Claude 3.5 Sonnet (2024-10-22)');
    expect(modelLabel('gemini-2.5-pro')).toBe('Gemini 2.5 Pro');
    expect(modelLabel('gemini-2.5-flash-lite')).toBe('Gemini 2.5 Flash-Lite');
    expect(modelLabel('deepseek-reasoner')).toBe('DeepSeek R1');
    expect(modelLabel('deepseek-v4-pro')).toBe('DeepSeek V4 Pro');
  });

  it('keeps a snapshot date apart from the name, so the chip can show the name and the list both', () => {
    expect(modelName('claude-sonnet-4-5-20250929')).toEqual({
      name: 'Claude Sonnet 4.5',
      variant: '2025-09-29',
    });
    expect(modelName('gpt-4o-mini-2024-07-18')).toEqual({ name: 'GPT-4o mini', variant: '2024-07-18' });
    expect(modelName('gpt-3.5-turbo-0613')).toEqual({ name: 'GPT-3.5 Turbo', variant: '0613' });
    expect(modelName('gemini-2.5-pro-preview-05-06')).toEqual({
      name: 'Gemini 2.5 Pro',
      variant: 'preview, 05-06',
    });
    expect(modelName('gpt-4.1')).toEqual({ name: 'GPT-4.1', variant: null });
  });

  it('tidies an id no rule knows instead of showing it raw', () => {
    expect(modelLabel('llama-3.1-8b-instruct')).toBe('Llama 3.1 8B Instruct');
    expect(modelLabel('Qwen/Qwen2.5-72B-Instruct')).toBe('Qwen2.5 72B Instruct');
    expect(modelLabel('mistral-large-latest')).toBe('Mistral Large (latest)');
    expect(modelLabel('openai/gpt-4o')).toBe('GPT-4o');
    expect(modelLabel('my_model:free')).toBe('My Model (free)');
  });

  it('gives every catalogue model a name that is not its id and tells every two catalogue ids apart', () => {
    const labels = modelCatalogue.map((model) => modelLabel(model.id));
    for (const [index, label] of labels.entries()) {
      const id = modelCatalogue[index]?.id as string;
      if (!/^o\d/.test(id)) expect(label, id).not.toBe(id);
      expect(label.length, id).toBeGreaterThan(1);
    }
    const apart = modelCatalogue.filter(
      (model) => !['deepseek-chat', 'deepseek-reasoner'].includes(model.id),
    );
    expect(new Set(apart.map((model) => modelLabel(model.id))).size).toBe(apart.length);
  });
});
