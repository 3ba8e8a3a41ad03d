import { describe, expect, it } from 'vitest';
import { buildUrl, prepareCall, prepareForeign, requestHeaders } from '../src/main/api/api-call';
import {
  flattenHeaders,
  jsonInsteadOfStreamError,
  parseJsonBody,
  readLimited,
} from '../src/main/api/response-body';
import { withRetries } from '../src/main/api/retry';
import { checkedProxyUrl, countedUpload, isRedirect, redirectHop } from '../src/main/api/send-request';
import { withTotalTimeout } from '../src/main/api/total-timeout';
import { HubError } from '../src/main/base/errors';
import type { AppError } from '../src/shared/errors';

const SECRET = 'thk-live-7Hq2ZpXv9LmN4sRt';

function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HubError);
    return (error as HubError).info;
  }
  throw new Error('expected a HubError');
}

async function rejected(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HubError);
    return (error as HubError).info;
  }
  throw new Error('expected a HubError');
}

async function* chunks(...sizes: number[]): AsyncGenerator<Uint8Array> {
  for (const size of sizes) yield new Uint8Array(size).fill(0x61);
}

describe('building a request', () => {
  it('sends the token as Bearer, and in the family header for Anthropic and Google', () => {
    expect(requestHeaders('openai', SECRET, 'application/json')).toEqual({
      accept: 'application/json',
      'user-agent': 'HubDesk/0.1',
      authorization: `Bearer ${SECRET}`,
    });
    expect(requestHeaders('anthropic', SECRET, '*/*')).toMatchObject({
      'x-api-key': SECRET,
      'anthropic-version': '2023-06-01',
    });
    expect(requestHeaders('google', SECRET, '*/*')['x-goog-api-key']).toBe(SECRET);
    expect(requestHeaders('kling', SECRET, '*/*')['x-api-key']).toBeUndefined();
  });

  it('fills path parameters URL-encoded, drops a trailing slash and skips undefined query values', () => {
    const url = buildUrl(
      ' https://proxy.example/// ',
      '/v1/items/{id}/models/{model}',
      {
        endpoint: 'sora.status',
        pathParams: { id: 'a b/c', model: 'm?1' },
        query: { limit: 5, after: undefined },
      },
      [],
    );
    expect(url.href).toBe('https://proxy.example/v1/items/a%20b%2Fc/models/m%3F1?limit=5');
  });

  it('refuses a missing path parameter and a base URL that is not http(s), redacting the token', () => {
    expect(
      thrown(() => buildUrl('https://p.example', '/v1/{id}', { endpoint: 'sora.status' }, [])),
    ).toMatchObject({
      kind: 'invalid_input',
      field: 'id',
      message: 'The item id is missing for sora.status.',
    });
    const bad = thrown(() => buildUrl(`not a url ${SECRET}`, '/v1/x', { endpoint: 'openai.chat' }, [SECRET]));
    expect(bad).toMatchObject({ kind: 'invalid_input', field: 'baseUrl' });
    expect(bad.message).not.toContain(SECRET);
    expect(thrown(() => buildUrl('ftp://p.example', '/v1/x', { endpoint: 'openai.chat' }, []))).toMatchObject(
      {
        kind: 'invalid_input',
        message: 'The base URL must start with https://.',
      },
    );
  });

  it('prepares a JSON call with its label, and no retry for a video job creation', () => {
    const target = { baseUrl: 'http://127.0.0.1:8080', proxyUrl: null, endpointOverrides: {} };
    const chat = prepareCall(
      { endpoint: 'openai.chat', json: { a: 1 }, query: { secret: 'x' } },
      'application/json',
      target,
      SECRET,
      [],
    );
    expect(chat).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      family: 'openai',
      label: 'POST http://127.0.0.1:8080/v1/chat/completions',
      retry: true,
      foreign: false,
    });
    expect(chat.headers['content-type']).toBe('application/json');
    expect(prepareCall({ endpoint: 'sora.create', json: {} }, '*/*', target, SECRET, []).retry).toBe(false);
  });

  it('fetches a foreign link without any token, and refuses a link that is not http(s)', () => {
    const foreign = prepareForeign('https://cdn.example/v.mp4?sig=1', undefined);
    expect(foreign).toMatchObject({
      method: 'GET',
      foreign: true,
      proxySetting: null,
      label: 'GET https://cdn.example/v.mp4',
    });
    expect(Object.keys(foreign.headers).sort()).toEqual(['accept', 'user-agent']);
    expect(thrown(() => prepareForeign('file:///etc/passwd', undefined))).toMatchObject({ field: 'url' });
    expect(thrown(() => prepareForeign('::', undefined)).message).toBe(
      'The download link is not a valid URL.',
    );
  });
});

