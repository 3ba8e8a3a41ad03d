/** MCP servers the user added (issue 15): their configuration, status and tools, for Settings → Tools and the CLI. */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';
import { errorReasonSchema } from './error-reasons';
import { appErrorSchema } from './errors';
import { BUILTIN_TOOL_SERVER, toolResultSchema, toolSpecSchema } from './tools';
import { isHttpUrlWithoutCredentials } from './urls';

/** How the loop and the CLI address a server: letters, digits, `-` and `_` (it becomes part of tool names). */
export const serverNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'may hold only letters, digits, - and _')
  .refine((name) => name.toLowerCase() !== BUILTIN_TOOL_SERVER, `"${BUILTIN_TOOL_SERVER}" is HubDesk's own`);

export const headerNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a valid HTTP header name');

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,199}$/;

export const mcpUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine(
    isHttpUrlWithoutCredentials,
    'must be an http(s) URL without a user name or password (put credentials in a header)',
  );

export const stdioTransportSchema = z
  .object({
    type: z.literal('stdio'),
    command: z.string().trim().min(1, 'must not be empty').max(4000),
    args: z.array(z.string().max(8000)).max(200).default([]),
    /**
     * Values go to the keychain, never SQLite. `null` keeps the value stored before (an edit that leaves it
     * unchanged); a stored variable left out is removed.
     */
    env: z
      .record(z.string(), z.string().max(32_000).nullable())
      .superRefine((env, context) => {
        for (const name of Object.keys(env)) {
          if (!ENV_NAME.test(name))
            context.addIssue({
              code: 'custom',
              path: [name],
              message: 'is not a valid environment variable name',
            });
        }
      })
      .default({}),
    /** The working folder; null: the user's home folder. */
    cwd: z.string().trim().min(1).max(4000).nullable().default(null),
  })
  .strict();

/** A stdio server as stored and shown: the names of its environment variables; their values are in the keychain. */
export const stdioTransportViewSchema = z
  .object({
    type: z.literal('stdio'),
    command: z.string(),
    args: z.array(z.string()),
    envNames: z.array(z.string()),
    cwd: z.string().nullable(),
  })
  .strict();

/** An HTTP server as stored and shown: header names only; their values are in the keychain. */
export const httpTransportViewSchema = z
  .object({
    type: z.literal('http'),
    url: z.string(),
    headerNames: z.array(z.string()),
  })
  .strict();

/**
 * An HTTP server as the window or the CLI sends it. A header with a value is (re)written to the keychain; one
 * without keeps the value stored before; a stored header left out is removed.
 */
export const httpTransportInputSchema = z
  .object({
    type: z.literal('http'),
    url: mcpUrlSchema,
    headers: z
      .array(z.object({ name: headerNameSchema, value: z.string().max(16_000).optional() }).strict())
      .max(50)
      .default([]),
  })
  .strict();

export const transportInputSchema = z.discriminatedUnion('type', [
  stdioTransportSchema,
  httpTransportInputSchema,
]);
export type TransportInput = z.input<typeof transportInputSchema>;
export const transportViewSchema = z.discriminatedUnion('type', [
  stdioTransportViewSchema,
  httpTransportViewSchema,
]);
export type TransportView = z.infer<typeof transportViewSchema>;

/** `needs-sign-in`: an HTTP server answered 401 and names an OAuth authorization server (see `signIn`). */
export const serverStatusSchema = z.enum(['stopped', 'starting', 'ready', 'failed', 'needs-sign-in']);
export type ServerStatus = z.infer<typeof serverStatusSchema>;

// OAuth sign-in of HTTP servers through the user's browser (issue 15). The tokens stay in main's keychain.

/** Null for a server that cannot sign in (stdio, or an HTTP server that sends its own Authorization header). */
export const signInViewSchema = z
  .object({
    /** OAuth tokens for it are in the keychain (as the last connection found them). */
    signedIn: z.boolean(),
    /** A sign-in is waiting for the user's browser. */
    signingIn: z.boolean(),
  })
  .nullable();
export type SignInView = z.infer<typeof signInViewSchema>;

