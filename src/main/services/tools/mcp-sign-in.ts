import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Language } from '../../../shared/i18n';
import { english, resources } from '../../../shared/locales';
import type { Clock } from '../../base/clock';
import type { McpOAuthClient } from './mcp-oauth-client';
import { listenForRedirect, type RedirectPages } from './oauth-redirect-listener';

/** The text of the browser tab after a sign-in, in the UI language. */
export function signInPages(language: Language, server: string): RedirectPages {
  const page = ((resources[language].settings ?? english.settings) as typeof english.settings).tools
    .signInPage;
  return {
    signedIn: page.signedIn.replace('{{name}}', server),
    wrongState: page.wrongState,
    refused: page.refused,
  };
}

/** Long enough to find a password; short enough that a forgotten tab does not keep a port open all day. */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface SignInOptions {
  server: string;
  url: URL;
  requestInit: RequestInit;
  oauth: McpOAuthClient;
  /** Shows the authorization URL: the OS browser in the app, a printed line in the CLI. */
  openUrl: (url: string) => void | Promise<void>;
  clock: Clock;
  timeoutMs: number;
  pages: RedirectPages;
  /** Ends the wait for the browser (the server was stopped, HubDesk is closing). */
  signal?: AbortSignal;
}

type HttpTransport = StreamableHTTPClientTransport | SSEClientTransport;

/** Connects once with the OAuth client: the SDK either finds the stored tokens good, or sends the user to sign in. */
async function tryConnect(transport: HttpTransport): Promise<'connected' | 'unauthorized'> {
  const client = new Client({ name: 'HubDesk', version: '1' }, { capabilities: {} });
  try {
    await client.connect(transport);
    return 'connected';
  } catch (error) {
    if (error instanceof UnauthorizedError) return 'unauthorized';
    throw error;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * One OAuth sign-in through the user's browser: a loopback listener on 127.0.0.1, the SDK's discovery, dynamic
 * client registration and PKCE, the authorization URL handed to `openUrl`, the code from the redirect (its `state`
 * checked) exchanged with `finishAuth`. The tokens end up in the keychain through `oauth`.
 */
export async function signInThroughBrowser(options: SignInOptions): Promise<void> {
  const { url, requestInit, oauth } = options;
  const listener = await listenForRedirect(options);
  const cancel = () => void listener.close();
  options.signal?.addEventListener('abort', cancel, { once: true });
  oauth.beginSignIn({ redirectUrl: listener.redirectUrl, state: listener.state, openUrl: options.openUrl });
  try {
    let transport: HttpTransport = new StreamableHTTPClientTransport(url, {
      requestInit,
      authProvider: oauth,
    });
    let outcome: 'connected' | 'unauthorized';
    try {
      outcome = await tryConnect(transport);
    } catch (error) {
      // A server that refuses the Streamable HTTP POST may speak the older HTTP+SSE transport (as when connecting).
      const code = error instanceof StreamableHTTPError ? error.code : undefined;
      if (code === undefined || code < 400 || code >= 500 || code === 401 || code === 403) throw error;
      transport = new SSEClientTransport(url, { requestInit, authProvider: oauth });
      outcome = await tryConnect(transport);
    }
    if (outcome === 'connected') return;
    if (!oauth.redirected) throw new UnauthorizedError('The server did not offer a sign-in.');
    await transport.finishAuth(await listener.code);
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    oauth.endSignIn();
    await listener.close();
  }
}
