/**
 * Editing MCP servers (issue 15, second part): environment values in the keychain (and migration 9 moving old ones
 * there), edit and rename, a tool call run by hand and cancelled, and "run without asking" for HubDesk's own tools.
 * Real SQLite files, real stdio servers; the keychain is the real one when the test session has it
 * (/tmp/runtests.sh), else an in-memory one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../src/main/core';
import { mcpEnvAccount } from '../src/main/secrets/mcp-env-store';
import type { KeytarLike } from '../src/main/secrets/token-store';
import { openDatabase } from '../src/main/store/database';
import { migrations } from '../src/main/store/migrations';
import type { Conversation } from '../src/shared/chat';
import { checkArguments, draftArguments } from '../src/shared/tool-arguments';
import type { McpServerView } from '../src/shared/tools-channels';
import { binDir, isRunning, type McpTestCore, mcpCore, rawServer } from './support/mcp';
import { memoryKeytar, unreachableKeytar } from './support/memory-keytar';

const everything = join(binDir, 'mcp-server-everything');
const node = process.execPath;
const realKeychain = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

let open: McpTestCore[] = [];
let folders: string[] = [];
afterEach(async () => {
  await Promise.allSettled(open.map((stack) => stack.close()));
  await Promise.allSettled(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  open = [];
  folders = [];
});

/** The real keychain under a service of this run, or memory when the session has none. */
function keychain(): { keytar: KeytarLike; service: string } {
  const service = `HubDesk-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  return { keytar: realKeychain ? keytar : memoryKeytar(), service };
}

async function stack(options: Parameters<typeof mcpCore>[0] = {}): Promise<McpTestCore> {
  const created = await mcpCore(options);
  open.push(created);
  return created;
}

async function ok<T>(stackOf: McpTestCore, channel: string, request: unknown): Promise<T> {
  const result = await stackOf.core.router.dispatch(channel, request);
  expect(result, channel).toMatchObject({ ok: true });
  return (result as { value: T }).value;
}

/** The files of the database itself (not the copies an update keeps in backups/) that hold `needle`. */
function databaseFilesContaining(dataDir: string, needle: string): string[] {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('hubdesk.sqlite') && statSync(join(dataDir, name)).isFile())
    .filter((name) => readFileSync(join(dataDir, name)).includes(Buffer.from(needle)));
}

async function envText(stackOf: McpTestCore, server: string): Promise<string> {
  const result = await stackOf.core.tools.call(server, 'get-env', {});
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

describe('environment values of stdio servers', () => {
  it('are kept in the keychain, never in the database files; the server still gets them; an edit keeps or replaces them', async () => {
    const secret = `env-secret-${process.pid}-a1b2`;
    const { keytar: store, service } = keychain();
    const s = await stack({ keytar: store, keychainService: service });
    const view = await ok<McpServerView>(s, 'tools.addServer', {
      name: 'everything',
      transport: { type: 'stdio', command: everything, env: { API_TOKEN: secret, MODE: 'plain' } },
    });
    expect(view.transport).toEqual({
      type: 'stdio',
      command: everything,
      args: [],
      envNames: ['API_TOKEN', 'MODE'],
      cwd: null,
    });
    expect(JSON.stringify(s.core.tools.list())).not.toContain(secret);
    expect(await store.getPassword(service, mcpEnvAccount('everything', 'API_TOKEN'))).toBe(secret);
    expect(await envText(s, 'everything')).toContain(secret);

    // null keeps the stored value; a variable left out is removed; a name without a stored value is refused.
    await ok(s, 'tools.updateServer', {
      name: 'everything',
      transport: { type: 'stdio', command: everything, env: { API_TOKEN: null, EXTRA: 'more' } },
    });
    const env = await envText(s, 'everything');
    expect(env).toContain(secret);
    expect(env).toContain('"EXTRA": "more"');
    expect(env).not.toContain('"MODE"');
    expect(await store.getPassword(service, mcpEnvAccount('everything', 'MODE'))).toBeNull();
    expect(
      await s.core.router.dispatch('tools.updateServer', {
        name: 'everything',
        transport: { type: 'stdio', command: everything, env: { NEVER_SET: null } },
      }),
    ).toEqual({
      ok: false,
      error: {
        kind: 'invalid_input',
        field: 'env',
        message: 'env: the environment variable "NEVER_SET" needs a value (none is stored yet).',
        reason: { code: 'mcpEnvNeedsValue', values: { name: 'NEVER_SET' } },
      },
    });

    await s.closeCore();
    expect(databaseFilesContaining(s.dataDir, secret)).toEqual([]);
    expect(databaseFilesContaining(s.dataDir, 'API_TOKEN')).toEqual(['hubdesk.sqlite']);
    if (realKeychain) await store.deletePassword(service, mcpEnvAccount('everything', 'API_TOKEN'));
  });

  it('an older database with values in SQLite: migration 9 keeps the names, start-up moves the values to the keychain', async () => {
    const secret = `old-env-secret-${process.pid}-c3d4`;
    const dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-mcp-env-'));
    folders.push(dataDir);
    const file = join(dataDir, 'hubdesk.sqlite');
    // What HubDesk wrote at schema version 8.
    const old = openDatabase(file, { migrations: migrations.filter((migration) => migration.version <= 8) });
    old
      .prepare(
        `INSERT INTO mcp_servers (name, transport, config, enabled, auto_approve, created_at, updated_at)
         VALUES ('everything', 'stdio', ?, 1, '["echo"]', 1, 1)`,
      )
      .run(JSON.stringify({ command: everything, args: [], env: { OLD_KEY: secret }, cwd: null }));
    old.close();
    expect(databaseFilesContaining(dataDir, secret)).toEqual(['hubdesk.sqlite']);

    // No keychain at this start: the values stay where they are, and the server still gets them.
    const first = await stack({ dataDir, keytar: unreachableKeytar() });
    await first.core.tools.envMoved;
    expect(first.core.tools.get('everything')).toMatchObject({
      autoApprove: ['echo'],
      transport: { envNames: ['OLD_KEY'] },
    });
    expect(await envText(first, 'everything')).toContain(secret);
    await first.closeCore();
    expect(databaseFilesContaining(dataDir, secret)).toEqual(['hubdesk.sqlite']);

    // A start with a keychain moves them: into the keychain first, then overwritten in the database.
    const { keytar: store, service } = keychain();
    const core = createCore({
      dataDir,
      env: { PATH: process.env.PATH ?? '' },
      keytar: store,
      keychainService: service,
      mcp: { loginPath: async () => undefined },
    });
    try {
      await core.tools.envMoved;
      expect(await store.getPassword(service, mcpEnvAccount('everything', 'OLD_KEY'))).toBe(secret);
      expect(databaseFilesContaining(dataDir, secret)).toEqual([]);
      const result = await core.tools.call('everything', 'get-env', {});
      expect(JSON.stringify(result.content)).toContain(secret);
    } finally {
      await core.close();
    }
    expect(databaseFilesContaining(dataDir, secret)).toEqual([]);
    if (realKeychain) await store.deletePassword(service, mcpEnvAccount('everything', 'OLD_KEY'));
  });
});

describe('editing a server', () => {
  it('renames it: secrets, approvals and the chats that offer it follow; it restarts with the new config', async () => {
    const s = await stack();
    await ok(s, 'tools.addServer', {
      name: 'everything',
      transport: { type: 'stdio', command: everything, env: { GREETING: 'hello' } },
      autoApprove: ['echo'],
    });
    await ok(s, 'tools.addServer', { name: 'other', transport: { type: 'stdio', command: everything } });
    const chat = await ok<Conversation>(s, 'conversations.create', {});
    await ok(s, 'conversations.update', {
      id: chat.id,
      patch: { params: { toolServers: ['hubdesk', 'everything'], toolApproval: 'ask' } },
    });
    const before = await ok<McpServerView>(s, 'tools.restart', { name: 'everything' });
    expect(before.status).toBe('ready');
    const pid = s.core.tools.provider('everything')?.pid ?? 0;

    expect(
      await s.core.router.dispatch('tools.updateServer', {
        name: 'everything',
        newName: 'OTHER',
        transport: { type: 'stdio', command: everything, env: { GREETING: null } },
      }),
    ).toEqual({
      ok: false,
      error: {
        kind: 'invalid_input',
        field: 'newName',
        message: 'newName: an MCP server named "OTHER" already exists.',
        reason: { code: 'mcpServerExists', values: { server: 'OTHER' } },
      },
    });

    const renamed = await ok<McpServerView>(s, 'tools.updateServer', {
      name: 'everything',
      newName: 'demo',
      transport: { type: 'stdio', command: node, args: [everything], env: { GREETING: null, LANG_X: 'de' } },
    });
    expect(renamed).toMatchObject({
      name: 'demo',
      status: 'ready',
      autoApprove: ['echo'],
      transport: { command: node, args: [everything], envNames: ['GREETING', 'LANG_X'] },
    });
    expect(isRunning(pid)).toBe(false);
    expect(s.core.tools.provider('demo')?.pid).not.toBe(pid);
    const env = await envText(s, 'demo');
    expect(env).toContain('"GREETING": "hello"');
    expect(env).toContain('"LANG_X": "de"');
    expect(s.core.tools.list().map((server) => server.name)).toEqual(['demo', 'other']);
    expect(s.core.tools.isAutoApproved('demo', 'echo')).toBe(true);
    expect(s.events.some((event) => event.name === 'everything' && event.server === null)).toBe(true);
    const reopened = await ok<{ conversation: Conversation }>(s, 'conversations.open', { id: chat.id });
    expect(reopened.conversation.params).toEqual({ toolServers: ['hubdesk', 'demo'], toolApproval: 'ask' });
    expect(await s.core.tools.call('demo', 'echo', { message: 'still here' })).toMatchObject({
      content: [{ type: 'text', text: 'Echo: still here' }],
    });
  });
});

describe('a tool call run by hand', () => {
  it('is cancelled in main: the server is told, and stays usable', async () => {
    const s = await stack();
    await ok(s, 'tools.addServer', {
      name: 'raw',
      transport: { type: 'stdio', command: node, args: [rawServer] },
    });
    await ok(s, 'tools.restart', { name: 'raw' });
    const pid = s.core.tools.provider('raw')?.pid;
    expect(await s.core.router.dispatch('tools.cancelCall', { callId: 'nothing-runs' })).toEqual({
      ok: true,
      value: { cancelled: false },
    });

    const running = s.core.router.dispatch('tools.call', { name: 'raw', tool: 'hang', callId: 'try-1' });
    await expect
      .poll(() => s.core.tools.get('raw').stderrTail.some((line) => line.startsWith('hanging on request')))
      .toBe(true);
    expect(await s.core.router.dispatch('tools.cancelCall', { callId: 'try-1' })).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect(await running).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    await expect
      .poll(() => s.core.tools.get('raw').stderrTail.some((line) => line.startsWith('cancelled request')))
      .toBe(true);

    expect(s.core.tools.get('raw').status).toBe('ready');
    expect(s.core.tools.provider('raw')?.pid).toBe(pid);
    expect((await s.core.tools.tools('raw')).map((tool) => tool.name)).toContain('hang');
  });
});

describe('arguments typed by hand, against real input schemas', () => {
  it('are drafted from the required properties and checked before they are sent', async () => {
    const s = await stack();
    await ok(s, 'tools.addServer', { name: 'everything', transport: { type: 'stdio', command: everything } });
    const tools = await s.core.tools.tools('everything');
    const schema = (name: string) => tools.find((tool) => tool.name === name)?.inputSchema ?? {};

    expect(JSON.parse(draftArguments(schema('echo')))).toEqual({ message: '' });
    expect(JSON.parse(draftArguments(schema('get-sum')))).toEqual({ a: 0, b: 0 });
    expect(checkArguments('{"message": 42}', schema('echo'))).toEqual({
      ok: false,
      problems: [{ kind: 'wrongType', property: 'message', expected: 'string' }],
    });
    expect(checkArguments('{"a": 1}', schema('get-sum'))).toEqual({
      ok: false,
      problems: [{ kind: 'missing', property: 'b' }],
    });
    expect(checkArguments('[1]', schema('echo'))).toEqual({ ok: false, problems: [{ kind: 'notObject' }] });
    expect(checkArguments('{message: 1}', schema('echo'))).toMatchObject({
      ok: false,
      problems: [{ kind: 'notJson' }],
    });
    const checked = checkArguments('{"a": 2, "b": 3}', schema('get-sum'));
    expect(checked).toEqual({ ok: true, value: { a: 2, b: 3 } });
    if (checked.ok) {
      const result = await s.core.tools.call('everything', 'get-sum', checked.value);
      expect(JSON.stringify(result.content)).toContain('5');
    }
  });
});

describe("HubDesk's own tools", () => {
  it('"run without asking" is kept per tool, across a restart, and the approval follows it', async () => {
    const s = await stack();
    const builtin = await ok<{ tools: { name: string }[]; autoApprove: string[] }>(s, 'tools.builtin', {});
    expect(builtin.tools.map((tool) => tool.name)).toContain('search_library');
    expect(builtin.autoApprove).toEqual([]);
    expect(await ok(s, 'tools.setBuiltinAutoApprove', { tool: 'search_library', auto: true })).toMatchObject({
      autoApprove: ['search_library'],
    });
    expect(await s.core.router.dispatch('tools.setBuiltinAutoApprove', { tool: 'nope', auto: true })).toEqual(
      {
        ok: false,
        error: {
          kind: 'not_found',
          field: 'tool',
          message: 'HubDesk has no tool named "nope".',
          reason: { code: 'mcpNoBuiltinTool', values: { tool: 'nope' } },
        },
      },
    );
    // "Try it" runs them by hand like any server's.
    const tried = await ok<{ content: { text: string }[] }>(s, 'tools.call', {
      name: 'hubdesk',
      tool: 'list_videos',
      callId: 'try-builtin',
    });
    expect(tried.content[0]?.text).toContain('No videos');
    // The chat's approver lets it run without asking anyone.
    const approver = s.core.toolRegistry.approverFor('ask');
    const request = {
      callId: 'c1',
      server: 'hubdesk',
      tool: 'search_library',
      description: '',
      arguments: {},
    };
    expect(await approver.decide(request, new AbortController().signal)).toEqual({ kind: 'allow' });
    await s.closeCore();

    const again = createCore({
      dataDir: s.dataDir,
      env: {},
      keytar: memoryKeytar(),
      keychainService: 'HubDesk-test',
    });
    try {
      expect(again.tools.isAutoApproved('hubdesk', 'search_library')).toBe(true);
      expect(again.tools.isAutoApproved('hubdesk', 'read_transcript')).toBe(false);
      expect((await again.tools.setBuiltinAutoApprove('search_library', false)).autoApprove).toEqual([]);
      expect(again.tools.isAutoApproved('hubdesk', 'search_library')).toBe(false);
    } finally {
      await again.close();
    }
  });
});
