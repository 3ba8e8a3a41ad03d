import { z } from 'zod';
import { errorReasonSchema } from './error-reasons';
import { inputIssueCodes } from './input-issues';

/** The one error type of the app (docs/architecture.md §Rules 8). Plain data, so it crosses IPC unchanged. */
export const appErrorKinds = [
  'network',
  'timeout',
  'auth',
  'rate_limited',
  'bad_request',
  'server',
  'cancelled',
  'invalid_input',
  'not_found',
  'keychain_unavailable',
  'proxy_auth',
  'quota',
  'database',
  'file',
  'internal',
] as const;
export type AppErrorKind = (typeof appErrorKinds)[number];

export const appErrorSchema = z.object({
  kind: z.enum(appErrorKinds),
  /** What happened, in words a person can read. Never contains the token. */
  message: z.string(),
  /** HTTP status when the error came from an HTTP response. */
  status: z.number().int().optional(),
  /** The provider's own error code or type (`rate_limit_error`, `RESOURCE_EXHAUSTED`, Kling's numeric code…). */
  code: z.string().optional(),
  /** The proxy's own message, kept verbatim (redacted). */
  providerMessage: z.string().optional(),
  /** Upstream request id, when the response carried one. */
  requestId: z.string().optional(),
  /** How long the server asked us to wait before retrying. */
  retryAfterMs: z.number().optional(),
  /** For invalid_input: which field of the request was wrong. */
  field: z.string().optional(),
  /** For invalid_input from a schema: what was wrong as a code and values, which the window words (`input-issues.ts`). */
  input: z
    .object({
      code: z.enum(inputIssueCodes),
      values: z.record(z.string(), z.union([z.string(), z.number()])),
      custom: z.string().optional(),
    })
    .optional(),
  /** Why it failed, as HubDesk's own code and values, which the window words in its language (`error-reasons.ts`). */
  reason: errorReasonSchema.optional(),
});
export type AppError = z.infer<typeof appErrorSchema>;

/** `code` of the error a call gets when no API token is set: not a token the proxy refused (kind `auth`). */
export const NO_TOKEN_CODE = 'no_token';
/** A page opened in a browser without the harness's secret: no HubDesk to talk to (the message says what to do). */
export const NOT_CONNECTED_CODE = 'not_connected';

export function isAppError(value: unknown): value is AppError {
  return appErrorSchema.safeParse(value).success;
}

/** What the user should do about an error, keyed by kind. The renderer and the CLI both use it. */
export const errorAdvice: Record<AppErrorKind, string> = {
  network: 'Check your internet connection or proxy setting, then try again.',
  timeout: 'The server took too long to answer. Try again in a moment.',
  auth: 'The API token was refused. Open Settings and set a valid token.',
  rate_limited: 'Too many requests. Wait a little and try again.',
  bad_request: 'The request was rejected. Check the model and parameters.',
  server: 'The proxy or its upstream provider failed. Try again later.',
  cancelled: 'Stopped.',
  invalid_input: 'Some of the input is not valid. Correct it and try again.',
  not_found: 'Not found. Check the endpoint path in Settings → Advanced.',
  keychain_unavailable:
    'No system keychain is reachable. Install and unlock a Secret Service (e.g. gnome-keyring), or keep the token for this run only.',
  proxy_auth:
    'The HTTP proxy between HubDesk and the internet asks for a login. Put the user name and password in the proxy setting, or ask whoever runs that proxy.',
  quota:
    'The account has run out of credit or quota. Add credit or raise the limit with your provider; trying again will not help until then.',
  database:
    "HubDesk's database on this computer could not be read or written. Check that the disk is not full, then restart HubDesk; run `hubdesk doctor` if it keeps happening.",
  file: 'A file on this computer could not be read or written. Check that the disk is not full and that HubDesk may write to the folder.',
  internal:
    'Something went wrong inside HubDesk. Try again; if it keeps happening, restart HubDesk and report it.',
};

/**
 * The next step after an error's message, outside the window: no window to open, and no repeat of the message
 * (a keychain failure and a refused input say what to do in their own words).
 */
const terminalSteps: Record<AppErrorKind, string> = {
  network: errorAdvice.network,
  timeout: 'Try again in a moment.',
  auth: 'Run `hubdesk token set` with a valid token, or correct HUBDESK_TOKEN.',
  rate_limited: 'Wait a little and try again.',
  bad_request: 'Check the model and parameters.',
  server: 'Try again later.',
  cancelled: '',
  invalid_input: '',
  not_found: 'Check the endpoint path of the profile (Settings → Advanced).',
  keychain_unavailable: '',
  proxy_auth: errorAdvice.proxy_auth,
  quota: errorAdvice.quota,
  database: errorAdvice.database,
  file: 'Check that the disk is not full and that HubDesk may write to the folder.',
  internal: errorAdvice.internal,
};

const tokenRefusalReasons: ReadonlySet<string> = new Set(['http401', 'http403']);

/**
 * Whether an `auth` error is about HubDesk's API token: the proxy refused it. A sync storage, an MCP server or a
 * wrong passphrase refuse other credentials, which their own message names.
 */
export function isTokenRefusal(error: AppError): boolean {
  if (error.kind !== 'auth') return false;
  if (error.code === NO_TOKEN_CODE) return true;
  if (error.reason) return tokenRefusalReasons.has(error.reason.code);
  return !/\bMCP server\b/.test(error.message);
}

/**
 * What to do about an error, said outside the window (the CLI, `hubdesk doctor`): the next step there, or nothing
 * where the message already says it. The window words its own advice (`errors.advice.<kind>`, `plainErrors`).
 */
export function terminalAdvice(error: AppError): string {
  if (error.code === NO_TOKEN_CODE) return 'Run `hubdesk token set` or set HUBDESK_TOKEN.';
  if (error.kind === 'auth' && !isTokenRefusal(error)) return '';
  // Only the proxy answers 404 about an endpoint; a local item not found is said in full by its message.
  if (error.kind === 'not_found' && error.status === undefined) return '';
  return terminalSteps[error.kind];
}
