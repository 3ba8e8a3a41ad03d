import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeState } from './state';
import type { StreamFault } from './types';

/** Everything a route handler needs about one request. */
export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  /** Path without query. */
  path: string;
  body: Buffer;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
  /** The stream fault picked for this request, applied by the SSE writer. */
  streamFault: StreamFault | undefined;
  /** Addition: bytes after which a binary download dies. */
  cutBytes: number | undefined;
  state: FakeState;
  requestId: string;
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function newId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function sendJson(
  ctx: Ctx,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  ctx.res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  ctx.res.end(text);
}

export function sendText(ctx: Ctx, status: number, text: string, contentType: string): void {
  ctx.res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  ctx.res.end(text);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The multipart body as FormData, or undefined when the request is not multipart or does not parse. */
export async function readForm(ctx: Ctx): Promise<FormData | undefined> {
  const contentType = header(ctx.req, 'content-type') ?? '';
  if (!contentType.startsWith('multipart/form-data')) return undefined;
  try {
    return await new Response(new Uint8Array(ctx.body), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    return undefined;
  }
}
