import { type Ctx, sendJson } from './http';

/** Which error shape a path answers with (docs/proxy-api.md §2.2). */
export type Family = 'openai' | 'anthropic' | 'google' | 'kling';

export function familyOf(path: string): Family {
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  if (path.startsWith('/v1beta/') || path.startsWith('/v1/models/')) return 'google';
  if (path.startsWith('/kling/')) return 'kling';
  return 'openai';
}

export interface ErrorDetails {
  /** OpenAI `type` / Anthropic `error.type` override. */
  type?: string;
  /** OpenAI `code` override (string) or Kling numeric code override. */
  code?: string | number;
  param?: string | null;
  /** Google RetryInfo.retryDelay, e.g. '2s'. */
  retryInfoDelay?: string;
  headers?: Record<string, string>;
}

const openaiTypes: Record<number, [type: string, code: string | null]> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  403: ['permission_error', null],
  404: ['invalid_request_error', 'not_found'],
  413: ['invalid_request_error', 'request_too_large'],
  429: ['requests', 'rate_limit_exceeded'],
};

const anthropicTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const googleStatuses: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Kling's official business codes by HTTP status. */
const klingCodes: Record<number, number> = {
  400: 1201,
  401: 1000,
  403: 1103,
  404: 1201,
  429: 1302,
  500: 5000,
  503: 5001,
  504: 5002,
};

const defaultMessages: Record<number, string> = {
  400: 'Bad request',
  401: 'Invalid API key provided.',
  403: 'Permission denied',
  404: 'Not found',
  413: 'Request too large',
  429: 'Rate limit reached for requests. Please try again later.',
  500: 'The server had an error while processing your request.',
  502: 'Bad gateway',
  503: 'The service is temporarily unavailable.',
  504: 'Gateway timeout',
  529: 'Overloaded',
};

export function defaultMessage(status: number): string {
  return defaultMessages[status] ?? `HTTP ${status}`;
}

export function errorBody(
  family: Family,
  status: number,
  message: string,
  requestId: string,
  details: ErrorDetails = {},
): unknown {
  switch (family) {
    case 'anthropic':
      return {
        type: 'error',
        error: {
          type:
            details.type ?? anthropicTypes[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'),
          message,
        },
      };
    case 'google': {
      const body: { code: number; message: string; status: string; details?: unknown[] } = {
        code: status,
        message,
        status: googleStatuses[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION'),
      };
      if (details.retryInfoDelay !== undefined) {
        body.details = [
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: details.retryInfoDelay },
        ];
      }
      return { error: body };
    }
    case 'kling':
      return {
        code:
          typeof details.code === 'number'
            ? details.code
            : (klingCodes[status] ?? (status >= 500 ? 5000 : 1200)),
        message,
        request_id: requestId,
      };
    default: {
      const [type, code] = openaiTypes[status] ?? [
        status >= 500 ? 'server_error' : 'invalid_request_error',
        null,
      ];
      return {
        error: {
          message,
          type: details.type ?? type,
          param: details.param ?? null,
          code: details.code !== undefined ? String(details.code) : code,
        },
      };
    }
  }
}

export function sendError(
  ctx: Ctx,
  status: number,
  message: string,
  details: ErrorDetails = {},
  family: Family = familyOf(ctx.path),
): void {
  sendJson(ctx, status, errorBody(family, status, message, ctx.requestId, details), details.headers);
}

/** Shortcut for the most common case: a 400 naming the offending field. */
export function badRequest(ctx: Ctx, message: string, param: string | null = null, family?: Family): void {
  sendError(ctx, 400, message, { param }, family);
}
