/** `hubdesk mcp …` through the real binary, with the real everything server and an SDK server over HTTP. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binDir, pidsWithEnv } from './support/mcp';
import { type McpHttpServer, startMcpHttpServer } from './support/mcp-http-server';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../bin/hubdesk.js');
const everything = join(binDir, 'mcp-server-everything');
const token = 'cli-mcp-token-5d1e';
const hasKeychain = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS || process.env.CI);

let dataDir: string;
let server: McpHttpServer;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-cli-mcp-'));
  server = await startMcpHttpServer(token);
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function hubdesk(args: string[]) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dataDir,
    HUBDESK_DATA_DIR: dataDir,
  };
  // The keychain of the test session (the private gnome-keyring of /tmp/runtests.sh or .ci/run).
  for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'XDG_DATA_HOME']) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Each command is a fresh process (tsx, the keychain, a server start): on a busy machine one test takes minutes.
describe('hubdesk mcp', { timeout: 180_000 }, () => {
  it('adds a stdio server, lists it, lists its tools, calls one, and removes it; --json everywhere', async () => {
    const mark = `HUBDESK_TEST_MARK=${process.pid}-${Date.now()}`;
    const added = await hubdesk([
      'mcp',
      'add',
      'everything',
      '--env',
      'GREETING=hello there',
      '--env',
      mark,
      '--',
      everything,
    ]);
    expect(added).toEqual({ code: 0, stdout: `Added MCP server "everything": ${everything}\n`, stderr: '' });

    const list = await hubdesk(['mcp', 'list']);
    expect(list.stdout).toBe(`everything  stdio  enabled  ${everything}\n`);
    const listJson = await hubdesk(['mcp', 'list', '--json']);
    expect(JSON.parse(listJson.stdout)).toMatchObject([
      {
        name: 'everything',
        transport: { type: 'stdio', command: everything, envNames: ['GREETING', 'HUBDESK_TEST_MARK'] },
      },
    ]);
    expect(pidsWithEnv(mark)).toEqual([]);

    const tools = await hubdesk(['mcp', 'tools', 'everything']);
    expect(tools.code).toBe(0);
    expect(tools.stdout).toMatch(/^echo {2}Echoes back the input string$/m);
    const toolsJson = await hubdesk(['mcp', 'tools', 'everything', '--json']);
    expect(JSON.parse(toolsJson.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ server: 'everything', name: 'echo' })]),
    );

    const echo = await hubdesk([
      'mcp',
      'call',
      'everything',
      'echo',
      '--args',
      '{"message":"hi from the CLI"}',
    ]);
    expect(echo).toEqual({ code: 0, stdout: 'Echo: hi from the CLI\n', stderr: '' });
    // The server got the env it was given.
    const env = await hubdesk(['mcp', 'call', 'everything', 'get-env', '--json']);
    expect(env.stdout).toContain('hello there');
    const sum = await hubdesk(['mcp', 'call', 'everything', 'get-sum', '--args', '{"a":1,"b":2}', '--json']);
    expect(JSON.parse(sum.stdout)).toMatchObject({ isError: false, content: [{ type: 'text' }] });

    expect(listJson.stdout).not.toContain('hello there');

    const removed = await hubdesk(['mcp', 'remove', 'everything', '--json']);
    expect(removed).toEqual({ code: 0, stdout: '{"removed":true}\n', stderr: '' });
    expect((await hubdesk(['mcp', 'list'])).stdout).toBe(
      'No MCP servers. Add one with: hubdesk mcp add NAME -- COMMAND [ARGS...]\n',
    );
    // Every command stopped the server it started: no process with its environment is left.
    expect(pidsWithEnv(mark)).toEqual([]);
  });

  it('refuses to add a name that is taken, and renames a server with its env values (keychain)', async () => {
    await hubdesk(['mcp', 'add', 'everything', '--env', 'GREETING=hello there', '--', everything]);
    // A name that is taken is refused with what to do instead; a rename keeps the env values (keychain).
    const again = await hubdesk(['mcp', 'add', 'Everything', '--', everything]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(
      'An MCP server named "everything" already exists. Remove it first (hubdesk mcp remove everything), rename it (hubdesk mcp rename everything NEW)',
    );
    const renamed = await hubdesk(['mcp', 'rename', 'everything', 'every-thing']);
    expect(renamed).toEqual({
      code: 0,
      stdout: 'Renamed MCP server "everything" to "every-thing".\n',
      stderr: '',
    });
    expect((await hubdesk(['mcp', 'call', 'every-thing', 'get-env', '--json'])).stdout).toContain(
      'hello there',
    );
    const badRename = await hubdesk(['mcp', 'rename', 'every-thing', 'has space']);
    expect(badRename.stderr).toContain('NEW may hold only letters, digits, - and _');

    await hubdesk(['mcp', 'remove', 'every-thing']);
  });

  it('one-line errors and exit codes: bad JSON, unknown server, a tool error, a missing command, bad input', async () => {
    await hubdesk(['mcp', 'add', 'everything', '--', everything]);
    const badJson = await hubdesk(['mcp', 'call', 'everything', 'echo', '--args', '{message: hi}']);
    expect(badJson.code).toBe(1);
    expect(badJson.stdout).toBe('');
    expect(badJson.stderr.trim().split('\n')).toHaveLength(1);
    expect(badJson.stderr).toMatch(/^hubdesk: invalid_input: --args is not valid JSON: /);
    const notObject = await hubdesk(['mcp', 'call', 'everything', 'echo', '--args', '[1]', '--json']);
    expect(JSON.parse(notObject.stderr)).toMatchObject({
      ok: false,
      error: { kind: 'invalid_input', field: 'args' },
    });

    const unknown = await hubdesk(['mcp', 'tools', 'nosuch']);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/^hubdesk: not_found: No MCP server is named "nosuch"\./);

    const toolError = await hubdesk(['mcp', 'call', 'everything', 'no-such-tool']);
    expect(toolError.code).toBe(1);
    expect(toolError.stdout).toMatch(/not found/);
    expect(toolError.stderr).toBe('hubdesk: the tool "no-such-tool" reported an error (above).\n');

    await hubdesk(['mcp', 'add', 'ghost', '--', 'hubdesk-no-such-server-9c2b', '--flag']);
    const ghost = await hubdesk(['mcp', 'tools', 'ghost', '--json']);
    expect(ghost.code).toBe(1);
    expect(JSON.parse(ghost.stderr)).toMatchObject({
      ok: false,
      error: { kind: 'server', code: 'mcp_command_not_found' },
    });

    const badName = await hubdesk(['mcp', 'add', 'two words', '--', everything]);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/^hubdesk: invalid_input: Name may hold only letters, digits, - and _/);
    const both = await hubdesk(['mcp', 'add', 'x', '--url', 'https://x.dev/mcp', '--', everything]);
    expect(both.stderr).toMatch(/^hubdesk: invalid_input: Give either --url URL or -- COMMAND/);
    const neither = await hubdesk(['mcp', 'add', 'x']);
    expect(neither.stderr).toMatch(/^hubdesk: invalid_input: Give the server: /);
    const help = await hubdesk(['help']);
    expect(help.stdout).toMatch(/^ {2}mcp add NAME -- COMMAND \[ARGS\.\.\.\] \| mcp add NAME --url URL/m);
    const mcpHelp = await hubdesk(['mcp', '--help']);
    expect(mcpHelp.code).toBe(0);
    expect(mcpHelp.stdout).toMatch(/^Usage: hubdesk mcp <command>/);
    const usage = await hubdesk(['mcp']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^Usage: hubdesk mcp <command>/);

    await hubdesk(['mcp', 'remove', 'everything']);
    await hubdesk(['mcp', 'remove', 'ghost']);
    expect((await hubdesk(['mcp', 'remove', 'ghost'])).stderr).toMatch(/^hubdesk: not_found: /);
  });

  it('imports an mcpServers file; a bad one adds nothing and says which entry', async () => {
    const file = join(dataDir, 'claude_desktop_config.json');
    await writeFile(
      file,
      JSON.stringify({
        mcpServers: { everything: { command: everything }, files: { command: 'npx', args: ['-y', 'x'] } },
      }),
    );
    const imported = await hubdesk(['mcp', 'import', file]);
    expect(imported).toEqual({ code: 0, stdout: 'Added 2 MCP servers: everything, files.\n', stderr: '' });
    const again = await hubdesk(['mcp', 'import', file, '--json']);
    const taken = { code: 'mcpNameTaken', values: {} };
    expect(JSON.parse(again.stdout)).toEqual({
      added: [],
      skipped: [
        { name: 'everything', reason: 'a server with this name already exists', why: taken },
        { name: 'files', reason: 'a server with this name already exists', why: taken },
      ],
    });
    await writeFile(file, '{"mcpServers": {"ok": {"command": "x"}, "broken": {"args": []}}}');
    const bad = await hubdesk(['mcp', 'import', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^hubdesk: invalid_input: mcpServers\.broken needs a "command" \(stdio\) or a "url" \(HTTP\)/,
    );
    expect((await hubdesk(['mcp', 'list'])).stdout.trim().split('\n')).toHaveLength(2);
    await hubdesk(['mcp', 'remove', 'everything']);
    await hubdesk(['mcp', 'remove', 'files']);
  });

  it.skipIf(!hasKeychain)(
    'an HTTP server with a header: the value goes to the keychain, the list shows its name only',
    async () => {
      const added = await hubdesk([
        'mcp',
        'add',
        'web',
        '--url',
        `${server.url}/mcp`,
        '--header',
        `Authorization: Bearer ${token}`,
      ]);
      expect(added).toEqual({
        code: 0,
        stdout: `Added MCP server "web": ${server.url}/mcp (headers: Authorization)\n`,
        stderr: '',
      });
      const list = await hubdesk(['mcp', 'list', '--json']);
      expect(list.stdout).not.toContain(token);
      expect(JSON.parse(list.stdout)).toMatchObject([
        { name: 'web', transport: { headerNames: ['Authorization'] } },
      ]);

      const sum = await hubdesk(['mcp', 'call', 'web', 'add', '--args', '{"a":40,"b":2}']);
      expect(sum).toEqual({ code: 0, stdout: '42\n', stderr: '' });
      expect(
        server.requests.filter((request) => request.path === '/mcp').every((request) => request.authorized),
      ).toBe(true);
      expect(await hubdesk(['mcp', 'remove', 'web'])).toMatchObject({ code: 0 });
    },
  );
});
