/**
 * POST /v1/embeddings (docs/proxy-api.md §4.1): batching within the API's limits,
 * and every answer's shape checked.
 */
import { modelAcceptsDimensions } from '../../shared/search';
import { HubError } from '../base/errors';
import { blobToVector } from '../base/vector-bytes';
import type { HttpClient } from './http-client';

export interface EmbeddingLimits {
  maxInputs: number;
  maxTokensPerRequest: number;
  maxTokensPerInput: number;
}

/** The API's own limits (docs/proxy-api.md §4.1). */
export const EMBEDDING_LIMITS: EmbeddingLimits = {
  maxInputs: 2048,
  maxTokensPerRequest: 300_000,
  maxTokensPerInput: 8192,
};

/** Rough count, as the API has no tokenizer endpoint: about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Splits inputs (by index) into requests that each stay within the limits, in order. An input over the
 * per-input limit is refused: callers chunk long texts first.
 */
export function planBatches(
  texts: readonly string[],
  limits: EmbeddingLimits = EMBEDDING_LIMITS,
): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let tokens = 0;
  texts.forEach((text, index) => {
    const cost = estimateTokens(text);
    if (cost > limits.maxTokensPerInput) {
      throw new HubError({
        kind: 'invalid_input',
        message: `Input ${index + 1} is about ${cost} tokens; the embeddings API takes at most ${limits.maxTokensPerInput}.`,
        reason: {
          code: 'embeddingInputTooLong',
          values: { input: index + 1, tokens: cost, limit: limits.maxTokensPerInput },
        },
      });
    }
    if (
      current.length > 0 &&
      (current.length >= limits.maxInputs || tokens + cost > limits.maxTokensPerRequest)
    ) {
      batches.push(current);
      current = [];
      tokens = 0;
    }
    current.push(index);
    tokens += cost;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface EmbedRequest {
  model: string;
  inputs: readonly string[];
  /** Requested vector length; 3-series models only. null/absent = the model's own length. */
  dimensions?: number | null | undefined;
  /** base64 (default) is a quarter of the size of float JSON and cheaper to parse. */
  encoding?: 'float' | 'base64';
  signal?: AbortSignal | undefined;
  /** Default true: the HTTP core's retries (429 with Retry-After, 5xx, network). */
  retry?: boolean;
  limits?: EmbeddingLimits;
}

export interface EmbedResult {
  /** One per input, in input order. */
  vectors: Float32Array[];
  dims: number;
  /** As the proxy reported them (usage.total_tokens), else the estimate. */
  tokens: number;
}

/** The request body of one call (exported for tests). */
export function embeddingBody(
  model: string,
  inputs: readonly string[],
  dimensions: number | null | undefined,
  encoding: 'float' | 'base64',
): Record<string, unknown> {
  if (dimensions != null && !modelAcceptsDimensions(model)) {
    throw new HubError({
      kind: 'invalid_input',
      message: `${model} does not accept a dimensions setting; only the text-embedding-3 models do.`,
      field: 'dimensions',
      reason: { code: 'embeddingNoDimensions', values: { model } },
    });
  }
  return {
    model,
    input: inputs,
    encoding_format: encoding,
    ...(dimensions != null ? { dimensions } : {}),
  };
}

/** Embeds every input, in as many requests as the limits need, one after another. */
export async function embedTexts(client: HttpClient, request: EmbedRequest): Promise<EmbedResult> {
  const encoding = request.encoding ?? 'base64';
  const vectors: Float32Array[] = new Array(request.inputs.length);
  let tokens = 0;
  let dims = 0;
  for (const batch of planBatches(request.inputs, request.limits)) {
    const inputs = batch.map((index) => request.inputs[index] ?? '');
    const result = await client.json({
      endpoint: 'openai.embeddings',
      json: embeddingBody(request.model, inputs, request.dimensions, encoding),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.retry === false ? { retry: false } : {}),
    });
    const parsed = parseEmbeddingResponse(result.data, inputs.length);
    parsed.vectors.forEach((vector, position) => {
      vectors[batch[position] ?? 0] = vector;
    });
    if (dims !== 0 && parsed.dims !== dims) throw malformed('vectors of different lengths');
    dims = parsed.dims;
    tokens += parsed.tokens ?? inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
  }
  return { vectors, dims, tokens };
}

function malformed(detail: string): HubError {
  return new HubError({
    kind: 'server',
    message: `The proxy's embeddings answer could not be read: ${detail}.`,
    reason: { code: 'embeddingAnswerUnreadable', values: { detail } },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Float arrays or little-endian base64 float32, placed by `index`; all of one length. */
export function parseEmbeddingResponse(
  data: unknown,
  expected: number,
): { vectors: Float32Array[]; dims: number; tokens: number | null } {
  if (!isRecord(data) || !Array.isArray(data.data)) throw malformed('no data list');
  if (data.data.length !== expected) {
    throw malformed(`${data.data.length} vectors for ${expected} inputs`);
  }
  const vectors: (Float32Array | undefined)[] = new Array(expected);
  data.data.forEach((item, position) => {
    if (!isRecord(item)) throw malformed('an item is not an object');
    const index = typeof item.index === 'number' ? item.index : position;
    if (!Number.isInteger(index) || index < 0 || index >= expected || vectors[index]) {
      throw malformed(`unexpected index ${String(item.index)}`);
    }
    vectors[index] = decodeEmbedding(item.embedding);
  });
  const list = vectors.filter((vector): vector is Float32Array => vector !== undefined);
  const dims = list[0]?.length ?? 0;
  if (list.length !== expected || dims === 0 || list.some((vector) => vector.length !== dims)) {
    throw malformed('vectors missing or of different lengths');
  }
  const usage = isRecord(data.usage) ? data.usage : {};
  const total = usage.total_tokens ?? usage.prompt_tokens;
  return { vectors: list, dims, tokens: typeof total === 'number' ? total : null };
}

function decodeEmbedding(value: unknown): Float32Array {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length === 0 || bytes.length % 4 !== 0) throw malformed('a base64 vector of odd length');
    return blobToVector(bytes);
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item))) {
    return Float32Array.from(value as number[]);
  }
  throw malformed('a vector is neither a number list nor base64');
}
