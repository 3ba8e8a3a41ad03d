import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bypassesProxy, resolveProxyUrl } from '../src/main/api/agents';
import { httpErrorToAppError, klingEnvelopeError, retryAfterFromHeaders } from '../src/main/api/errors';
import { backoffDelayMs, retryAllowedByDefault, retryDelayFor } from '../src/main/api/retry';
import { HubError, toAppError } from '../src/main/base/errors';
import { redact } from '../src/main/base/redact';
import { appErrorKinds, errorAdvice } from '../src/shared/errors';
import en from '../src/shared/locales/en/common.json';
import vi from '../src/shared/locales/vi/common.json';
import zh from '../src/shared/locales/zh-CN/common.json';

const TOKEN = 'thk-secret-9f8e7d6c5b4a';

describe('httpErrorToAppError', () => {
  it('reads the OpenAI shape', () => {
    const info = httpErrorToAppError({
      status: 429,
      headers: { 'x-request-id': 'req_1', 'retry-after': '3' },
      bodyText: JSON.stringify({
        error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' },
      }),
      family: 'openai',
    });
    expect(info).toEqual({
      kind: 'rate_limited',
      status: 429,
      message: 'Too many requests: the proxy is rate limiting (429): Rate limit reached',
      providerMessage: 'Rate limit reached',
      code: 'rate_limit_exceeded',
      requestId: 'req_1',
      retryAfterMs: 3000,
      reason: { code: 'http429', values: { status: 429 } },
    });
  });

  it('reads the Anthropic shape, its request-id header and 529', () => {
    const info = httpErrorToAppError({
      status: 529,
      headers: { 'request-id': 'req_ant' },
      bodyText: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      family: 'anthropic',
    });
    expect(info).toMatchObject({
      kind: 'rate_limited',
      code: 'overloaded_error',
      providerMessage: 'Overloaded',
      requestId: 'req_ant',
    });
    expect(info.message).toMatch(/overloaded \(529\): Overloaded$/);
  });

  it('reads the Google shape with RetryInfo', () => {
    const info = httpErrorToAppError({
      status: 429,
      headers: {},
      bodyText: JSON.stringify({
        error: {
          code: 429,
          message: 'Resource has been exhausted',
          status: 'RESOURCE_EXHAUSTED',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '22s' }],
        },
      }),
      family: 'google',
    });
    expect(info).toMatchObject({ kind: 'rate_limited', code: 'RESOURCE_EXHAUSTED', retryAfterMs: 22_000 });
  });

  it('reads the Kling envelope on an HTTP error and on HTTP 200', () => {
    const onError = httpErrorToAppError({
      status: 401,
      headers: {},
      bodyText: '{"code":1002,"message":"Authorization is invalid","request_id":"kl-1"}',
      family: 'kling',
    });
    expect(onError).toMatchObject({ kind: 'auth', code: '1002', requestId: 'kl-1' });
    expect(onError.message).toBe('The proxy refused the API token (401): Authorization is invalid');
    expect(
      klingEnvelopeError({ code: 1302, message: 'rate limit exceeded', request_id: 'kl-2' }),
    ).toMatchObject({
      kind: 'rate_limited',
      code: '1302',
      requestId: 'kl-2',
      message: 'Kling rejected the request (code 1302): rate limit exceeded',
    });
    expect(klingEnvelopeError({ code: 0, message: 'SUCCEED', data: {} })).toBeNull();
  });

  it('reads the Seedance shape', () => {
    const info = httpErrorToAppError({
      status: 400,
      headers: {},
      bodyText: '{"error":{"code":"InvalidParameter","message":"ratio is invalid"}}',
      family: 'seedance',
    });
    expect(info).toMatchObject({
      kind: 'bad_request',
      code: 'InvalidParameter',
      providerMessage: 'ratio is invalid',
    });
  });

  it('describes an HTML page from a gateway', () => {
    const info = httpErrorToAppError({
      status: 502,
      headers: { 'content-type': 'text/html' },
      bodyText:
        '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>nginx</body></html>',
      family: 'openai',
    });
    expect(info.kind).toBe('server');
    expect(info.message).toMatch(/^The gateway returned an HTML error page \(502\): 502 Bad Gateway\./);
    expect(info.message).not.toContain('<');
  });

  it('falls back to the raw text, trimmed and redacted', () => {
    const info = httpErrorToAppError({
      status: 500,
      headers: {},
      bodyText: `  upstream failed\n for Authorization: Bearer ${TOKEN}  `,
      family: 'openai',
    });
    expect(info.providerMessage).toBe('upstream failed for Authorization: Bearer [redacted]');
    expect(JSON.stringify(info)).not.toContain(TOKEN);
  });

  it('maps statuses to kinds', () => {
    const kindOf = (status: number) =>
      httpErrorToAppError({ status, headers: {}, bodyText: '', family: 'openai' }).kind;
    expect([401, 403, 404, 408, 409, 413, 422, 429, 500, 503, 529].map(kindOf)).toEqual([
      'auth',
      'auth',
      'not_found',
      'timeout',
      'bad_request',
      'bad_request',
      'bad_request',
      'rate_limited',
      'server',
      'server',
      'rate_limited',
    ]);
  });

  it('reads Retry-After as an HTTP date and retry-after-ms first', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterFromHeaders({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterFromHeaders({ 'retry-after': '7', 'retry-after-ms': '250' }, now)).toBe(250);
    expect(retryAfterFromHeaders({ 'retry-after': 'soon' }, now)).toBeUndefined();
  });
});

