/** Turns the server form's text fields into the transport main expects, or names the line that is wrong. */
import type { McpServerView, TransportInput } from '../../../shared/tools-channels';

export type TransportKind = 'stdio' | 'http';

/** A header or environment variable main keeps (its value is only in the keychain): kept, replaced or removed. */
export interface StoredSecret {
  name: string;
  /** A new value; null keeps the stored one. */
  replacement: string | null;
  removed: boolean;
}

export interface ServerDraft {
  kind: TransportKind;
  command: string;
  args: string;
  /** New variables, one KEY=VALUE a line. */
  env: string;
  cwd: string;
  url: string;
  /** New headers, one `Name: value` a line. */
  headers: string;
  storedEnv: StoredSecret[];
  storedHeaders: StoredSecret[];
}

export const emptyDraft: ServerDraft = {
  kind: 'stdio',
  command: '',
  args: '',
  env: '',
  cwd: '',
  url: '',
  headers: '',
  storedEnv: [],
  storedHeaders: [],
};

function stored(names: readonly string[]): StoredSecret[] {
  return names.map((name) => ({ name, replacement: null, removed: false }));
}

/** The form of a server as stored, to edit: secrets appear by name only. */
export function draftOf(server: McpServerView): ServerDraft {
  const transport = server.transport;
  if (transport.type === 'http') {
    return { ...emptyDraft, kind: 'http', url: transport.url, storedHeaders: stored(transport.headerNames) };
  }
  return {
    ...emptyDraft,
    kind: 'stdio',
    command: transport.command,
    args: transport.args.join('\n'),
    cwd: transport.cwd ?? '',
    storedEnv: stored(transport.envNames),
  };
}

/** A line the form could not read: its field and 1-based line number. */
export interface DraftProblem {
  field: 'env' | 'headers';
  line: number;
}

export type DraftResult = { ok: true; transport: TransportInput } | { ok: false; problem: DraftProblem };

function lines(text: string): { text: string; line: number }[] {
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ text: line.trim(), line: index + 1 }))
    .filter((entry) => entry.text !== '');
}

/** Splits `text` at the first `separator` into a non-empty name and the (trimmed) rest. */
function pair(text: string, separator: string): [string, string] | null {
  const at = text.indexOf(separator);
  if (at <= 0) return null;
  return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
}

/** Args one per line; env `KEY=VALUE`; headers `Name: value`. */
export function transportOf(draft: ServerDraft): DraftResult {
  if (draft.kind === 'http') {
    const headers: { name: string; value?: string }[] = draft.storedHeaders
      .filter((header) => !header.removed)
      .map((header) =>
        header.replacement === null
          ? { name: header.name }
          : { name: header.name, value: header.replacement },
      );
    for (const entry of lines(draft.headers)) {
      const header = pair(entry.text, ':');
      if (!header) return { ok: false, problem: { field: 'headers', line: entry.line } };
      headers.push({ name: header[0], value: header[1] });
    }
    return { ok: true, transport: { type: 'http', url: draft.url.trim(), headers } };
  }
  const env: Record<string, string | null> = {};
  for (const variable of draft.storedEnv) {
    if (!variable.removed) env[variable.name] = variable.replacement;
  }
  for (const entry of lines(draft.env)) {
    const variable = pair(entry.text, '=');
    if (!variable) return { ok: false, problem: { field: 'env', line: entry.line } };
    env[variable[0]] = variable[1];
  }
  const cwd = draft.cwd.trim();
  return {
    ok: true,
    transport: {
      type: 'stdio',
      command: draft.command.trim(),
      args: lines(draft.args).map((entry) => entry.text),
      env,
      cwd: cwd === '' ? null : cwd,
    },
  };
}

/** The form field an error from main is about: `transport.env.1X` → env, `name` and `newName` → name. */
export function draftFieldOf(field: string | undefined): string | null {
  if (!field) return null;
  const parts = field.split('.');
  const start = parts[0] === 'transport' ? 1 : 0;
  const first = parts[start] ?? null;
  return first === 'newName' ? 'name' : first;
}
