import { errorBody, sendError } from './errors';
import { type Ctx, isObject, type Json, newId, sendJson, sendText } from './http';
import { commentPing, jsonEvent, sendStream } from './sse';
import {
  chunkText,
  estimateTokens,
  limitTokens,
  plannedToolCalls,
  reasoningFor,
  replyTo,
  TOOL_LOOP_MARKER,
  toolResultsReply,
} from './text';
import { type PairingStep, pairingProblem } from './tool-pairing';

const BLOCK_MARKER = '[blocked]';
const safetyRatings = [
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_DANGEROUS_CONTENT',
  'HARM_CATEGORY_HARASSMENT',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
].map((category) => ({ category, probability: 'NEGLIGIBLE' }));

type Part = Json;

interface GeminiPlan {
  blocked: boolean;
  thought: string;
  text: string;
  /** Parallel calls come as parts of one chunk; a call without arguments has no `args`. */
  functionCalls: { name: string; args?: Json }[];
  finishReason: 'STOP' | 'MAX_TOKENS';
  promptTokens: number;
}

function invalid(ctx: Ctx, message: string): false {
  sendError(ctx, 400, message, {}, 'google');
  return false;
}

function validate(ctx: Ctx, body: unknown): body is Json {
  if (!isObject(body)) return invalid(ctx, 'Invalid JSON payload received.');
  if (!Array.isArray(body.contents) || body.contents.length === 0) {
    return invalid(ctx, '* GenerateContentRequest.contents: contents is not specified');
  }
  for (const [index, content] of body.contents.entries()) {
    if (!isObject(content))
      return invalid(ctx, `* GenerateContentRequest.contents[${index}]: must be an object`);
    if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') {
      return invalid(ctx, 'Please use a valid role: user, model.');
    }
    if (!Array.isArray(content.parts) || content.parts.length === 0) {
      return invalid(
        ctx,
        `* GenerateContentRequest.contents[${index}].parts: contents.parts must not be empty.`,
      );
    }
  }
  return pairedFunctionCalls(ctx, body.contents.filter(isObject));
}

/** Each model turn's `functionCall` parts answered, one `functionResponse` each, in the next turn (upstream). */
function pairedFunctionCalls(ctx: Ctx, contents: Json[]): boolean {
  const partsOf = (content: Json, key: string): Json[] =>
    Array.isArray(content.parts)
      ? content.parts.filter((part): part is Json => isObject(part) && isObject(part[key]))
      : [];
  const steps: PairingStep[] = contents.map((content) => {
    const calls = partsOf(content, 'functionCall').map((part) => part.functionCall as Json);
    const answers = partsOf(content, 'functionResponse').map((part) => part.functionResponse as Json);
    const key = (value: Json, index: number) => String(value.id ?? `${String(value.name)}#${index}`);
    if (content.role === 'model' && calls.length > 0) return { kind: 'calls', ids: calls.map(key) };
    if (answers.length > 0) return { kind: 'results', ids: answers.map(key) };
    return { kind: 'other' };
  });
  if (!pairingProblem(steps)) return true;
  return invalid(
    ctx,
    'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.',
  );
}

