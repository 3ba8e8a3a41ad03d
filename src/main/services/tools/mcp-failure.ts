import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { AppError } from '../../../shared/errors';
import { HubError, toAppError } from '../../base/errors';
import { redact, truncate } from '../../base/redact';

/** Which step failed: each has its own timeout, and the message names it. */
export type McpStep = 'connect' | 'list' | 'call';

const timeoutReasons = {
  connect: 'mcpConnectTimeout',
  list: 'mcpListTimeout',
  call: 'mcpCallTimeout',
} as const;
const failedReasons = { connect: 'mcpConnectFailed', list: 'mcpListFailed', call: 'mcpCallFailed' } as const;

const stepWords: Record<McpStep, string> = {
  connect: 'start and answer the handshake',
  list: 'list its tools',
  call: 'run the tool',
};

/** What JSON-RPC and MCP error codes mean, for messages a person can read (`-32000` alone says nothing). */
const rpcCodes: Record<number, string> = {
  [ErrorCode.ConnectionClosed]: 'the connection to the server closed',
  [ErrorCode.RequestTimeout]: 'the request timed out',
  [ErrorCode.ParseError]: 'the server could not parse the message',
  [ErrorCode.InvalidRequest]: 'the server found the request invalid',
  [ErrorCode.MethodNotFound]: 'the server does not offer this',
  [ErrorCode.InvalidParams]: 'the server refused the arguments',
  [ErrorCode.InternalError]: 'the server failed inside',
};

/** The last stderr lines, in a form that fits after a sentence. */
function stderrNote(tail: readonly string[]): string {
  const last = tail.slice(-3).join(' | ');
  return last ? ` Last lines of its stderr: ${truncate(last, 600)}` : '';
}

export function timeoutError(
  server: string,
  step: McpStep,
  ms: number,
  tail: readonly string[] = [],
): HubError {
  return new HubError({
    kind: 'timeout',
    message: `The MCP server "${server}" did not ${stepWords[step]} within ${ms} ms (${step} timeout).${stderrNote(tail)}`,
    code: `mcp_${step}_timeout`,
    reason: { code: timeoutReasons[step], values: { server, ms } },
  });
}

export function serverError(
  server: string,
  sentence: string,
  code: string,
  tail: readonly string[] = [],
  reason?: AppError['reason'],
): HubError {
  return new HubError({
    kind: 'server',
    message: `The MCP server "${server}" ${sentence}${stderrNote(tail)}`,
    code,
    ...(reason ? { reason } : {}),
  });
}

/** Anything the SDK, the spawn or fetch threw while `step` ran, as one sentence with the last stderr lines. */
export function mcpFailure(
  server: string,
  step: McpStep,
  error: unknown,
  context: { tail: readonly string[]; secrets: readonly string[]; timeoutMs: number },
): HubError {
  const { tail, secrets } = context;
  if (error instanceof HubError) return error;
  if (error instanceof McpError) {
    if (error.code === ErrorCode.RequestTimeout) return timeoutError(server, step, context.timeoutMs, tail);
    const meaning = rpcCodes[error.code];
    const detail = redact(error.message.replace(/^MCP error -?\d+: /, ''), secrets);
    const stopped = error.code === ErrorCode.ConnectionClosed && step === 'connect';
    const sentence = stopped
      ? `stopped before it finished starting (MCP ${error.code}: ${meaning}).`
      : `failed to ${stepWords[step]}: ${meaning ?? 'error'} (MCP ${error.code}: ${truncate(detail, 300)}).`;
    const reason: AppError['reason'] = stopped
      ? { code: 'mcpStoppedStarting', values: { server } }
      : {
          code: failedReasons[step],
          values: { server, detail: `MCP ${error.code}: ${truncate(detail, 300)}` },
        };
    return serverError(server, sentence, String(error.code), tail, reason);
  }
  if (error instanceof UnauthorizedError) {
    return new HubError({
      kind: 'auth',
      message: `The MCP server "${server}" asks for a login (HTTP 401). Check the token in its headers.`,
      status: 401,
      reason: { code: 'mcpLogin', values: { server } },
    });
  }
  const status = error instanceof StreamableHTTPError || error instanceof SseError ? error.code : undefined;
  if (status === 401 || status === 403) {
    return new HubError({
      kind: 'auth',
      message: `The MCP server "${server}" refused the request (HTTP ${status}). Check the token in its headers.`,
      status,
      reason: { code: 'mcpRefused', values: { server, status } },
    });
  }
  if (status !== undefined && status >= 400) {
    return new HubError({
      kind: 'server',
      message: `The MCP server "${server}" answered HTTP ${status} when asked to ${stepWords[step]}.`,
      status,
      reason: { code: 'mcpHttpStatus', values: { server, status } },
    });
  }
  // The reason (if any) says "the proxy"; this message names the MCP server, so the window shows the message.
  const { reason: _aboutTheProxy, ...info }: AppError = toAppError(error);
  const reason =
    info.kind === 'network'
      ? info.message.replace('Could not reach the proxy', 'it could not be reached')
      : redact(withCause(error), secrets);
  return new HubError({
    ...info,
    kind: info.kind === 'internal' ? 'server' : info.kind,
    message: `The MCP server "${server}" failed to ${stepWords[step]}: ${truncate(reason, 300).replace(/\.+$/, '')}.${stderrNote(tail)}`,
    reason: { code: failedReasons[step], values: { server, detail: truncate(reason, 300) } },
  });
}

/** `fetch failed` says nothing without its cause (`bad port`, a certificate problem). */
function withCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && cause !== error.message ? `${error.message} (${cause})` : error.message;
}

/** A failure while signing in is worded as the sign-in's, not as a start that failed. */
export function signInFailure(failure: HubError): HubError {
  const reason = failure.info.reason;
  if (reason?.code !== 'mcpConnectFailed') return failure;
  return new HubError({ ...failure.info, reason: { code: 'mcpSignInFailed', values: reason.values } });
}