describe('toAppError', () => {
  it('maps thrown things to kinds', () => {
    expect(toAppError(new HubError({ kind: 'auth', message: 'x' }))).toEqual({ kind: 'auth', message: 'x' });
    expect(toAppError(new DOMException('aborted', 'AbortError')).kind).toBe('cancelled');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(toAppError(refused)).toMatchObject({
      kind: 'network',
      message: 'Could not reach the proxy: the connection was refused.',
    });
    expect(toAppError(new TypeError('fetch failed', { cause: refused })).kind).toBe('network');
    const headers = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(toAppError(headers).kind).toBe('timeout');
    expect(toAppError(new Error(`boom Bearer ${TOKEN}`))).toMatchObject({ kind: 'internal' });
    expect(toAppError(new Error(`boom Bearer ${TOKEN}`)).message).not.toContain(TOKEN);
  });
});

describe('redact', () => {
  it('removes the token and anything looking like a credential', () => {
    const line = `key ${TOKEN} x-api-key: abcdefghij "x-goog-api-key":"zzzzzzzz" sk-proj1234567890 http://u:p4ss@proxy:8080`;
    const out = redact(line, [TOKEN]);
    for (const secret of [TOKEN, 'abcdefghij', 'zzzzzzzz', 'sk-proj1234567890', 'p4ss']) {
      expect(out).not.toContain(secret);
    }
    expect(redact('max_tokens: 4096 exceeds the limit')).toBe('max_tokens: 4096 exceeds the limit');
  });
});

describe('retry policy', () => {
  const policy = { maxRetries: 2, random: () => 0 };

  it('retries the retryable statuses and connection errors, at most twice', () => {
    for (const status of [408, 409, 429, 500, 502, 503, 504, 529]) {
      expect(retryDelayFor({ kind: 'server', message: '', status }, 0, policy), String(status)).toBe(500);
    }
    for (const status of [400, 401, 403, 404, 413, 422]) {
      expect(
        retryDelayFor({ kind: 'bad_request', message: '', status }, 0, policy),
        String(status),
      ).toBeNull();
    }
    expect(retryDelayFor({ kind: 'network', message: '', code: 'ECONNRESET' }, 1, policy)).toBe(1000);
    expect(retryDelayFor({ kind: 'network', message: '' }, 2, policy)).toBeNull();
    expect(retryDelayFor({ kind: 'cancelled', message: '' }, 0, policy)).toBeNull();
    expect(retryDelayFor({ kind: 'timeout', message: '', code: 'total_timeout' }, 0, policy)).toBeNull();
  });

  it("honours the server's delay, and gives up when it is over 20 s", () => {
    expect(
      retryDelayFor({ kind: 'rate_limited', message: '', status: 429, retryAfterMs: 1234 }, 0, policy),
    ).toBe(1234);
    expect(
      retryDelayFor({ kind: 'rate_limited', message: '', status: 429, retryAfterMs: 120_000 }, 0, policy),
    ).toBeNull();
    expect(
      retryDelayFor({ kind: 'rate_limited', message: '', status: 429, retryAfterMs: 20_000 }, 0, policy),
    ).toBe(20_000);
    expect(
      retryDelayFor({ kind: 'rate_limited', message: '', status: 429, retryAfterMs: 58_000 }, 0, policy),
    ).toBeNull();
  });

  it('backs off 0.5 s · 2ⁿ, capped at 8 s, with up to 25 % jitter', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(backoffDelayMs(0, () => 1)).toBe(375);
  });

  it('never retries video job creation by default', () => {
    expect(
      [
        'sora.create',
        'sora.remix',
        'seedance.create',
        'kling.text2video',
        'kling.image2video',
        'veo.create',
      ].map((endpoint) => retryAllowedByDefault(endpoint as Parameters<typeof retryAllowedByDefault>[0])),
    ).toEqual([false, false, false, false, false, false]);
    expect(retryAllowedByDefault('sora.status')).toBe(true);
  });
});

