import { type Family, sendError } from './errors';
import { type Ctx, header } from './http';

function bearer(ctx: Ctx): string | undefined {
  const value = header(ctx.req, 'authorization');
  const match = value === undefined ? null : /^Bearer\s+(.+)$/i.exec(value.trim());
  return match?.[1];
}

/**
 * Checks the family's auth headers (docs/proxy-api.md §2.1);
 * on failure sends the family's error and returns false.
 */
export function authorize(ctx: Ctx, family: Family): boolean {
  const { token } = ctx.state;
  const offered: (string | undefined)[] = [bearer(ctx)];
  if (family === 'anthropic') offered.push(header(ctx.req, 'x-api-key'));
  if (family === 'google')
    offered.push(header(ctx.req, 'x-goog-api-key'), ctx.url.searchParams.get('key') ?? undefined);
  const given = offered.filter((value) => value !== undefined);

  if (!given.includes(token)) {
    const missing = given.length === 0;
    const messages: Record<Family, string> = {
      openai: missing
        ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
        : 'Incorrect API key provided.',
      anthropic: missing ? 'x-api-key header is required' : 'invalid x-api-key',
      google: missing
        ? "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."
        : 'API key not valid. Please pass a valid API key.',
      kling: missing ? 'Authorization is empty' : 'Authorization is invalid',
    };
    sendError(ctx, 401, messages[family], family === 'kling' ? { code: missing ? 1001 : 1002 } : {}, family);
    return false;
  }
  if (family === 'anthropic' && header(ctx.req, 'anthropic-version') === undefined) {
    sendError(ctx, 400, 'anthropic-version: header is required', {}, family);
    return false;
  }
  return true;
}
