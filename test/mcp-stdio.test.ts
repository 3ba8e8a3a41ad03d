/**
 * MCP servers over stdio, started for real: the reference "everything" and filesystem servers, and a hand-written
 * server that misbehaves on purpose (test/fixtures/mcp/raw-server.mjs). Timeouts are injected short; nothing here
 * measures wall-clock time.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../src/main/core';
import { loginShellPath, mergePaths } from '../src/main/services/tools/mcp-login-path';
import type { McpServerView } from '../src/shared/tools-channels';
import {
  binDir,
  childPids,
  isRunning,
  type McpTestCore,
  mcpCore,
  pidsWithEnv,
  rawServer,
} from './support/mcp';
import { memoryKeytar } from './support/memory-keytar';

const everything = join(binDir, 'mcp-server-everything');
const filesystem = join(binDir, 'mcp-server-filesystem');
const node = process.execPath;

let open: McpTestCore[] = [];
afterEach(async () => {
  await Promise.allSettled(open.map((stack) => stack.close()));
  open = [];
});

async function stack(options: Parameters<typeof mcpCore>[0] = {}): Promise<McpTestCore> {
  const created = await mcpCore(options);
  open.push(created);
  return created;
}

async function invoke(stackOf: McpTestCore, channel: string, request: unknown) {
  return stackOf.core.router.dispatch(channel, request);
}

async function added(stackOf: McpTestCore, request: unknown): Promise<McpServerView> {
  const result = await invoke(stackOf, 'tools.addServer', request);
  expect(result).toMatchObject({ ok: true });
  return (result as { value: McpServerView }).value;
}

describe('MCP servers over stdio', () => {
  it('the everything server: starts only when asked, lists its tools with schemas, and runs them', async () => {
    const s = await stack();
    const view = await added(s, { name: 'everything', transport: { type: 'stdio', command: everything } });
    expect(view).toMatchObject({
      status: 'stopped',
      enabled: true,
      tools: [],
      toolsListed: false,
      error: null,
    });
    expect(childPids()).not.toContain(s.core.tools.provider('everything')?.pid);

    const restarted = await invoke(s, 'tools.restart', { name: 'everything' });
    expect(restarted).toMatchObject({ ok: true, value: { status: 'ready', error: null, toolsListed: true } });
    const ready = (restarted as { value: McpServerView }).value;
    expect(ready.serverInfo?.name).toBeTruthy();
    const echo = ready.tools.find((tool) => tool.name === 'echo');
    expect(echo).toMatchObject({
      server: 'everything',
      description: expect.stringMatching(/echo/i),
      inputSchema: { type: 'object', properties: { message: { type: 'string' } } },
    });
    expect(s.events.some((event) => event.server?.status === 'starting')).toBe(true);
    expect(s.events.at(-1)?.server?.status).toBe('ready');

    expect(
      await invoke(s, 'tools.call', { name: 'everything', tool: 'echo', args: { message: 'hi' } }),
    ).toEqual({
      ok: true,
      value: { content: [{ type: 'text', text: 'Echo: hi' }], isError: false },
    });
    const sum = await s.core.tools.call('everything', 'get-sum', { a: 2, b: 40 });
    expect(JSON.stringify(sum.content)).toContain('42');
    const image = await s.core.tools.call('everything', 'get-tiny-image', {});
    expect(image.content.some((part) => part.type === 'image' && part.mimeType === 'image/png')).toBe(true);
    const structured = await s.core.tools.call('everything', 'get-structured-content', {
      location: 'New York',
    });
    expect(structured.structuredContent).toBeDefined();

    // The server's own refusal is a result the model can read, not a broken provider.
    const unknown = await s.core.tools.call('everything', 'no-such-tool', {});
    expect(unknown.isError).toBe(true);
    expect(JSON.stringify(unknown.content)).toMatch(/-32602|not found/);
    expect(s.core.tools.get('everything').status).toBe('ready');
  });

  it('the filesystem server reads a temp folder and refuses a path outside it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'hubdesk-mcp-fs-'));
    try {
      await writeFile(join(folder, 'note.txt'), 'pricing: 12 € a month\n');
      const s = await stack();
      await added(s, { name: 'files', transport: { type: 'stdio', command: filesystem, args: [folder] } });
      const tools = await s.core.tools.tools('files');
      expect(tools.map((tool) => tool.name)).toEqual(
        expect.arrayContaining(['read_text_file', 'list_directory']),
      );
      const read = await s.core.tools.call('files', 'read_text_file', { path: join(folder, 'note.txt') });
      expect(read).toMatchObject({
        isError: false,
        content: [{ type: 'text', text: 'pricing: 12 € a month\n' }],
      });
      const listing = await s.core.tools.call('files', 'list_directory', { path: folder });
      expect(JSON.stringify(listing.content)).toContain('note.txt');
      const outside = await s.core.tools.call('files', 'read_text_file', { path: '/etc/hostname' });
      expect(outside.isError).toBe(true);
      expect(JSON.stringify(outside.content)).toMatch(/denied|outside|allowed/i);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('a missing command fails in one sentence that names it, and spawns nothing', async () => {
    const s = await stack();
    await added(s, { name: 'ghost', transport: { type: 'stdio', command: 'hubdesk-no-such-server-7f3a' } });
    const before = childPids().length;
    const restarted = (await invoke(s, 'tools.restart', { name: 'ghost' })) as {
      ok: true;
      value: McpServerView;
    };
    expect(restarted.value.status).toBe('failed');
    expect(restarted.value.error).toMatchObject({
      kind: 'server',
      code: 'mcp_command_not_found',
      reason: {
        code: 'mcpCommandNotOnPath',
        values: { server: 'ghost', command: 'hubdesk-no-such-server-7f3a' },
      },
    });
    expect(restarted.value.error?.message).toBe(
      'The MCP server "ghost" cannot start: the command "hubdesk-no-such-server-7f3a" was not found on the PATH of your login shell (or is not executable). Install it, or give its full path.',
    );
    expect(childPids().length).toBe(before);
    const call = await invoke(s, 'tools.call', { name: 'ghost', tool: 'anything', args: {} });
    expect(call).toMatchObject({ ok: false, error: { code: 'mcp_command_not_found' } });
  });

  it('a server that crashes at start: one sentence, and the last lines of its stderr', async () => {
    const s = await stack();
    const script =
      "console.error('loading config'); console.error('error: OPENWEATHER_KEY is not set'); process.exit(3)";
    await added(s, { name: 'crashy', transport: { type: 'stdio', command: node, args: ['-e', script] } });
    const view = ((await invoke(s, 'tools.restart', { name: 'crashy' })) as { value: McpServerView }).value;
    expect(view.status).toBe('failed');
    expect(view.error?.message).toMatch(
      /^The MCP server "crashy" stopped before it finished starting \(MCP -32000: the connection to the server closed\)\./,
    );
    expect(view.error?.message).toContain(
      'Last lines of its stderr: loading config | error: OPENWEATHER_KEY is not set',
    );
    expect(view.stderrTail).toEqual(['loading config', 'error: OPENWEATHER_KEY is not set']);
  });

  it('a server that never answers the handshake times out (connect timeout) and its process is killed', async () => {
    const s = await stack({ mcp: { timeouts: { connectMs: 300 } } });
    const script =
      "process.stderr.write('waiting forever\\n'); process.stdin.resume(); setInterval(() => {}, 60000)";
    await added(s, { name: 'mute', transport: { type: 'stdio', command: node, args: ['-e', script] } });
    const before = childPids();
    const view = ((await invoke(s, 'tools.restart', { name: 'mute' })) as { value: McpServerView }).value;
    expect(view.status).toBe('failed');
    expect(view.error).toMatchObject({ kind: 'timeout', code: 'mcp_connect_timeout' });
    expect(view.error?.message).toBe(
      'The MCP server "mute" did not start and answer the handshake within 300 ms (connect timeout). Last lines of its stderr: waiting forever',
    );
    await expect.poll(() => childPids().filter((pid) => !before.includes(pid))).toEqual([]);
  });

  it('list and call have their own timeouts, and the message names which', async () => {
    const s = await stack({ mcp: { timeouts: { listMs: 200, callMs: 200 } } });
    await added(s, {
      name: 'nolist',
      transport: { type: 'stdio', command: node, args: [rawServer, 'no-list'] },
    });
    await added(s, {
      name: 'nocall',
      transport: { type: 'stdio', command: node, args: [rawServer, 'no-call'] },
    });
    const list = await invoke(s, 'tools.restart', { name: 'nolist' });
    expect(list).toMatchObject({
      ok: true,
      value: { status: 'ready', error: { kind: 'timeout', code: 'mcp_list_timeout' } },
    });
    expect((list as { value: McpServerView }).value.error?.message).toMatch(
      /^The MCP server "nolist" did not list its tools within 200 ms \(list timeout\)\./,
    );
    const call = await invoke(s, 'tools.call', { name: 'nocall', tool: 'hang', args: {} });
    expect(call).toMatchObject({ ok: false, error: { kind: 'timeout', code: 'mcp_call_timeout' } });
    expect((call as { error: { message: string } }).error.message).toMatch(
      /^The MCP server "nocall" did not run the tool within 200 ms \(call timeout\)\./,
    );
    // A cancelled call is `cancelled`, not a timeout.
    const stop = new AbortController();
    const pending = s.core.tools.call('nocall', 'hang', {}, stop.signal);
    stop.abort();
    await expect(pending).rejects.toMatchObject({ info: { kind: 'cancelled' } });
  });

  it('a result of 10 MB is cut, with a note, and the server stays usable', async () => {
    const s = await stack({ mcp: { maxResultBytes: 64 * 1024 } });
    await added(s, { name: 'raw', transport: { type: 'stdio', command: node, args: [rawServer] } });
    const result = await s.core.tools.call('raw', 'big', {});
    expect(result.content).toHaveLength(2);
    const [kept, note] = result.content;
    expect(kept).toEqual({ type: 'text', text: 'x'.repeat(64 * 1024) });
    expect(note).toEqual({
      type: 'text',
      text: '[HubDesk cut this result: it was 10.0 MB, more than the 0.1 MB a tool result may be; what fits is kept from the start.]',
    });
    expect(s.core.tools.get('raw').status).toBe('ready');
  });

  it('a server that dies while in use is failed, with its last stderr line, and a restart brings it back', async () => {
    const s = await stack();
    await added(s, { name: 'raw', transport: { type: 'stdio', command: node, args: [rawServer] } });
    await s.core.tools.tools('raw');
    const firstPid = s.core.tools.provider('raw')?.pid;
    expect(firstPid).toBeGreaterThan(0);
    const died = await invoke(s, 'tools.call', { name: 'raw', tool: 'die', args: {} });
    expect(died).toMatchObject({ ok: false, error: { kind: 'server' } });
    await expect.poll(() => s.core.tools.get('raw').status).toBe('failed');
    const failed = s.core.tools.get('raw');
    expect(failed.error?.message).toMatch(/^The MCP server "raw" stopped: its process ended\./);
    expect(failed.error?.reason).toEqual({ code: 'mcpProcessEnded', values: { server: 'raw' } });
    expect(failed.error?.message).toContain('fatal: the raw server fell over');
    expect(isRunning(firstPid ?? 0)).toBe(false);

    const back = ((await invoke(s, 'tools.restart', { name: 'raw' })) as { value: McpServerView }).value;
    expect(back).toMatchObject({ status: 'ready', error: null });
    expect(s.core.tools.provider('raw')?.pid).not.toBe(firstPid);
  });

  it('closing the core leaves no server process behind', async () => {
    const s = await stack();
    const before = childPids();
    await added(s, { name: 'everything', transport: { type: 'stdio', command: everything } });
    await added(s, { name: 'raw', transport: { type: 'stdio', command: node, args: [rawServer] } });
    // Two callers at once share one start: one process per server.
    await Promise.all([
      s.core.tools.tools('everything'),
      s.core.tools.tools('raw'),
      s.core.tools.tools('raw'),
    ]);
    const pids = [s.core.tools.provider('everything')?.pid, s.core.tools.provider('raw')?.pid] as number[];
    expect(pids.every((pid) => pid > 0 && isRunning(pid))).toBe(true);
    expect(
      childPids()
        .filter((pid) => !before.includes(pid))
        .sort(),
    ).toEqual([...pids].sort());

    await s.closeCore();
    expect(pids.filter(isRunning)).toEqual([]);
    expect(childPids().filter((pid) => !before.includes(pid))).toEqual([]);
  });

  it('a server behind a wrapper (sh -c, npx) that outlives its stdin and SIGTERM is still ended on close', async () => {
    const s = await stack();
    const mark = `HUBDESK_TEST_MARK=${process.pid}-${Date.now()}`;
    // sh runs the server as its child and waits for it; the server ignores the end of stdin and SIGTERM.
    await added(s, {
      name: 'wrapped',
      transport: {
        type: 'stdio',
        command: '/bin/sh',
        args: ['-c', `"${node}" "${rawServer}" stubborn; echo wrapper done`],
        env: { HUBDESK_TEST_MARK: mark.split('=')[1] },
      },
    });
    await s.core.tools.tools('wrapped');
    const started = pidsWithEnv(mark);
    expect(started).toHaveLength(2);
    await s.closeCore();
    expect(started.filter(isRunning)).toEqual([]);
  });

  it('disabling stops the server; enabling starts it; per-tool auto-approve is kept across a restart of HubDesk', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-mcp-keep-'));
    const keytar = memoryKeytar();
    const s = await stack({ dataDir, keytar });
    await added(s, {
      name: 'raw',
      transport: { type: 'stdio', command: node, args: [rawServer] },
      enabled: false,
    });
    expect(s.core.tools.enabledProviders()).toEqual([]);
    const on = await invoke(s, 'tools.setEnabled', { name: 'raw', enabled: true });
    expect(on).toMatchObject({ ok: true, value: { enabled: true, status: 'ready' } });
    expect(s.core.tools.enabledProviders().map((provider) => provider.server)).toEqual(['raw']);
    const pid = s.core.tools.provider('raw')?.pid ?? 0;
    await invoke(s, 'tools.setAutoApprove', { name: 'raw', tool: 'big', auto: true });
    const off = await invoke(s, 'tools.setEnabled', { name: 'RAW', enabled: false });
    expect(off).toMatchObject({
      ok: true,
      value: { enabled: false, status: 'stopped', autoApprove: ['big'] },
    });
    expect(isRunning(pid)).toBe(false);
    await s.closeCore();

    const again = createCore({ dataDir, env: {}, keytar, keychainService: 'HubDesk-test' });
    try {
      expect(again.tools.list()).toMatchObject([
        {
          name: 'raw',
          enabled: false,
          autoApprove: ['big'],
          status: 'stopped',
          transport: { args: [rawServer] },
        },
      ]);
      expect(again.tools.isAutoApproved('raw', 'big')).toBe(true);
      expect(again.tools.isAutoApproved('raw', 'die')).toBe(false);
      expect(await again.router.dispatch('tools.removeServer', { name: 'raw' })).toEqual({
        ok: true,
        value: { removed: true },
      });
      expect(again.tools.list()).toEqual([]);
      const removed: unknown[] = [];
      again.bus.subscribe((event, payload) => removed.push({ event, payload }));
      await again.tools.add({
        name: 'raw',
        transport: { type: 'stdio', command: node, args: [], env: {}, cwd: null },
        enabled: true,
        autoApprove: [],
      });
      await again.tools.remove('RAW');
      expect(removed.at(-1)).toEqual({
        event: 'tools.serverChanged',
        payload: { name: 'raw', server: null },
      });
    } finally {
      await again.close();
    }
  });
});

describe('the login shell PATH', () => {
  it('finds a command only the login shell knows, and falls back when the shell hangs', async () => {
    const home = await mkdtemp(join(tmpdir(), 'hubdesk-mcp-shell-'));
    try {
      const bin = join(home, 'only-in-login-shell');
      await mkdir(bin);
      const server = join(bin, 'my-mcp-server');
      await writeFile(server, `#!/bin/sh\nexec "${node}" "${rawServer}" "$@"\n`);
      await chmod(server, 0o755);
      // A shell whose rc files chatter before the PATH, as real ones do.
      const shell = join(home, 'login-shell');
      await writeFile(
        shell,
        `#!/bin/sh\necho 'Welcome back!'\nprintf '%s' "__HUBDESK_PATH__${bin}:/usr/bin__HUBDESK_PATH__"\n`,
      );
      await chmod(shell, 0o755);
      const hanging = join(home, 'hanging-shell');
      await writeFile(hanging, '#!/bin/sh\nexec sleep 30\n');
      await chmod(hanging, 0o755);

      expect(await loginShellPath({ shell, timeoutMs: 5000, platform: 'linux' })).toBe(`${bin}:/usr/bin`);
      expect(await loginShellPath({ shell: hanging, timeoutMs: 100, platform: 'linux' })).toBeUndefined();
      expect(await loginShellPath({ shell, timeoutMs: 5000, platform: 'win32' })).toBeUndefined();
      expect(mergePaths('/a:/b', '/b:/c')).toBe('/a:/b:/c');
      expect(mergePaths(undefined, '/c')).toBe('/c');

      // The core asks $SHELL (no injected PATH here), and starts a server HubDesk's own PATH lacks.
      const s = await mcpCore({
        env: { PATH: '/usr/bin:/bin', SHELL: shell },
        mcp: { loginPath: undefined },
      });
      open.push(s);
      await added(s, { name: 'login', transport: { type: 'stdio', command: 'my-mcp-server' } });
      expect((await s.core.tools.tools('login')).map((tool) => tool.name)).toContain('big');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
