import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import {
  OAuthClientInformationFullSchema,
  type OAuthClientInformationMixed,
  OAuthClientInformationSchema,
  type OAuthClientMetadata,
  type OAuthTokens,
  OAuthTokensSchema,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { HubError } from '../../base/errors';
import type { McpOAuthPart, McpOAuthStore } from '../../secrets/mcp-oauth-store';

/** The error of a server that wants the user to sign in: its status is "needs sign-in", not "failed". */
export const NEEDS_SIGN_IN = 'mcp_needs_sign_in';

export function needsSignInError(server: string): HubError {
  return new HubError({
    kind: 'auth',
    message: `The MCP server "${server}" needs you to sign in: choose Sign in in Settings → Tools, or run: hubdesk mcp login ${server}`,
    code: NEEDS_SIGN_IN,
    status: 401,
    reason: { code: 'mcpNeedsSignIn', values: { server } },
  });
}

export function isNeedsSignIn(error: unknown): boolean {
  return error instanceof HubError && error.info.code === NEEDS_SIGN_IN;
}

/** A sign-in under way: where the browser comes back to, the state it must carry, and how the URL is shown. */
export interface SignInSession {
  redirectUrl: string;
  state: string;
  openUrl: (url: string) => void | Promise<void>;
}

/** Any redirect URI will do when nothing is registered yet: the SDK only needs one to know the flow is interactive. */
const NO_REDIRECT = 'http://127.0.0.1/callback';

function parsed<T>(text: string | null, read: (value: unknown) => T | undefined): T | undefined {
  if (text === null) return undefined;
  try {
    return read(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function clientOf(value: unknown): OAuthClientInformationMixed | undefined {
  const full = OAuthClientInformationFullSchema.safeParse(value);
  if (full.success) return full.data;
  const plain = OAuthClientInformationSchema.safeParse(value);
  return plain.success ? plain.data : undefined;
}

function tokensOf(value: unknown): OAuthTokens | undefined {
  const tokens = OAuthTokensSchema.safeParse(value);
  return tokens.success ? tokens.data : undefined;
}

/**
 * The SDK's OAuth client for one HTTP MCP server, with its client registration, tokens and PKCE verifier in the
 * keychain. Outside a sign-in it never sends the user anywhere: where the SDK would start a new authorization
 * (or register a client for one), it throws "needs sign-in" instead; refreshing with a stored refresh token works.
 */
export class McpOAuthClient implements OAuthClientProvider {
  private session: SignInSession | undefined;
  private cache: Partial<Record<McpOAuthPart, string | null>> = {};
  private discovery: OAuthDiscoveryState | undefined;
  /** Whether the last read or write of the tokens found some. */
  signedIn = false;
  /** Whether a sign-in sent the user to the authorization URL (the code then comes to the redirect listener). */
  redirected = false;

  constructor(
    private readonly server: string,
    private readonly store: McpOAuthStore,
    private readonly onSignedIn: () => void,
  ) {}

  /** From here until `endSignIn`, a new authorization opens `session.openUrl`. */
  beginSignIn(session: SignInSession): void {
    this.session = session;
    this.redirected = false;
  }

  endSignIn(): void {
    this.session = undefined;
  }

  /** Reads the keychain again on next use: another HubDesk (the CLI) may have signed in or out. */
  reload(): void {
    this.cache = {};
  }

  get redirectUrl(): string {
    return this.session?.redirectUrl ?? NO_REDIRECT;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'HubDesk',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  async state(): Promise<string> {
    if (!this.session) throw needsSignInError(this.server);
    return this.session.state;
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    const client = parsed(await this.read('client'), clientOf);
    if (!this.session) {
      // The SDK would register a client only to send the user to a browser next.
      if (!client) throw this.refusal();
      return client;
    }
    // The listener's port is new each sign-in: a client registered with another redirect URI registers again.
    if (client && 'redirect_uris' in client && !client.redirect_uris.includes(this.session.redirectUrl))
      return undefined;
    return client;
  }

  async saveClientInformation(client: OAuthClientInformationMixed): Promise<void> {
    await this.write('client', JSON.stringify(client));
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    const tokens = parsed(await this.read('tokens'), tokensOf);
    this.setSignedIn(tokens !== undefined);
    return tokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    await this.write('tokens', JSON.stringify(tokens));
    this.setSignedIn(true);
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    if (!this.session) throw needsSignInError(this.server);
    this.redirected = true;
    await this.session.openUrl(authorizationUrl.toString());
  }

  async saveCodeVerifier(codeVerifier: string): Promise<void> {
    await this.write('verifier', codeVerifier);
  }

  async codeVerifier(): Promise<string> {
    const verifier = await this.read('verifier');
    if (!verifier) throw needsSignInError(this.server);
    return verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'discovery' || scope === 'all') this.discovery = undefined;
    if (scope === 'discovery') return;
    await this.forget(scope === 'all' ? undefined : [scope]);
  }

  /** The stored tokens and the client they were given to, if both are there (read again from the keychain). */
  async storedSignIn(): Promise<{ tokens: OAuthTokens; client: OAuthClientInformationMixed } | undefined> {
    this.reload();
    const tokens = parsed(await this.read('tokens'), tokensOf);
    const client = parsed(await this.read('client'), clientOf);
    return tokens && client ? { tokens, client } : undefined;
  }

  /** Forgets the stored sign-in (all of it by default). */
  async forget(parts?: McpOAuthPart[]): Promise<void> {
    await this.store.forget(this.server, parts);
    for (const part of parts ?? (['client', 'tokens', 'verifier'] as const)) this.cache[part] = null;
    if (!parts || parts.includes('tokens')) this.setSignedIn(false);
  }

  /**
   * A 401 outside a sign-in: a server that names an authorization server wants a sign-in; one that does not is
   * refusing the request (a wrong or missing header).
   */
  private refusal(): HubError {
    if (this.discovery?.authorizationServerMetadata) return needsSignInError(this.server);
    return new HubError({
      kind: 'auth',
      message: `The MCP server "${this.server}" refused the request (HTTP 401) and names no way to sign in. Check the token in its headers.`,
      status: 401,
      reason: { code: 'mcpRefused', values: { server: this.server, status: 401 } },
    });
  }

  private async read(part: McpOAuthPart): Promise<string | null> {
    const cached = this.cache[part];
    if (cached !== undefined) return cached;
    let value: string | null;
    try {
      value = await this.store.get(this.server, part);
    } catch (error) {
      // Without a keychain there is no sign-in to read; a server that needs none still connects. Signing in says why.
      if (this.session) throw error;
      return null;
    }
    this.cache[part] = value;
    return value;
  }

  private async write(part: McpOAuthPart, value: string): Promise<void> {
    await this.store.set(this.server, part, value);
    this.cache[part] = value;
  }

  private setSignedIn(signedIn: boolean): void {
    if (this.signedIn === signedIn) return;
    this.signedIn = signedIn;
    this.onSignedIn();
  }
}