describe('proxy selection', () => {
  const url = new URL('https://ai.tikhub.io/v1/chat/completions');

  it('prefers the setting, then HTTPS_PROXY, and honours NO_PROXY', () => {
    expect(resolveProxyUrl(url, 'http://127.0.0.9:3128', { HTTPS_PROXY: 'http://other:1' })).toBe(
      'http://127.0.0.9:3128',
    );
    expect(resolveProxyUrl(url, null, { https_proxy: 'http://env:3128' })).toBe('http://env:3128');
    expect(
      resolveProxyUrl(url, null, { HTTPS_PROXY: 'http://env:3128', NO_PROXY: 'localhost,.tikhub.io' }),
    ).toBeNull();
    expect(resolveProxyUrl(url, null, {})).toBeNull();
    expect(bypassesProxy(new URL('http://127.0.0.1:8080/'), '127.0.0.1:9999')).toBe(false);
    expect(bypassesProxy(new URL('http://127.0.0.1:8080/'), '127.0.0.1')).toBe(true);
  });
});

describe('local failures are not proxy failures', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'hubdesk-errors-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function thrownBy(run: () => unknown): unknown {
    try {
      run();
    } catch (error) {
      return error;
    }
    throw new Error('expected a throw');
  }

  it('reads a corrupt database as a database error', () => {
    const file = join(folder, 'corrupt.sqlite');
    writeFileSync(file, Buffer.alloc(4096, 7));
    const error = thrownBy(() => new Database(file).prepare('SELECT 1').get());
    const info = toAppError(error);
    expect(info).toMatchObject({ kind: 'database', code: 'SQLITE_NOTADB' });
    expect(info.message).toBe('The database on this computer failed: file is not a database');
    expect(info.message).not.toMatch(/proxy/);
  });

  it('reads errno errors of local files as file errors, naming the reason', () => {
    const missing = toAppError(thrownBy(() => readFileSync(join(folder, 'gone.txt'))));
    expect(missing).toMatchObject({ kind: 'file', code: 'ENOENT' });
    expect(missing.message).toMatch(
      /^A file on this computer could not be used: a file or folder is missing \(/,
    );
    expect(toAppError(thrownBy(() => readFileSync(folder)))).toMatchObject({ kind: 'file', code: 'EISDIR' });
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      errno: -28,
      syscall: 'write',
    });
    expect(toAppError(full)).toMatchObject({
      kind: 'file',
      message: 'A file on this computer could not be used: the disk is full.',
    });
    for (const code of ['EACCES', 'EROFS']) {
      const error = Object.assign(new Error(`${code}: open '/data/x'`), {
        code,
        syscall: 'open',
        path: '/data/x',
      });
      expect(toAppError(error).kind, code).toBe('file');
    }
    // The same codes from a socket stay network failures.
    const refused = Object.assign(new Error('connect EACCES 10.0.0.1:443'), {
      code: 'EACCES',
      syscall: 'connect',
      address: '10.0.0.1',
    });
    expect(toAppError(refused).kind).toBe('network');
  });

  it('reads a bug as an internal error, and an HTTP proxy asking for a login as proxy_auth', () => {
    const bug = toAppError(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(bug).toMatchObject({ kind: 'internal' });
    expect(bug.message).toBe(
      "Something went wrong inside HubDesk: Cannot read properties of undefined (reading 'id')",
    );
    const tunnel = Object.assign(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), {
      name: 'AbortError',
      code: 'UND_ERR_ABORTED',
    });
    expect(toAppError(tunnel)).toMatchObject({ kind: 'proxy_auth', status: 407 });
    expect(httpErrorToAppError({ status: 407, headers: {}, bodyText: '', family: 'openai' }).kind).toBe(
      'proxy_auth',
    );
  });

  it('gives every kind advice in every language', () => {
    for (const kind of appErrorKinds) {
      expect(errorAdvice[kind], kind).toBeTruthy();
      for (const strings of [en, zh, vi]) expect(strings.errors.advice[kind], kind).toBeTruthy();
    }
  });
});

describe('quota', () => {
  it('reads insufficient_quota as quota, never retried', () => {
    const info = httpErrorToAppError({
      status: 429,
      headers: {},
      bodyText: JSON.stringify({
        error: {
          message: 'You exceeded your current quota, please check your plan and billing details.',
          type: 'insufficient_quota',
          param: null,
          code: 'insufficient_quota',
        },
      }),
      family: 'openai',
    });
    expect(info).toMatchObject({ kind: 'quota', status: 429, code: 'insufficient_quota' });
    expect(info.message).toBe(
      'The account has run out of credit or quota (429): You exceeded your current quota, please check your plan and billing details.',
    );
    expect(retryDelayFor(info, 0, { maxRetries: 2, random: () => 0 })).toBeNull();
  });
});
