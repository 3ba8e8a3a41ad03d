import { z } from 'zod';
import { MAX_CHAT_BASES } from './chat-knowledge';
import type { ChatApi, ModelInfo } from './models';

/** Every generation parameter HubDesk knows, in one neutral shape; adapters map each to its family's field. */
export const chatParamsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().min(0).max(1).optional(),
    maxTokens: z.number().int().min(1).max(1_000_000).optional(),
    reasoningEffort: z.enum(['low', 'medium', 'high']).optional(),
    /** Claude: thinking budget_tokens (≥ 1024, < max tokens). Gemini: thinkingBudget (−1 dynamic, 0 off). */
    thinkingBudget: z.number().int().min(-1).max(128_000).optional(),
    stop: z.array(z.string().min(1).max(200)).max(5).optional(),
    seed: z.number().int().min(-2_147_483_648).max(2_147_483_647).optional(),
    responseFormat: z.enum(['text', 'json_object']).optional(),
    /** The tool providers (MCP servers, `hubdesk`) whose tools this chat offers the model; none by default. */
    toolServers: z.array(z.string().min(1).max(100)).max(50).optional(),
    /** How many rounds of tool calls one reply may run before the loop stops (default `DEFAULT_TOOL_STEPS`). */
    maxToolSteps: z.number().int().min(1).max(100).optional(),
    /** Who decides whether a tool call runs: ask the user (default), run every call, or run none. */
    toolApproval: z.enum(['ask', 'auto', 'never']).optional(),
    /** The knowledge bases (ids) whose passages go with each prompt of this chat; none by default. */
    knowledgeBases: z.array(z.string().min(1).max(100)).max(MAX_CHAT_BASES).optional(),
  })
  .strict();
export type ChatParams = z.infer<typeof chatParamsSchema>;
/** The tool loop's settings: the chat's, not the model's; never sent as generation parameters. */
export type ToolSettingKey = 'toolServers' | 'maxToolSteps' | 'toolApproval';
/** The chat's knowledge bases: the chat's, not the model's; never sent as generation parameters. */
export type KnowledgeSettingKey = 'knowledgeBases';
/** A generation parameter. */
export type ParamKey = Exclude<keyof ChatParams, ToolSettingKey | KnowledgeSettingKey>;

export interface ParamSpec {
  key: ParamKey;
  label: string;
  kind: 'number' | 'integer' | 'enum' | 'list';
  min?: number;
  max?: number;
  step?: number;
  options?: readonly string[];
  /** Items allowed in a list parameter (stop sequences). */
  maxItems?: number;
  /** The request field it is sent as, where the family names it its own way (max tokens). */
  field?: string;
  help: string;
}

const spec = {
  temperature: (max: number): ParamSpec => ({
    key: 'temperature',
    label: 'Temperature',
    kind: 'number',
    min: 0,
    max,
    step: 0.1,
    help: `Randomness, 0–${max}. Lower is more focused.`,
  }),
  topP: (): ParamSpec => ({
    key: 'topP',
    label: 'Top P',
    kind: 'number',
    min: 0,
    max: 1,
    step: 0.05,
    help: 'Nucleus sampling, 0–1.',
  }),
  maxTokens: (field: string): ParamSpec => ({
    key: 'maxTokens',
    label: 'Max tokens',
    kind: 'integer',
    min: 1,
    max: 1_000_000,
    step: 1,
    field,
    help: `Upper limit of the reply length (sent as ${field}).`,
  }),
  reasoningEffort: (): ParamSpec => ({
    key: 'reasoningEffort',
    label: 'Reasoning effort',
    kind: 'enum',
    options: ['low', 'medium', 'high'],
    help: 'How long the model thinks before answering.',
  }),
  thinkingBudget: (min: number, max: number, help: string): ParamSpec => ({
    key: 'thinkingBudget',
    label: 'Thinking budget',
    kind: 'integer',
    min,
    max,
    step: 1,
    help,
  }),
  stop: (maxItems: number): ParamSpec => ({
    key: 'stop',
    label: 'Stop sequences',
    kind: 'list',
    maxItems,
    help: `Up to ${maxItems} strings that end the reply.`,
  }),
  seed: (): ParamSpec => ({
    key: 'seed',
    label: 'Seed',
    kind: 'integer',
    min: -2_147_483_648,
    max: 2_147_483_647,
    step: 1,
    help: 'Repeatable sampling, where the model supports it.',
  }),
  responseFormat: (): ParamSpec => ({
    key: 'responseFormat',
    label: 'Response format',
    kind: 'enum',
    options: ['text', 'json_object'],
    help: 'json_object asks for a JSON reply.',
  }),
};

/**
 * The parameters a model supports through an API, with that family's ranges (docs/proxy-api.md §3).
 * Others are hidden.
 */
