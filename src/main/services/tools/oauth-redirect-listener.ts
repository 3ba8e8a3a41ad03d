import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../base/clock';
import { HubError } from '../../base/errors';

/** What the browser tab shows after the redirect, already worded in the UI language. */
export interface RedirectPages {
  signedIn: string;
  /** A redirect whose `state` is not the one this sign-in sent. */
  wrongState: string;
  /** The authorization server said no; `{{error}}` is its reason. */
  refused: string;
}

export interface RedirectListener {
  /** `http://127.0.0.1:<port>/callback`, a port the system picked. */
  redirectUrl: string;
  /** The `state` the authorization URL carries; a redirect without it is refused. */
  state: string;
  /** The authorization code; rejects when the server refuses, or when the time is up. */
  code: Promise<string>;
  close(): Promise<void>;
}

const CALLBACK_PATH = '/callback';

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

function page(res: ServerResponse, status: number, text: string): void {
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'",
    })
    .end(`<!doctype html><meta charset="utf-8"><title>HubDesk</title><p>${escapeHtml(text)}</p>`);
}

/**
 * The loopback redirect of an OAuth sign-in (RFC 8252): listens on 127.0.0.1 only, answers the one redirect that
 * carries this sign-in's `state`, and gives up after `timeoutMs` on the injected clock.
 */
export async function listenForRedirect(options: {
  server: string;
  clock: Clock;
  timeoutMs: number;
  pages: RedirectPages;
}): Promise<RedirectListener> {
  const { server: name, clock, timeoutMs, pages } = options;
  const state = randomBytes(32).toString('base64url');
  let settle: { resolve: (code: string) => void; reject: (error: HubError) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A sign-in abandoned by its caller must not leave an unhandled rejection behind.
  code.catch(() => undefined);
  let done = false;
  const finish = (outcome: { code: string } | { error: HubError }) => {
    if (done) return;
    done = true;
    if ('code' in outcome) settle?.resolve(outcome.code);
    else settle?.reject(outcome.error);
  };

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      res.writeHead(404).end();
      return;
    }
    if (done || url.searchParams.get('state') !== state) {
      page(res, 400, pages.wrongState);
      return;
    }
    const error = url.searchParams.get('error');
    const received = url.searchParams.get('code');
    if (error || !received) {
      const reason = [error ?? 'no code', url.searchParams.get('error_description')]
        .filter(Boolean)
        .join(': ');
      page(res, 400, pages.refused.replace('{{error}}', reason));
      finish({
        error: new HubError({
          kind: 'auth',
          message: `The sign-in to the MCP server "${name}" was refused (${reason}).`,
          code: 'mcp_sign_in_refused',
          reason: { code: 'mcpSignInRefused', values: { server: name, detail: reason } },
        }),
      });
      return;
    }
    page(res, 200, pages.signedIn);
    finish({ code: received });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const timer = clock.setTimeout(() => {
    const minutes = Math.round(timeoutMs / 60_000);
    finish({
      error: new HubError({
        kind: 'timeout',
        message: `The sign-in to the MCP server "${name}" was not finished within ${minutes >= 1 ? `${minutes} min` : `${timeoutMs} ms`}. Sign in again when you are ready.`,
        code: 'mcp_sign_in_timeout',
        reason:
          minutes >= 1
            ? { code: 'mcpSignInTimeout', values: { server: name, minutes } }
            : { code: 'mcpSignInTimeoutMs', values: { server: name, ms: timeoutMs } },
      }),
    });
  }, timeoutMs);

  return {
    redirectUrl: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    state,
    code,
    async close() {
      timer.cancel();
      finish({
        error: new HubError({
          kind: 'cancelled',
          message: `The sign-in to "${name}" was cancelled.`,
          reason: { code: 'mcpSignInCancelled', values: { server: name } },
        }),
      });
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
