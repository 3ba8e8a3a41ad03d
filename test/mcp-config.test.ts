/** MCP server settings: what the contract refuses (with the field), the pasted `mcpServers` JSON, the table. */
import { afterEach, describe, expect, it } from 'vitest';
import { toolResultOf } from '../src/main/services/tools/mcp-result';
import { readMcpServersJson } from '../src/shared/mcp-import';
import { type McpTestCore, mcpCore } from './support/mcp';

let open: McpTestCore[] = [];
afterEach(async () => {
  await Promise.allSettled(open.map((stack) => stack.close()));
  open = [];
});

async function stack(): Promise<McpTestCore> {
  const created = await mcpCore();
  open.push(created);
  return created;
}

const stdio = (command: string) => ({ type: 'stdio', command });

describe('MCP server settings', () => {
  it('refuses an invalid server with invalid_input naming the field, and stores nothing', async () => {
    const s = await stack();
    const cases: [unknown, string, RegExp][] = [
      [{ name: 'has space', transport: stdio('x') }, 'name', /^Name may hold only letters, digits, - and _/],
      [{ name: 'hubdesk', transport: stdio('x') }, 'name', /HubDesk's own/],
      [{ name: 'a', transport: stdio('  ') }, 'transport.command', /^Command must not be empty/],
      [
        { name: 'a', transport: { type: 'http', url: 'ftp://example.com/mcp' } },
        'transport.url',
        /^URL must be an http\(s\) URL/,
      ],
      [
        { name: 'a', transport: { type: 'http', url: 'https://user:pw@example.com/mcp' } },
        'transport.url',
        /without a user name or password/,
      ],
      [
        {
          name: 'a',
          transport: { type: 'http', url: 'https://x.dev', headers: [{ name: 'Bad Header', value: 'v' }] },
        },
        'transport.headers.0.name',
        /is not a valid HTTP header name/,
      ],
      [
        { name: 'a', transport: { type: 'stdio', command: 'x', env: { '1BAD': 'v' } } },
        'transport.env.1BAD',
        /environment variable name/,
      ],
      [{ name: 'a', transport: { type: 'websocket', url: 'ws://x' } }, 'transport.type', /./],
    ];
    for (const [request, field, message] of cases) {
      const result = await s.core.router.dispatch('tools.addServer', request);
      expect(result, JSON.stringify(request)).toMatchObject({
        ok: false,
        error: { kind: 'invalid_input', field },
      });
      if (!result.ok) expect(result.error.message).toMatch(message);
    }
    expect(s.core.tools.list()).toEqual([]);
  });

  it('a name is unique regardless of case; an unknown name is not_found', async () => {
    const s = await stack();
    expect(
      await s.core.router.dispatch('tools.addServer', { name: 'Files', transport: stdio('x') }),
    ).toMatchObject({
      ok: true,
    });
    expect(await s.core.router.dispatch('tools.addServer', { name: 'files', transport: stdio('y') })).toEqual(
      {
        ok: false,
        error: {
          kind: 'invalid_input',
          field: 'name',
          message: 'name: an MCP server named "files" already exists.',
          reason: { code: 'mcpServerExists', values: { server: 'files' } },
        },
      },
    );
    expect(await s.core.router.dispatch('tools.restart', { name: 'nope' })).toEqual({
      ok: false,
      error: {
        kind: 'not_found',
        field: 'name',
        message: 'No MCP server is named "nope".',
        reason: { code: 'mcpNoServer', values: { server: 'nope' } },
      },
    });
    expect(await s.core.router.dispatch('tools.removeServer', { name: 'nope' })).toEqual({
      ok: true,
      value: { removed: false },
    });
    expect(s.core.tools.list().map((server) => server.transport)).toEqual([
      { type: 'stdio', command: 'x', args: [], envNames: [], cwd: null },
    ]);
  });

  it('imports the mcpServers JSON other clients use: stdio and HTTP, disabled and auto-approved kept, taken names skipped', async () => {
    const s = await stack();
    await s.core.router.dispatch('tools.addServer', { name: 'github', transport: stdio('already-here') });
    const json = JSON.stringify({
      mcpServers: {
        filesystem: {
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
          env: { LOG_LEVEL: 'debug' },
          autoApprove: ['read_file'],
        },
        remote: {
          url: 'https://mcp.example.com/mcp',
          headers: { Authorization: 'Bearer abc' },
          disabled: true,
        },
        github: { command: 'docker', args: ['run', 'ghcr.io/github/github-mcp-server'] },
      },
    });
    expect(await s.core.router.dispatch('tools.importJson', { json })).toEqual({
      ok: true,
      value: {
        added: ['filesystem', 'remote'],
        skipped: [
          {
            name: 'github',
            reason: 'a server with this name already exists',
            why: { code: 'mcpNameTaken', values: {} },
          },
        ],
      },
    });
    expect(s.core.tools.list()).toMatchObject([
      { name: 'github', transport: { command: 'already-here' } },
      {
        name: 'filesystem',
        enabled: true,
        autoApprove: ['read_file'],
        transport: {
          type: 'stdio',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
          envNames: ['LOG_LEVEL'],
        },
      },
      { name: 'remote', enabled: false, transport: { type: 'http', headerNames: ['Authorization'] } },
    ]);
    expect(JSON.stringify(s.core.tools.list())).not.toContain('Bearer abc');
  });

  it('refuses a paste that is not JSON, has no mcpServers, or has one bad entry, and adds none of it', async () => {
    const s = await stack();
    const refusals: [string, string, RegExp][] = [
      ['{"mcpServers": {', 'json', /^json is not valid JSON: /],
      ['{"servers": 3}', 'json', /must be an object with "mcpServers"/],
      [
        '{"mcpServers": {"ok": {"command": "x"}, "bad": {"args": ["y"]}}}',
        'mcpServers.bad',
        /^mcpServers\.bad needs a "command" \(stdio\) or a "url" \(HTTP\)$/,
      ],
      [
        '{"mcpServers": {"ok": {"command": "x"}, "web": {"url": "file:///etc"}}}',
        'mcpServers.web.url',
        /http\(s\) URL/,
      ],
      ['{"mcpServers": {"has space": {"command": "x"}}}', 'mcpServers.has space.name', /letters, digits/],
    ];
    for (const [json, field, message] of refusals) {
      const result = await s.core.router.dispatch('tools.importJson', { json });
      expect(result, json).toMatchObject({ ok: false, error: { kind: 'invalid_input', field } });
      if (!result.ok) expect(result.error.message).toMatch(message);
    }
    expect(s.core.tools.list()).toEqual([]);
    expect(readMcpServersJson('{"servers": {"a": {"command": "x", "alwaysAllow": ["t"]}}}')).toMatchObject({
      ok: true,
      servers: [{ name: 'a', autoApprove: ['t'], transport: { command: 'x' } }],
    });
  });

  it('keeps header values only in the keychain: a header without a value must already be stored', async () => {
    const s = await stack();
    const result = await s.core.router.dispatch('tools.addServer', {
      name: 'web',
      transport: { type: 'http', url: 'https://mcp.example.com/mcp', headers: [{ name: 'X-Api-Key' }] },
    });
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'invalid_input',
        field: 'headers',
        message: 'headers: the header "X-Api-Key" needs a value (none is stored yet).',
        reason: { code: 'mcpHeaderNeedsValue', values: { name: 'X-Api-Key' } },
      },
    });
    const rows = s.core.db.prepare('SELECT name, transport, config FROM mcp_servers').all();
    expect(rows).toEqual([]);
    await s.core.router.dispatch('tools.addServer', {
      name: 'web',
      transport: {
        type: 'http',
        url: 'https://mcp.example.com/mcp',
        headers: [{ name: 'X-Api-Key', value: 'k-123' }],
      },
    });
    expect(s.core.db.prepare('SELECT name, transport, config FROM mcp_servers').all()).toEqual([
      {
        name: 'web',
        transport: 'http',
        config: JSON.stringify({ url: 'https://mcp.example.com/mcp', headerNames: ['X-Api-Key'] }),
      },
    ]);
  });
});

