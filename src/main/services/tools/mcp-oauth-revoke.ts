import { discoverOAuthServerInfo } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/** How long a sign-out waits for the authorization server before it forgets the tokens anyway. */
const REVOKE_TIMEOUT_MS = 5000;

/**
 * Tells the authorization server to revoke a sign-in's tokens (RFC 7009), refresh token first, so a copy of them
 * left anywhere stops working. Only where the server's metadata names a revocation endpoint; resolves with what was
 * revoked and never throws: signing out must not depend on the server being reachable.
 */
export async function revokeSignIn(
  serverUrl: string,
  tokens: OAuthTokens,
  client: OAuthClientInformationMixed,
  options: { fetchFn?: typeof fetch; log?: (line: string) => void; timeoutMs?: number } = {},
): Promise<{ revoked: ('refresh_token' | 'access_token')[] }> {
  const fetchFn = options.fetchFn ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? REVOKE_TIMEOUT_MS);
  const timed: typeof fetch = (input, init) => fetchFn(input, { ...init, signal });
  const revoked: ('refresh_token' | 'access_token')[] = [];
  try {
    const { authorizationServerMetadata: metadata } = await discoverOAuthServerInfo(serverUrl, {
      fetchFn: timed,
    });
    const endpoint = metadata && 'revocation_endpoint' in metadata ? metadata.revocation_endpoint : undefined;
    if (!endpoint) return { revoked };
    const kinds = [
      ['refresh_token', tokens.refresh_token],
      ['access_token', tokens.access_token],
    ] as const;
    for (const [hint, token] of kinds) {
      if (!token) continue;
      const body = new URLSearchParams({ token, token_type_hint: hint, client_id: client.client_id });
      if (client.client_secret) body.set('client_secret', client.client_secret);
      const response = await timed(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      if (response.ok) revoked.push(hint);
      else options.log?.(`revoking the ${hint} at ${endpoint} answered HTTP ${response.status}`);
    }
  } catch (error) {
    options.log?.(`revoking the sign-in of ${serverUrl} failed: ${String(error)}`);
  }
  return { revoked };
}
