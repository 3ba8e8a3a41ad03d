/**
 * Tool servers' refusals and sign-in failures carry a reason (issue 18): a code and values the window words in its
 * language, while main's English message stays for the CLI and the log. Through the real service of a core in a
 * temp folder (SQLite, an in-memory keychain) and the real loopback listener of a sign-in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import { mcpEnvAccount } from '../src/main/secrets/mcp-env-store';
import { mcpHeaderAccount } from '../src/main/secrets/mcp-header-store';
import { signInPages } from '../src/main/services/tools/mcp-sign-in';
import { listenForRedirect } from '../src/main/services/tools/oauth-redirect-listener';
import { reasonText } from '../src/renderer/src/hub';
import { i18next } from '../src/renderer/src/i18n';
import type { AppError } from '../src/shared/errors';
import { ManualClock } from './support/manual-clock';
import { memoryKeytar } from './support/memory-keytar';
import { tempCoresPerTest } from './support/temp-cores';

const temp = tempCoresPerTest();
const SERVICE = 'HubDesk-test-tool-reasons';
/** Nothing listens on the discard port of 127.0.0.1: a connection there is refused at once. */
const CLOSED_URL = 'http://127.0.0.1:9/mcp';

afterEach(async () => {
  await i18next.changeLanguage('en');
});

async function core(): Promise<{ core: Core; keytar: ReturnType<typeof memoryKeytar> }> {
  const keytar = memoryKeytar();
  const opened = createCore({
    dataDir: await temp.tempDir('hubdesk-tool-reasons-'),
    env: {},
    keytar,
    keychainService: SERVICE,
  });
  temp.defer(() => opened.close());
  return { core: opened, keytar };
}

/** The `AppError` a promise rejects with (a HubError's `info`). */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, 'it should have been refused').toBeDefined();
  return (error as { info: AppError }).info;
}

async function add(c: Core, name: string, transport: unknown): Promise<void> {
  expect(await c.router.dispatch('tools.addServer', { name, transport })).toMatchObject({ ok: true });
}

describe('tool servers’ settings: refusals carry a reason', () => {
  it('a name taken (adding or renaming, any case), a server or tool that does not exist', async () => {
    const { core: c } = await core();
    const stdio = { type: 'stdio', command: process.execPath };
    await add(c, 'docs', stdio);
    await add(c, 'notes', stdio);

    const again = await c.router.dispatch('tools.addServer', { name: 'DOCS', transport: stdio });
    expect(again).toMatchObject({
      ok: false,
      error: {
        kind: 'invalid_input',
        field: 'name',
        message: 'name: an MCP server named "DOCS" already exists.',
        reason: { code: 'mcpServerExists', values: { server: 'DOCS' } },
      },
    });
    const renamed = await c.router.dispatch('tools.updateServer', {
      name: 'notes',
      newName: 'docs',
      transport: stdio,
    });
    expect(renamed).toMatchObject({
      ok: false,
      error: { field: 'newName', reason: { code: 'mcpServerExists', values: { server: 'docs' } } },
    });
    expect(c.tools.list().map((server) => server.name)).toEqual(['docs', 'notes']);

    expect(await refusal(c.tools.restart('ghost'))).toMatchObject({
      kind: 'not_found',
      message: 'No MCP server is named "ghost".',
      reason: { code: 'mcpNoServer', values: { server: 'ghost' } },
    });
    expect(await refusal(c.tools.setBuiltinAutoApprove('no_such_tool', true))).toMatchObject({
      kind: 'not_found',
      reason: { code: 'mcpNoBuiltinTool', values: { tool: 'no_such_tool' } },
    });
    let chatRefusal: unknown;
    try {
      c.toolRegistry.providersFor(['gone']);
    } catch (error) {
      chatRefusal = (error as { info: AppError }).info;
    }
    expect(chatRefusal).toMatchObject({
      kind: 'not_found',
      reason: { code: 'mcpChatServerMissing', values: { server: 'gone' } },
    });

    // The window words it: Chinese with the name, not main's English.
    await i18next.changeLanguage('zh-CN');
    expect(reasonText({ code: 'mcpServerExists', values: { server: 'DOCS' } }, 'fallback')).toBe(
      '已有名为“DOCS”的 MCP 服务器。请换一个名称。',
    );
  });

  it('a header or environment variable without a value, or whose value left the keychain', async () => {
    const { core: c, keytar } = await core();
    const header = await c.router.dispatch('tools.addServer', {
      name: 'remote',
      transport: { type: 'http', url: CLOSED_URL, headers: [{ name: 'X-Key' }] },
    });
    expect(header).toMatchObject({
      ok: false,
      error: {
        field: 'headers',
        message: 'headers: the header "X-Key" needs a value (none is stored yet).',
        reason: { code: 'mcpHeaderNeedsValue', values: { name: 'X-Key' } },
      },
    });
    const env = await c.router.dispatch('tools.addServer', {
      name: 'local',
      transport: { type: 'stdio', command: process.execPath, env: { API_KEY: null } },
    });
    expect(env).toMatchObject({
      ok: false,
      error: { field: 'env', reason: { code: 'mcpEnvNeedsValue', values: { name: 'API_KEY' } } },
    });

    await add(c, 'remote', { type: 'http', url: CLOSED_URL, headers: [{ name: 'X-Key', value: 'k-1' }] });
    await add(c, 'local', { type: 'stdio', command: process.execPath, env: { API_KEY: 'k-2' } });
    expect(await keytar.deletePassword(SERVICE, mcpHeaderAccount('remote', 'X-Key'))).toBe(true);
    expect(await keytar.deletePassword(SERVICE, mcpEnvAccount('local', 'API_KEY'))).toBe(true);
    expect(await refusal(c.tools.tools('remote'))).toMatchObject({
      field: 'headers',
      reason: { code: 'mcpHeaderValueMissing', values: { server: 'remote', name: 'X-Key' } },
    });
    expect(await refusal(c.tools.tools('local'))).toMatchObject({
      field: 'env',
      reason: { code: 'mcpEnvValueMissing', values: { server: 'local', name: 'API_KEY' } },
    });

    await i18next.changeLanguage('vi');
    expect(
      reasonText({ code: 'mcpHeaderValueMissing', values: { server: 'remote', name: 'X-Key' } }, 'fallback'),
    ).toBe('Giá trị của header “X-Key” của máy chủ MCP “remote” không còn trong kho khóa. Hãy đặt lại.');
  });
});

