/** Reads the `{"mcpServers": {…}}` JSON that Claude Desktop, Cursor, Cline and other clients use. */
import type { ErrorReason } from './error-reasons';
import { describeInputIssue, type InputIssue, inputIssueOf } from './input-issues';
import { type AddServerRequest, addServerRequestSchema, type ParsedAddServerRequest } from './tools-channels';

export type McpImport =
  | { ok: true; servers: ParsedAddServerRequest[] }
  | {
      ok: false;
      field: string;
      /** In English (the CLI, the log); the window words `reason` or `input` instead. */
      message: string;
      reason?: ErrorReason;
      input?: Omit<InputIssue, 'field'>;
    };

type Entry = Record<string, unknown>;

function isObject(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/** One entry as an add request: `command`/`args`/`env`/`cwd`, or `url`/`headers`; `disabled` and `autoApprove` kept. */
function requestOf(name: string, entry: Entry): AddServerRequest {
  const headers = isObject(entry.headers) ? entry.headers : {};
  const transport =
    typeof entry.url === 'string'
      ? {
          type: 'http' as const,
          url: entry.url,
          headers: Object.entries(headers).map(([header, value]) => ({ name: header, value: String(value) })),
        }
      : {
          type: 'stdio' as const,
          command: typeof entry.command === 'string' ? entry.command : '',
          args: stringList(entry.args) ?? [],
          env: isObject(entry.env)
            ? Object.fromEntries(Object.entries(entry.env).map(([key, value]) => [key, String(value)]))
            : {},
          cwd: typeof entry.cwd === 'string' && entry.cwd !== '' ? entry.cwd : null,
        };
  return {
    name,
    transport,
    enabled: entry.disabled !== true,
    autoApprove: stringList(entry.autoApprove) ?? stringList(entry.alwaysAllow) ?? [],
  };
}

/** The servers in the pasted text, or the first problem with the field that has it (nothing is half-imported). */
export function readMcpServersJson(text: string): McpImport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      field: 'json',
      message: `json is not valid JSON: ${detail}`,
      reason: { code: 'mcpNotJson', values: { detail } },
    };
  }
  const root = isObject(parsed) ? (parsed.mcpServers ?? parsed.servers) : undefined;
  if (!isObject(root)) {
    return {
      ok: false,
      field: 'json',
      message: 'json must be an object with "mcpServers": {"name": {…}}',
      reason: { code: 'mcpNoServers', values: {} },
    };
  }
  const servers: ParsedAddServerRequest[] = [];
  for (const [name, entry] of Object.entries(root)) {
    const field = `mcpServers.${name}`;
    if (!isObject(entry)) {
      return {
        ok: false,
        field,
        message: `${field} must be an object`,
        reason: { code: 'mcpEntryNotObject', values: { field } },
      };
    }
    if (typeof entry.url !== 'string' && typeof entry.command !== 'string') {
      return {
        ok: false,
        field,
        message: `${field} needs a "command" (stdio) or a "url" (HTTP)`,
        reason: { code: 'mcpEntryNeedsCommand', values: { field } },
      };
    }
    const request = requestOf(name, entry);
    const result = addServerRequestSchema.safeParse(request);
    if (!result.success) {
      const issue = result.error.issues[0];
      const path = issue?.path.map(String) ?? [];
      // transport.command → mcpServers.x.command, the way the user wrote it.
      const where = [field, ...path.filter((part) => part !== 'transport')].join('.');
      if (!issue) return { ok: false, field: where, message: `${where} is not valid.` };
      const refused = inputIssueOf(issue, request);
      const { field: _inside, ...input } = refused;
      return { ok: false, field: where, message: describeInputIssue(refused, where), input };
    }
    servers.push(result.data);
  }
  return { ok: true, servers };
}
