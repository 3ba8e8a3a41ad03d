import { z } from 'zod';

/** The four wire formats HubDesk speaks for text. */
export const chatApis = ['openai-chat', 'openai-responses', 'claude-messages', 'gemini'] as const;
export const chatApiSchema = z.enum(chatApis);
export type ChatApi = z.infer<typeof chatApiSchema>;

export const chatApiLabels: Record<ChatApi, string> = {
  'openai-chat': 'OpenAI chat completions',
  'openai-responses': 'OpenAI Responses',
  'claude-messages': 'Claude Messages',
  gemini: 'Gemini',
};

export type ModelFamily = 'openai' | 'claude' | 'deepseek' | 'gemini';

/**
 * How a model reasons, which decides its controls and its request fields:
 * `effort` (OpenAI o-series / gpt-5: reasoning_effort, max_completion_tokens, no sampling controls),
 * `budget` (Claude thinking / Gemini thinkingBudget), `always` (DeepSeek reasoner: reasoning_content, no controls).
 */
export type ReasoningStyle = 'none' | 'effort' | 'budget' | 'always';

export const modelInfoSchema = z.object({
  id: z.string(),
  family: z.enum(['openai', 'claude', 'deepseek', 'gemini']),
  defaultApi: chatApiSchema,
  apis: z.array(chatApiSchema),
  contextWindow: z.number().int().optional(),
  vision: z.boolean(),
  tools: z.boolean(),
  reasoning: z.enum(['none', 'effort', 'budget', 'always']),
  custom: z.boolean(),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

type Declared = Omit<ModelInfo, 'id' | 'custom' | 'apis'> & { apis?: ChatApi[] };

const openai = (overrides: Partial<Declared> = {}): Declared => ({
  family: 'openai',
  defaultApi: 'openai-chat',
  apis: ['openai-chat', 'openai-responses'],
  vision: true,
  tools: true,
  reasoning: 'none',
  ...overrides,
});
const oSeries = (contextWindow: number, vision = true): Declared =>
  openai({ reasoning: 'effort', contextWindow, vision });
const claude = (contextWindow: number): Declared => ({
  family: 'claude',
  defaultApi: 'claude-messages',
  apis: ['claude-messages', 'openai-chat'],
  contextWindow,
  vision: true,
  tools: true,
  reasoning: 'budget',
});
const deepseek = (reasoning: ReasoningStyle): Declared => ({
  family: 'deepseek',
  defaultApi: 'openai-chat',
  apis: ['openai-chat'],
  contextWindow: 128_000,
  vision: false,
  tools: reasoning === 'none',
  reasoning,
});
const gemini = (contextWindow: number): Declared => ({
  family: 'gemini',
  defaultApi: 'gemini',
  apis: ['gemini'],
  contextWindow,
  vision: true,
  tools: true,
  reasoning: 'budget',
});

/**
 * Every text model named in the proxy's documentation (docs/proxy-api.md §3.1, §3.3–§3.5).
 * Adding a model is one line.
 * Context windows are the upstream providers' published figures; absent where unknown.
 */
const declared: Record<string, Declared> = {
  'gpt-3.5-turbo': openai({ contextWindow: 16_385, vision: false }),
  'gpt-3.5-turbo-0125': openai({ contextWindow: 16_385, vision: false }),
  'gpt-3.5-turbo-0613': openai({ contextWindow: 4_096, vision: false }),
  'gpt-3.5-turbo-1106': openai({ contextWindow: 16_385, vision: false }),
  'gpt-3.5-turbo-16k': openai({ contextWindow: 16_385, vision: false }),
  'gpt-3.5-turbo-16k-0613': openai({ contextWindow: 16_385, vision: false }),
  'gpt-4-32k': openai({ contextWindow: 32_768, vision: false }),
  'gpt-4-32k-0613': openai({ contextWindow: 32_768, vision: false }),
  'gpt-4-turbo': openai({ contextWindow: 128_000 }),
  'gpt-4-turbo-2024-04-09': openai({ contextWindow: 128_000 }),
  'gpt-4-vision-preview': openai({ contextWindow: 128_000, tools: false }),
  'gpt-4.1': openai({ contextWindow: 1_047_576 }),
  'gpt-4.1-2025-04-14': openai({ contextWindow: 1_047_576 }),
  'gpt-4.1-mini': openai({ contextWindow: 1_047_576 }),
  'gpt-4.1-mini-2025-04-14': openai({ contextWindow: 1_047_576 }),
  'gpt-4.1-nano': openai({ contextWindow: 1_047_576 }),
  'gpt-4.1-nano-2025-04-14': openai({ contextWindow: 1_047_576 }),
  'gpt-4o': openai({ contextWindow: 128_000 }),
  'gpt-4o-2024-05-13': openai({ contextWindow: 128_000 }),
  'gpt-4o-2024-08-06': openai({ contextWindow: 128_000 }),
  'gpt-4o-2024-11-20': openai({ contextWindow: 128_000 }),
  'gpt-4o-mini': openai({ contextWindow: 128_000 }),
  'gpt-4o-mini-2024-07-18': openai({ contextWindow: 128_000 }),
  'gpt-5': oSeries(400_000),
  'gpt-5-2025-08-07': oSeries(400_000),
  'gpt-5-chat-latest': openai({ contextWindow: 128_000 }),
  'gpt-5-mini': oSeries(400_000),
  'gpt-5-nano': oSeries(400_000),
  o1: oSeries(200_000),
  'o1-2024-12-17': oSeries(200_000),
  'o1-mini': oSeries(128_000, false),
  'o1-mini-2024-09-12': oSeries(128_000, false),
  'o1-preview': oSeries(128_000, false),
  'o1-preview-2024-09-12': oSeries(128_000, false),
  o3: oSeries(200_000),
  'o3-2025-04-16': oSeries(200_000),
  'o3-mini': oSeries(200_000, false),
  'o3-mini-2025-01-31': oSeries(200_000, false),
  'o3-pro': oSeries(200_000),
  'o4-mini': oSeries(200_000),
  'o4-mini-2025-04-16': oSeries(200_000),
  'claude-sonnet-4-5-20250929': claude(200_000),
  'claude-opus-4-6': claude(200_000),
  'deepseek-chat': deepseek('none'),
  'deepseek-reasoner': deepseek('always'),
  'deepseek-v4-flash': deepseek('none'),
  'deepseek-v4-pro': deepseek('always'),
  'gemini-2.5-pro': gemini(1_048_576),
};

export const modelCatalogue: ModelInfo[] = Object.entries(declared).map(([id, info]) => ({
  id,
  ...info,
  apis: info.apis ?? [info.defaultApi],
  custom: false,
}));

export const DEFAULT_MODEL_ID = 'gpt-4.1-mini';

/** A model id the user added, with the API it speaks. */
export const customModelSchema = z.object({
  id: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[\w.:/@-]+$/, 'may contain letters, digits and . : / @ _ - only'),
  api: chatApiSchema,
  vision: z.boolean().default(false),
  reasoning: z.enum(['none', 'effort', 'budget', 'always']).default('none'),
  contextWindow: z.number().int().positive().optional(),
});
export type CustomModel = z.infer<typeof customModelSchema>;

const familyOfApi: Record<ChatApi, ModelFamily> = {
  'openai-chat': 'openai',
  'openai-responses': 'openai',
  'claude-messages': 'claude',
  gemini: 'gemini',
};

export function customModelInfo(model: CustomModel): ModelInfo {
  return {
    id: model.id,
    family: familyOfApi[model.api],
    defaultApi: model.api,
    apis: [model.api],
    ...(model.contextWindow ? { contextWindow: model.contextWindow } : {}),
    vision: model.vision,
    tools: false,
    reasoning: model.reasoning,
    custom: true,
  };
}

/** The catalogue entry for an id, else a guess from its name (for ids the proxy adds later). */
export function findModel(id: string, custom: CustomModel[] = []): ModelInfo {
  const own = custom.find((model) => model.id === id);
  if (own) return customModelInfo(own);
  const known = modelCatalogue.find((model) => model.id === id);
  if (known) return known;
  const lower = id.toLowerCase();
  const base = lower.startsWith('claude')
    ? claude(200_000)
    : lower.startsWith('gemini')
      ? gemini(1_048_576)
      : lower.startsWith('deepseek')
        ? deepseek(lower.includes('reason') ? 'always' : 'none')
        : /^(o\d|gpt-5)/.test(lower)
          ? oSeries(200_000)
          : openai();
  const { contextWindow: _unknown, ...rest } = base;
  return { id, ...rest, apis: rest.apis ?? [rest.defaultApi], custom: false };
}