export const mcpServerViewSchema = z.object({
  name: z.string(),
  transport: transportViewSchema,
  enabled: z.boolean(),
  /** Tools that run without asking. */
  autoApprove: z.array(z.string()),
  status: serverStatusSchema,
  /** Why it failed (status `failed`) or why it needs a sign-in (`needs-sign-in`), in one sentence. */
  error: appErrorSchema.nullable(),
  /** The last lines the server wrote to stderr (stdio servers). */
  stderrTail: z.array(z.string()),
  /** The tools it offered when last ready. */
  tools: z.array(toolSpecSchema),
  /** Whether `tools` was read since the server last connected (a ready server may not have answered yet). */
  toolsListed: z.boolean(),
  /** The server's own name and version from the handshake. */
  serverInfo: z.object({ name: z.string(), version: z.string() }).nullable(),
  /** Which HTTP transport answered: Streamable HTTP, or the older HTTP+SSE. */
  httpTransport: z.enum(['streamable-http', 'sse']).nullable(),
  signIn: signInViewSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type McpServerView = z.infer<typeof mcpServerViewSchema>;

export const addServerRequestSchema = z
  .object({
    name: serverNameSchema,
    transport: transportInputSchema,
    enabled: z.boolean().default(true),
    autoApprove: z.array(z.string().min(1).max(200)).max(500).default([]),
  })
  .strict();
export type AddServerRequest = z.input<typeof addServerRequestSchema>;
export type ParsedAddServerRequest = z.output<typeof addServerRequestSchema>;

const nameOnly = z.object({ name: serverNameSchema }).strict();

/** Signing in to an HTTP server with OAuth, and out (see `signInViewSchema`). */
const signInChannels = {
  /**
   * Opens the server's authorization page in the OS browser and resolves when the sign-in is finished (the server
   * is then ready), refused or timed out (the view says why).
   */
  'tools.signIn': {
    request: nameOnly,
    response: mcpServerViewSchema,
  },
  /** Forgets the server's OAuth client and tokens from the keychain. */
  'tools.signOut': {
    request: nameOnly,
    response: mcpServerViewSchema,
  },
} as const satisfies ChannelMap;

// Editing servers, trying tools by hand, and the built-in server's approvals (issue 15, second part).
const toolCallIdSchema = z.string().min(1).max(100);

export const builtinToolsViewSchema = z.object({
  tools: z.array(toolSpecSchema),
  /** Tools of the built-in server that run without asking. */
  autoApprove: z.array(z.string()),
});
export type BuiltinToolsView = z.infer<typeof builtinToolsViewSchema>;

const toolsEditChannels = {
  /** Cancels a running `tools.call` by its `callId` (the server is told; it stays usable); false when none runs. */
  'tools.cancelCall': {
    request: z.object({ callId: toolCallIdSchema }).strict(),
    response: z.object({ cancelled: z.boolean() }),
  },
  /** HubDesk's own tools (server `hubdesk`) and which of them run without asking. */
  'tools.builtin': { request: z.object({}).strict(), response: builtinToolsViewSchema },
  'tools.setBuiltinAutoApprove': {
    request: z.object({ tool: z.string().min(1).max(200), auto: z.boolean() }).strict(),
    response: builtinToolsViewSchema,
  },
} as const satisfies ChannelMap;

export const importResultSchema = z.object({
  added: z.array(z.string()),
  /** Names already taken: those entries were left alone. */
  /** `reason` in English (the CLI), `why` the same as a code the window words. */
  skipped: z.array(z.object({ name: z.string(), reason: z.string(), why: errorReasonSchema.optional() })),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const toolsChannels = {
  /** Every server with its status; `connect` also starts the enabled ones that are stopped (Settings opens). */
  'tools.servers': {
    request: z.object({ connect: z.boolean().default(false) }).strict(),
    response: z.array(mcpServerViewSchema),
  },
  'tools.addServer': { request: addServerRequestSchema, response: mcpServerViewSchema },
  /** Replaces the transport (and renames, with `newName`); the server restarts if it was running. */
  'tools.updateServer': {
    request: z
      .object({
        name: serverNameSchema,
        newName: serverNameSchema.optional(),
        transport: transportInputSchema,
      })
      .strict(),
    response: mcpServerViewSchema,
  },
  'tools.removeServer': { request: nameOnly, response: z.object({ removed: z.boolean() }) },
  /** Enabling starts the server; disabling stops it. */
  'tools.setEnabled': {
    request: z.object({ name: serverNameSchema, enabled: z.boolean() }).strict(),
    response: mcpServerViewSchema,
  },
  /** Stops and starts the server; resolves when it is ready or failed (the view says which). */
  'tools.restart': { request: nameOnly, response: mcpServerViewSchema },
  'tools.setAutoApprove': {
    request: z
      .object({ name: serverNameSchema, tool: z.string().min(1).max(200), auto: z.boolean() })
      .strict(),
    response: mcpServerViewSchema,
  },
  /** The `{"mcpServers": {…}}` JSON other clients use, pasted as text. */
  'tools.importJson': {
    request: z.object({ json: z.string().min(1).max(1_000_000) }).strict(),
    response: importResultSchema,
  },
  /** Runs one tool by hand (a "try it" button); starts the server if needed. `hubdesk` runs HubDesk's own. */
  'tools.call': {
    request: z
      .object({
        name: z.union([z.literal(BUILTIN_TOOL_SERVER), serverNameSchema]),
        tool: z.string().min(1).max(200),
        args: z.record(z.string(), z.unknown()).default({}),
        /** Names the call for `tools.cancelCall`. */
        callId: toolCallIdSchema.optional(),
      })
      .strict(),
    response: toolResultSchema,
  },
  ...toolsEditChannels,
  ...signInChannels,
} as const satisfies ChannelMap;

export const toolsEvents = {
  /** A server was added, changed, started, stopped or failed; `server` is null when it was removed. */
  'tools.serverChanged': z.object({ name: z.string(), server: mcpServerViewSchema.nullable() }),
} as const satisfies EventMap;