function partsText(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  return parts
    .filter(isObject)
    .map((part) => (typeof part.text === 'string' && part.thought !== true ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

function plan(body: Json): GeminiPlan {
  const contents = (body.contents as unknown[]).filter(isObject);
  const system = isObject(body.systemInstruction) ? partsText(body.systemInstruction.parts) : '';
  const promptTokens = estimateTokens([system, ...contents.map((c) => partsText(c.parts))].join('\n')) + 1;
  const userTurns = contents.filter((c) => c.role !== 'model');
  const lastUser = userTurns[userTurns.length - 1];
  const prompt = partsText([...userTurns].reverse().find((c) => partsText(c.parts) !== '')?.parts);
  const config = isObject(body.generationConfig) ? body.generationConfig : {};
  const thinking = isObject(config.thinkingConfig) ? config.thinkingConfig : {};
  const thought = thinking.includeThoughts === true ? reasoningFor(prompt) : '';
  const maxTokens = typeof config.maxOutputTokens === 'number' ? config.maxOutputTokens : undefined;
  const base = { blocked: false, thought, functionCalls: [], promptTokens };

  if (prompt.includes(BLOCK_MARKER)) return { ...base, blocked: true, text: '', finishReason: 'STOP' };
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  const names = tools.flatMap((tool) =>
    Array.isArray(tool.functionDeclarations)
      ? tool.functionDeclarations
          .filter(isObject)
          .flatMap((f) => (typeof f.name === 'string' ? [f.name] : []))
      : [],
  );
  const planned = plannedToolCalls(prompt, names);
  const functionCalls = planned.map((call) => ({
    name: call.name,
    ...(call.args ? { args: call.args } : {}),
  }));
  const responses = Array.isArray(lastUser?.parts)
    ? lastUser.parts
        .filter(isObject)
        .flatMap((part) => (isObject(part.functionResponse) ? [part.functionResponse] : []))
    : [];
  if (responses.length > 0 && !(prompt.includes(TOOL_LOOP_MARKER) && planned.length > 0)) {
    const limited = limitTokens(
      toolResultsReply(responses.map((response) => JSON.stringify(response.response))),
      maxTokens,
    );
    return { ...base, text: limited.text, finishReason: limited.truncated ? 'MAX_TOKENS' : 'STOP' };
  }
  if (functionCalls.length > 0) return { ...base, text: '', functionCalls, finishReason: 'STOP' };
  const limited = limitTokens(replyTo(prompt), maxTokens);
  return { ...base, text: limited.text, finishReason: limited.truncated ? 'MAX_TOKENS' : 'STOP' };
}

function usageMetadata(p: GeminiPlan, final: boolean): Json {
  if (!final) return { promptTokenCount: p.promptTokens, totalTokenCount: p.promptTokens };
  const candidates =
    estimateTokens(p.text) + estimateTokens(p.functionCalls.map((call) => JSON.stringify(call)).join(''));
  const thoughts = estimateTokens(p.thought);
  return {
    promptTokenCount: p.promptTokens,
    candidatesTokenCount: candidates,
    totalTokenCount: p.promptTokens + candidates + thoughts,
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
  };
}

function blockedResponse(p: GeminiPlan, model: string, responseId: string): Json {
  return {
    promptFeedback: { blockReason: 'SAFETY', safetyRatings },
    usageMetadata: { promptTokenCount: p.promptTokens, totalTokenCount: p.promptTokens },
    modelVersion: model,
    responseId,
  };
}

function response(parts: Part[], p: GeminiPlan, model: string, responseId: string, final: boolean): Json {
  return {
    candidates: [
      {
        content: { parts, role: 'model' },
        ...(final ? { finishReason: p.finishReason, safetyRatings } : {}),
        index: 0,
      },
    ],
    usageMetadata: usageMetadata(p, final),
    modelVersion: model,
    responseId,
  };
}

/** The calls as parts; a thinking model signs the first one (`thoughtSignature`), as upstream does. */
function functionCallParts(p: GeminiPlan): Part[] {
  return p.functionCalls.map((functionCall, index) => ({
    functionCall,
    ...(index === 0 && p.thought
      ? { thoughtSignature: Buffer.from(`sig:${functionCall.name}`).toString('base64') }
      : {}),
  }));
}

function streamChunks(p: GeminiPlan, model: string, responseId: string): Json[] {
  if (p.blocked) return [blockedResponse(p, model, responseId)];
  const pieces: Part[][] = [
    ...chunkText(p.thought, 8).map((text) => [{ text, thought: true }]),
    ...chunkText(p.text, 8).map((text) => [{ text }]),
    ...(p.functionCalls.length > 0 ? [functionCallParts(p)] : []),
  ];
  if (pieces.length === 0) pieces.push([{ text: '' }]);
  return pieces.map((parts, index) => response(parts, p, model, responseId, index === pieces.length - 1));
}

/** POST /v1beta/models/{model}:generateContent and :streamGenerateContent[?alt=sse] */
export async function gemini(ctx: Ctx, params: string[]): Promise<void> {
  const [model = '', method] = params;
  const body = ctx.json;
  if (!validate(ctx, body)) return;
  const p = plan(body);
  const responseId = newId('', 10);

  if (method === 'generateContent') {
    if (p.blocked) return sendJson(ctx, 200, blockedResponse(p, model, responseId));
    const parts: Part[] = [
      ...(p.thought ? [{ text: p.thought, thought: true }] : []),
      ...(p.functionCalls.length > 0 ? functionCallParts(p) : [{ text: p.text }]),
    ];
    return sendJson(ctx, 200, response(parts, p, model, responseId, true));
  }
  const chunks = streamChunks(p, model, responseId);
  if (ctx.url.searchParams.get('alt') !== 'sse') {
    // Upstream streams a JSON array when `alt=sse` is missing.
    const text = `[${chunks.map((chunk) => JSON.stringify(chunk)).join(',\r\n')}]`;
    return sendText(ctx, 200, text, 'application/json; charset=UTF-8');
  }
  const error = errorBody('google', 500, 'An internal error has occurred. Please retry.', ctx.requestId);
  await sendStream(ctx, {
    events: chunks.map((chunk) => jsonEvent(chunk)),
    errorEvents: () => [jsonEvent(error)],
    ping: commentPing,
  });
}