describe('signing in to a tool server: failures carry a reason', () => {
  it('refuses servers that cannot sign in, and a sign-in with no browser to open', async () => {
    const { core: c } = await core();
    await add(c, 'local', { type: 'stdio', command: process.execPath });
    await add(c, 'own', {
      type: 'http',
      url: CLOSED_URL,
      headers: [{ name: 'Authorization', value: 'Bearer x' }],
    });
    await add(c, 'remote', { type: 'http', url: CLOSED_URL });
    expect(await refusal(c.tools.signIn('local', () => undefined))).toMatchObject({
      reason: { code: 'mcpSignInStdio', values: { server: 'local' } },
    });
    expect(await refusal(c.tools.signIn('own', () => undefined))).toMatchObject({
      reason: { code: 'mcpSignInOwnHeader', values: { server: 'own' } },
    });
    expect(await refusal(c.tools.signIn('remote'))).toMatchObject({
      message: 'HubDesk cannot open a browser here: sign in with `hubdesk mcp login NAME` instead.',
      reason: { code: 'mcpSignInNoBrowser', values: { server: 'remote' } },
    });
  });

  it('a sign-in to a server that cannot be reached says it was the sign-in that failed', async () => {
    const { core: c } = await core();
    await add(c, 'down', { type: 'http', url: CLOSED_URL });
    const opened: string[] = [];
    const view = await c.tools.signIn('down', (url) => {
      opened.push(url);
    });
    expect(opened).toEqual([]);
    expect(view.status).toBe('needs-sign-in');
    expect(view.error?.reason).toMatchObject({ code: 'mcpSignInFailed', values: { server: 'down' } });
    expect(String(view.error?.reason?.values.detail)).toContain('fetch failed');
  });

  it('the browser’s redirect: refused by the server, not finished in time, cancelled', async () => {
    const clock = new ManualClock();
    const pages = signInPages('en', 'secure');
    const refused = await listenForRedirect({ server: 'secure', clock, timeoutMs: 5 * 60_000, pages });
    const answer = await fetch(
      `${refused.redirectUrl}?state=${refused.state}&error=access_denied&error_description=No+thanks`,
    );
    expect(answer.status).toBe(400);
    expect(await refusal(refused.code)).toMatchObject({
      kind: 'auth',
      code: 'mcp_sign_in_refused',
      reason: { code: 'mcpSignInRefused', values: { server: 'secure', detail: 'access_denied: No thanks' } },
    });
    await refused.close();

    const late = await listenForRedirect({ server: 'secure', clock, timeoutMs: 5 * 60_000, pages });
    clock.advance(5 * 60_000);
    expect(await refusal(late.code)).toMatchObject({
      kind: 'timeout',
      reason: { code: 'mcpSignInTimeout', values: { server: 'secure', minutes: 5 } },
    });
    await late.close();

    const quick = await listenForRedirect({ server: 'secure', clock, timeoutMs: 1500, pages });
    clock.advance(1500);
    expect(await refusal(quick.code)).toMatchObject({
      reason: { code: 'mcpSignInTimeoutMs', values: { server: 'secure', ms: 1500 } },
    });
    await quick.close();

    const dropped = await listenForRedirect({ server: 'secure', clock, timeoutMs: 5 * 60_000, pages });
    await dropped.close();
    expect(await refusal(dropped.code)).toMatchObject({
      kind: 'cancelled',
      reason: { code: 'mcpSignInCancelled', values: { server: 'secure' } },
    });

    await i18next.changeLanguage('zh-CN');
    expect(
      reasonText({ code: 'mcpSignInTimeout', values: { server: 'secure', minutes: 5 } }, 'fallback'),
    ).toBe('登录 MCP 服务器“secure”未在 5 分钟内完成。准备好后请重新登录。');
  });
});