export function paramSpecs(model: ModelInfo, api: ChatApi): ParamSpec[] {
  switch (api) {
    case 'openai-chat': {
      if (model.reasoning === 'effort') {
        return [
          spec.maxTokens('max_completion_tokens'),
          spec.reasoningEffort(),
          spec.seed(),
          spec.responseFormat(),
        ];
      }
      if (model.reasoning === 'always') return [spec.maxTokens('max_tokens')];
      if (model.family === 'claude') {
        return [spec.temperature(1), spec.topP(), spec.maxTokens('max_tokens'), spec.stop(4)];
      }
      if (model.family === 'deepseek') {
        return [
          spec.temperature(2),
          spec.topP(),
          spec.maxTokens('max_tokens'),
          spec.stop(4),
          spec.responseFormat(),
        ];
      }
      return [
        spec.temperature(2),
        spec.topP(),
        spec.maxTokens('max_tokens'),
        spec.stop(4),
        spec.seed(),
        spec.responseFormat(),
      ];
    }
    case 'openai-responses':
      return model.reasoning === 'effort'
        ? [spec.maxTokens('max_output_tokens'), spec.reasoningEffort(), spec.responseFormat()]
        : [spec.temperature(2), spec.topP(), spec.maxTokens('max_output_tokens'), spec.responseFormat()];
    case 'claude-messages':
      return [
        spec.temperature(1),
        spec.topP(),
        spec.maxTokens('max_tokens'),
        spec.stop(4),
        spec.thinkingBudget(
          1024,
          128_000,
          'Extended thinking: at least 1024 and less than max tokens. Empty: off.',
        ),
      ];
    case 'gemini':
      return [
        spec.temperature(2),
        spec.topP(),
        spec.maxTokens('maxOutputTokens'),
        spec.stop(5),
        spec.seed(),
        spec.responseFormat(),
        spec.thinkingBudget(-1, 32_768, 'Thinking tokens: −1 lets the model decide, 0 turns thinking off.'),
      ];
  }
}

/** Rounds of tool calls a reply may run when the chat does not say. */
export const DEFAULT_TOOL_STEPS = 8;

/** Default max tokens for Claude Messages, where the field is required. */
export const CLAUDE_DEFAULT_MAX_TOKENS = 4096;

/** Why a combination of parameters would be refused: a code the window words in its language. */
export type ParamProblem =
  | { code: 'range'; key: ParamKey; min: number | undefined; max: number | undefined }
  | { code: 'tooMany'; key: ParamKey; max: number }
  | { code: 'thinkingNotBelowMax'; maxTokens: number };

/** A problem in English, for main's error message. */
function paramProblemText(problem: ParamProblem, specs: readonly ParamSpec[]): string {
  const label = (key: ParamKey) => specs.find((item) => item.key === key)?.label ?? key;
  switch (problem.code) {
    case 'range':
      return `${label(problem.key)} must be between ${problem.min} and ${problem.max}.`;
    case 'tooMany':
      return `${label(problem.key)}: at most ${problem.max}.`;
    case 'thinkingNotBelowMax':
      return `Thinking budget must be less than max tokens (${problem.maxTokens}).`;
  }
}

/**
 * The parameters that will really be sent: unsupported ones dropped (never silently sent), each checked
 * against its range. A combination the API would refuse gives its problem, and that problem in English.
 */
export function effectiveParams(
  params: ChatParams,
  model: ModelInfo,
  api: ChatApi,
): { params: ChatParams; problem: ParamProblem | null; error: string | null } {
  const specs = paramSpecs(model, api);
  const refused = (problem: ParamProblem) => ({
    params: {},
    problem,
    error: paramProblemText(problem, specs),
  });
  const kept: Record<string, unknown> = {};
  for (const item of specs) {
    const value = params[item.key];
    if (value === undefined) continue;
    if (
      typeof value === 'number' &&
      ((item.min !== undefined && value < item.min) || (item.max !== undefined && value > item.max))
    ) {
      return refused({ code: 'range', key: item.key, min: item.min, max: item.max });
    }
    if (Array.isArray(value) && item.maxItems !== undefined && value.length > item.maxItems) {
      return refused({ code: 'tooMany', key: item.key, max: item.maxItems });
    }
    kept[item.key] = value;
  }
  const result = kept as ChatParams;
  if (api === 'claude-messages' && result.thinkingBudget !== undefined) {
    const maxTokens = result.maxTokens ?? CLAUDE_DEFAULT_MAX_TOKENS;
    if (result.thinkingBudget >= maxTokens) return refused({ code: 'thinkingNotBelowMax', maxTokens });
  }
  return { params: result, problem: null, error: null };
}