describe('tool results', () => {
  it("maps every MCP content block to the loop's", () => {
    expect(
      toolResultOf({
        content: [
          { type: 'text', text: 'a' },
          { type: 'image', mimeType: 'image/png', data: 'iVBO' },
          { type: 'audio', mimeType: 'audio/wav', data: 'UklG' },
          { type: 'resource_link', uri: 'file:///a.txt', name: 'a', mimeType: 'text/plain' },
          { type: 'resource', resource: { uri: 'file:///b.txt', text: 'bee' } },
          {
            type: 'resource',
            resource: { uri: 'file:///c.bin', blob: 'AAAA', mimeType: 'application/octet-stream' },
          },
        ],
        structuredContent: { answer: 42 },
      }),
    ).toEqual({
      content: [
        { type: 'text', text: 'a' },
        { type: 'image', mimeType: 'image/png', data: 'iVBO' },
        { type: 'audio', mimeType: 'audio/wav', data: 'UklG' },
        { type: 'resource', uri: 'file:///a.txt', mimeType: 'text/plain' },
        { type: 'resource', uri: 'file:///b.txt', text: 'bee' },
        {
          type: 'resource',
          uri: 'file:///c.bin',
          mimeType: 'application/octet-stream',
          text: '[binary resource, 3 bytes]',
        },
      ],
      structuredContent: { answer: 42 },
      isError: false,
    });
  });

  it('a heavy result keeps what fits from the start and says what it left out', () => {
    const cut = toolResultOf(
      {
        content: [
          { type: 'text', text: 'é'.repeat(30) },
          { type: 'image', mimeType: 'image/png', data: 'x'.repeat(100) },
          { type: 'text', text: 'tail' },
        ],
        structuredContent: { big: 'y'.repeat(100) },
        isError: true,
      },
      41,
    );
    expect(cut.isError).toBe(true);
    expect(cut.structuredContent).toBeUndefined();
    // 41 bytes hold 20 two-byte characters; the half character is not kept.
    expect(cut.content).toEqual([
      { type: 'text', text: 'é'.repeat(20) },
      {
        type: 'text',
        text: expect.stringMatching(
          /^\[HubDesk cut this result: it was 0\.0 MB, .*; 2 parts \(pictures, sounds or text\) left out; the structured content was left out\.\]$/,
        ),
      },
    ]);
  });
});
