import type { Readable } from 'node:stream';
import {
  defaultEndpoints,
  type EndpointKey,
  type EndpointOverrides,
  resolveEndpointPath,
} from '../../shared/endpoints';
import { HubError } from '../base/errors';
import { redact, truncate } from '../base/redact';
import type { ApiFamily } from './errors';
import { type RetryNotice, retryAllowedByDefault } from './retry';

export interface HttpTarget {
  baseUrl: string;
  proxyUrl: string | null;
  endpointOverrides: EndpointOverrides;
}

export interface ApiCall {
  endpoint: EndpointKey;
  /** Fills `{model}` / `{id}`, URL-encoded. */
  pathParams?: { model?: string; id?: string };
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  /** Multipart body: undici sets the boundary. */
  form?: FormData;
  /** A body streamed from disk (e.g. `multipartUpload`), opened anew for each attempt. */
  upload?: UploadBody;
  signal?: AbortSignal;
  /** Default true, except for video job creation (see `videoJobCreateEndpoints`). */
  retry?: boolean;
  /** Called before each automatic retry with the wait, so the caller can say "retrying in N s". */
  onRetry?: (notice: RetryNotice) => void;
  /** Called when the request has been handed to the connection (once per attempt and per redirect). */
  onSent?: () => void;
  /**
   * A limit on the whole call, retries and waits included (a connection test: about 30 s). Past it the call
   * fails with kind 'timeout', code `deadline`.
   */
  deadlineMs?: number;
}

/** A request body that is read as it is sent, so memory does not grow with its size. */
export interface UploadBody {
  contentType: string;
  contentLength: number;
  /**
   * A fresh stream of the whole body; called once per attempt (and per 307/308 redirect). A Node Readable is
   * handed to the connection as it is.
   */
  open: () => Readable | AsyncIterable<Uint8Array>;
  /** Bytes handed to the connection so far in the current attempt (restarts from 0 on a retry). */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

/** A call turned into what goes on the wire, before it is sent (and before any redirect). */
export interface PreparedRequest {
  url: URL;
  method: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body: string | FormData | UploadBody | undefined;
  family: ApiFamily;
  proxySetting: string | null;
  /** e.g. "POST http://127.0.0.1:8080/v1/chat/completions" (no query: it may carry secrets). */
  label: string;
  retry: boolean;
  signal: AbortSignal | undefined;
  onRetry: ((notice: RetryNotice) => void) | undefined;
  onSent: (() => void) | undefined;
  /** A result link on another host: fetched without the token; errors speak of the link. */
  foreign: boolean;
}

const USER_AGENT = 'HubDesk/0.1';

export function familyOf(endpoint: EndpointKey): ApiFamily {
  if (endpoint === 'claude.messages') return 'anthropic';
  if (endpoint.startsWith('gemini.') || endpoint.startsWith('veo.')) return 'google';
  if (endpoint.startsWith('kling.')) return 'kling';
  if (endpoint.startsWith('seedance.')) return 'seedance';
  return 'openai';
}

/** Bearer auth for every family; Anthropic and Google also read the token from their own header. */
export function requestHeaders(family: ApiFamily, token: string, accept: string): Record<string, string> {
  const headers: Record<string, string> = {
    accept,
    'user-agent': USER_AGENT,
    authorization: `Bearer ${token}`,
  };
  if (family === 'anthropic') {
    headers['x-api-key'] = token;
    headers['anthropic-version'] = '2023-06-01';
  }
  if (family === 'google') headers['x-goog-api-key'] = token;
  return headers;
}

/** A call to the profile's base URL, with the token. `secrets` only redacts the base URL in an error. */
export function prepareCall(
  call: ApiCall,
  accept: string,
  target: HttpTarget,
  token: string,
  secrets: Iterable<string>,
): PreparedRequest {
  const endpoint = defaultEndpoints[call.endpoint];
  const family = familyOf(call.endpoint);
  const url = buildUrl(
    target.baseUrl,
    resolveEndpointPath(call.endpoint, target.endpointOverrides),
    call,
    secrets,
  );
  const headers = requestHeaders(family, token, accept);
  let body: string | FormData | UploadBody | undefined;
  if (call.upload) body = call.upload;
  else if (call.form) body = call.form;
  else if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    headers['content-type'] = 'application/json';
  }
  return {
    url,
    method: endpoint.method,
    headers,
    body,
    family,
    proxySetting: target.proxyUrl,
    label: `${endpoint.method} ${url.origin}${url.pathname}`,
    retry: call.retry ?? retryAllowedByDefault(call.endpoint),
    signal: call.signal,
    onRetry: call.onRetry,
    onSent: call.onSent,
    foreign: false,
  };
}

/** A result link on another host (a CDN): GET without the token and without the proxy setting. */
export function prepareForeign(rawUrl: string, signal: AbortSignal | undefined): PreparedRequest {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new HubError({
      kind: 'invalid_input',
      message: 'The download link is not a valid URL.',
      field: 'url',
      reason: { code: 'downloadLinkInvalid', values: {} },
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HubError({
      kind: 'invalid_input',
      message: 'The download link is not an http(s) URL.',
      field: 'url',
      reason: { code: 'downloadLinkInvalid', values: {} },
    });
  }
  return {
    url,
    method: 'GET',
    headers: { accept: '*/*', 'user-agent': USER_AGENT },
    body: undefined,
    family: 'openai',
    proxySetting: null,
    label: `GET ${url.origin}${url.pathname}`,
    retry: true,
    signal,
    onRetry: undefined,
    onSent: undefined,
    foreign: true,
  };
}

/** The base URL, the endpoint's path with `{model}` / `{id}` filled in, and the query. */
export function buildUrl(
  baseUrl: string,
  pathTemplate: string,
  call: Pick<ApiCall, 'endpoint' | 'pathParams' | 'query'>,
  secrets: Iterable<string>,
): URL {
  const path = pathTemplate.replace(/\{(model|id)\}/g, (_match, name: 'model' | 'id') => {
    const value = call.pathParams?.[name];
    if (value === undefined || value.length === 0) {
      throw new HubError({
        kind: 'invalid_input',
        message: `The ${name === 'id' ? 'item id' : 'model'} is missing for ${call.endpoint}.`,
        field: name,
        reason: {
          code: name === 'id' ? 'pathItemIdMissing' : 'pathModelMissing',
          values: { endpoint: call.endpoint },
        },
      });
    }
    return encodeURIComponent(value);
  });
  let url: URL;
  try {
    url = new URL(`${baseUrl.trim().replace(/\/+$/, '')}${path}`);
  } catch {
    const shown = truncate(redact(baseUrl, secrets), 100);
    throw new HubError({
      kind: 'invalid_input',
      message: `The base URL "${shown}" is not a valid URL.`,
      field: 'baseUrl',
      reason: { code: 'badBaseUrl', values: { url: shown } },
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HubError({
      kind: 'invalid_input',
      message: 'The base URL must start with https://.',
      field: 'baseUrl',
      reason: { code: 'baseUrlNotHttp', values: { url: truncate(redact(baseUrl, secrets), 100) } },
    });
  }
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}