describe('redirects and sending', () => {
  const from = new URL('https://proxy.example/v1/files/1');

  it('knows a redirect by its status and its Location', () => {
    expect([301, 302, 303, 307, 308].map((status) => isRedirect(status, '/x'))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(isRedirect(302, undefined)).toBe(false);
    expect(isRedirect(200, '/x')).toBe(false);
  });

  it('drops the body after a 303 or a POST moved by 301/302, and keeps it for 307/308', () => {
    expect(redirectHop(303, '/y', from, 'POST', 0)).toMatchObject({
      method: 'GET',
      dropBody: true,
      dropAuth: false,
    });
    expect(redirectHop(302, '/y', from, 'POST', 0)).toMatchObject({ method: 'GET', dropBody: true });
    expect(redirectHop(302, '/y', from, 'GET', 0)).toMatchObject({ method: 'GET', dropBody: false });
    expect(redirectHop(307, '/y', from, 'POST', 0)).toMatchObject({ method: 'POST', dropBody: false });
    expect(redirectHop(308, 'y', from, 'POST', 4).url.href).toBe('https://proxy.example/v1/files/y');
  });

  it('drops auth only when the origin changes', () => {
    expect(redirectHop(302, 'https://cdn.example/f', from, 'GET', 0).dropAuth).toBe(true);
    expect(redirectHop(302, 'http://proxy.example/f', from, 'GET', 0).dropAuth).toBe(true);
    expect(redirectHop(302, 'https://proxy.example/f', from, 'GET', 0).dropAuth).toBe(false);
  });

  it('stops after five redirects and refuses a link that is not http(s)', () => {
    expect(thrown(() => redirectHop(302, '/y', from, 'GET', 5))).toMatchObject({
      kind: 'server',
      status: 302,
      message: 'The proxy redirected too many times.',
    });
    expect(thrown(() => redirectHop(302, 'file:///etc/passwd', from, 'GET', 0)).message).toBe(
      'The proxy redirected to a link that is not http(s).',
    );
  });

  it('accepts only an http(s) proxy, redacting the setting in the error', () => {
    expect(checkedProxyUrl(null, [])).toBeNull();
    expect(checkedProxyUrl('http://127.0.0.9:3128', [])).toBe('http://127.0.0.9:3128');
    const bad = thrown(() => checkedProxyUrl(`socks5://user:${SECRET}@host`, [SECRET]));
    expect(bad).toMatchObject({ kind: 'invalid_input', field: 'proxyUrl' });
    expect(bad.message).not.toContain(SECRET);
  });

  it('reports upload progress at the start, every 64 KiB and at the end', async () => {
    const reports: Array<[number, number]> = [];
    const total = 40_000 + 40_000 + 10_000;
    let sent = 0;
    for await (const chunk of countedUpload({
      contentType: 'application/octet-stream',
      contentLength: total,
      open: () => chunks(40_000, 40_000, 10_000),
      onProgress: (bytes, of) => reports.push([bytes, of]),
    })) {
      sent += chunk.byteLength;
    }
    expect(sent).toBe(total);
    expect(reports).toEqual([
      [0, total],
      [80_000, total],
      [90_000, total],
    ]);
  });
});

describe('reading answers', () => {
  it('lower-cases header names and joins repeated headers', () => {
    expect(flattenHeaders({ 'X-Request-Id': 'r1', 'set-cookie': ['a', 'b'], gone: undefined })).toEqual({
      'x-request-id': 'r1',
      'set-cookie': 'a, b',
    });
  });

  it('stops reading an error body once the limit is reached', async () => {
    expect((await readLimited(chunks(10, 10, 10, 10), 15)).length).toBe(20);
    expect(await readLimited(chunks(), 15)).toBe('');
  });

  it('parses JSON, reads an empty answer as null, and explains an HTML page or other text', () => {
    const answer = { status: 200, headers: {}, family: 'openai' as const };
    expect(parseJsonBody('{"ok":true}', answer, [])).toEqual({ ok: true });
    expect(parseJsonBody('  ', answer, [])).toBeNull();
    const html = thrown(() => parseJsonBody('<!doctype html><title>Login</title>', answer, []));
    expect(html.kind).toBe('network');
    expect(html.message).toContain('A web page answered instead of the proxy (200: Login)');
    const gateway = thrown(() =>
      parseJsonBody('<!doctype html><title>Login</title>', { ...answer, status: 302 }, []),
    );
    expect(gateway.kind).toBe('server');
    expect(gateway.message).toContain('an HTML page instead of JSON');
    const text = thrown(() => parseJsonBody(`oops ${SECRET}`, answer, [SECRET]));
    expect(text).toMatchObject({ kind: 'server', status: 200 });
    expect(text.message).not.toContain(SECRET);
  });

  it('turns JSON on a stream request into an error without a status, so it is not retried', () => {
    const error = jsonInsteadOfStreamError(429, {}, '{"error":{"message":"slow down"}}', 'openai');
    expect(error.info.status).toBeUndefined();
    expect(error.info.message).toBe('The proxy answered with JSON instead of a stream: slow down');
  });
});

describe('the retry loop', () => {
  function loop(overrides: Partial<Parameters<typeof withRetries>[1]> = {}) {
    const sleeps: number[] = [];
    const lines: string[] = [];
    return {
      sleeps,
      lines,
      options: {
        allowed: true,
        signal: undefined,
        maxRetries: 2,
        random: () => 0,
        sleep: async (ms: number) => {
          sleeps.push(ms);
        },
        normalize: (error: unknown) => (error as HubError).info,
        label: 'GET http://p/x',
        log: (line: string) => lines.push(line),
        ...overrides,
      },
    };
  }
  const server = new HubError({ kind: 'server', message: 'Down.', status: 503 });

  it('waits 0.5 s then 1 s between attempts and returns the first success', async () => {
    const { sleeps, lines, options } = loop();
    let attempts = 0;
    const result = await withRetries(async () => {
      attempts += 1;
      if (attempts < 3) throw server;
      return 'done';
    }, options);
    expect(result).toBe('done');
    expect(sleeps).toEqual([500, 1000]);
    expect(lines).toEqual([
      'GET http://p/x failed: Down. Retry 1 of 2 in 500 ms.',
      'GET http://p/x failed: Down. Retry 2 of 2 in 1000 ms.',
    ]);
  });

  it('gives up after the last retry, and at once when retries are not allowed', async () => {
    const exhausted = loop();
    expect(await rejected(withRetries(() => Promise.reject(server), exhausted.options))).toMatchObject({
      status: 503,
    });
    expect(exhausted.sleeps).toEqual([500, 1000]);
    expect(exhausted.lines.at(-1)).toBe('GET http://p/x failed: Down.');

    const once = loop({ allowed: false });
    await rejected(withRetries(() => Promise.reject(server), once.options));
    expect(once.sleeps).toEqual([]);
  });

  it('turns a cancel during the wait into a cancelled error', async () => {
    const controller = new AbortController();
    const { options } = loop({
      signal: controller.signal,
      sleep: async () => {
        controller.abort();
        throw new DOMException('The operation was aborted.', 'AbortError');
      },
    });
    expect((await rejected(withRetries(() => Promise.reject(server), options))).kind).toBe('cancelled');
  });
});

describe('the whole-call timeout', () => {
  it('fails an attempt that outlives it with a timeout, and leaves a caller abort a cancellation', async () => {
    const waitForAbort = (signal: AbortSignal) =>
      new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    expect(await rejected(withTotalTimeout(undefined, 20, waitForAbort))).toMatchObject({
      kind: 'timeout',
      code: 'total_timeout',
      message: 'The proxy did not answer within 20 ms, the time limit of one request.',
    });

    const controller = new AbortController();
    const cancelled = withTotalTimeout(controller.signal, 60_000, waitForAbort);
    controller.abort(new DOMException('Stopped.', 'AbortError'));
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    expect(await withTotalTimeout(undefined, 60_000, async () => 'fast')).toBe('fast');
  });
});
