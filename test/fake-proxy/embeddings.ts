import { badRequest } from './errors';
import { type Ctx, isObject, sendJson } from './http';
import { estimateTokens, fnv1a } from './text';

const MAX_INPUTS = 2048;

function defaultDimensions(model: string): number {
  return model === 'text-embedding-3-large' ? 3072 : 1536;
}

/**
 * Words of the same meaning, each counted as the first of its group, so that a text can be found by meaning with
 * none of the query's words (as a real embedding model finds it); no other word changes its vector.
 */
const synonymGroups = [
  ['dog', 'dogs', 'puppy', 'puppies', 'canine', 'canines', 'hound', 'hounds', 'pet', 'pets'],
  ['refund', 'refunds', 'reimbursement', 'reimbursed', 'repayment', 'repaid'],
];
const meaningOf = new Map(synonymGroups.flatMap((group) => group.map((word) => [word, group[0] ?? word])));

/**
 * A bag-of-words hashing embedding (words of one synonym group count as one): each word adds ±1 at a hashed index, then the vector is normalized.
 * Texts that share words point in similar directions; the same text always gives the same vector.
 */
export function embed(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const written of words.length > 0 ? words : [text]) {
    const word = meaningOf.get(written) ?? written;
    const index = fnv1a(word) % dimensions;
    vector[index] = (vector[index] ?? 0) + (fnv1a(word, 0x9747b28c) & 1 ? 1 : -1);
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

function littleEndianBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [index, value] of vector.entries()) bytes.writeFloatLE(value, index * 4);
  return bytes.toString('base64');
}

function inputsOf(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((item) => typeof item === 'number')) return [input.join(' ')];
  const texts = input.map((item) =>
    typeof item === 'string'
      ? item
      : Array.isArray(item) && item.every((t) => typeof t === 'number')
        ? item.join(' ')
        : null,
  );
  return texts.every((text): text is string => text !== null) ? texts : undefined;
}

/** POST /v1/embeddings */
export function embeddings(ctx: Ctx) {
  const body = ctx.json;
  if (!isObject(body)) return badRequest(ctx, 'We could not parse the JSON body of your request.');
  if (typeof body.model !== 'string' || body.model === '') {
    return badRequest(ctx, 'you must provide a model parameter', 'model');
  }
  const texts = inputsOf(body.input);
  if (!texts || texts.some((text) => text === '')) {
    return badRequest(
      ctx,
      "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
      'input',
    );
  }
  if (texts.length > MAX_INPUTS) {
    return badRequest(ctx, `'$.input' must have at most ${MAX_INPUTS} items.`, 'input');
  }
  let dimensions = defaultDimensions(body.model);
  if (body.dimensions !== undefined) {
    if (!body.model.startsWith('text-embedding-3')) {
      return badRequest(ctx, 'This model does not support specifying dimensions.', 'dimensions');
    }
    if (typeof body.dimensions !== 'number' || !Number.isInteger(body.dimensions) || body.dimensions < 1) {
      return badRequest(ctx, 'Invalid value for dimensions: must be a positive integer.', 'dimensions');
    }
    dimensions = Math.min(body.dimensions, defaultDimensions(body.model));
  }
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    return badRequest(
      ctx,
      "Invalid value for encoding_format: must be 'float' or 'base64'.",
      'encoding_format',
    );
  }
  const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  sendJson(ctx, 200, {
    object: 'list',
    model: body.model,
    data: texts.map((text, index) => {
      const vector = embed(text, dimensions);
      const embedding = format === 'base64' ? littleEndianBase64(vector) : Array.from(vector);
      return { object: 'embedding', index, embedding };
    }),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
