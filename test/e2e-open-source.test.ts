/**
 * Opening a source at its line in the browser: a code editor picked in Settings (a stand-in script on main's PATH that
 * writes down its arguments), a search hit opened in it at its line, then the message when the file is gone, in
 * Vietnamese on the Knowledge page and in Chinese under a reply's sources.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OpenableSource } from '../src/shared/chat-knowledge';
import { type english, resources } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
import { screenshot } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { KnowledgePage } from './e2e/pages/knowledge.page';
import { browserPerFile, windowPerTest } from './e2e/window-per-test';
import type { Stack } from './support/stack';

const browser = browserPerFile();
const settingsIn = (language: 'en' | 'vi' | 'zh-CN') => (resources[language] as typeof english).settings;

describe.skipIf(process.platform === 'win32')(
  'Opening a source at its line, and when its file is gone',
  () => {
    let root: string;
    let docs: string;
    let argsOut: string;
    const openedBySystem: OpenableSource[] = [];
    // The folders exist before the stack starts (its PATH names the stand-in's folder): this hook runs first.
    beforeEach(async () => {
      root = await mkdtemp(join(tmpdir(), 'hubdesk-e2e-open-source-'));
      docs = join(root, 'docs');
      argsOut = join(root, 'args.txt');
      await mkdir(join(root, 'bin'));
      await mkdir(docs);
      await writeFile(join(docs, 'market.md'), '# Market\n\n## Prices\nBananas cost two euros a kilo.\n');
      const code = join(root, 'bin', 'code');
      await writeFile(code, '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$EDITOR_ARGS_OUT"\n');
      await chmod(code, 0o755);
    });
    const app = windowPerTest(browser, {
      failedName: 'failed-open-source',
      stack: () => {
        openedBySystem.length = 0;
        return {
          env: { PATH: join(root, 'bin'), EDITOR_ARGS_OUT: argsOut },
          openSource: (source) => {
            openedBySystem.push(source);
          },
        };
      },
      prepare: async (stack) => {
        await stack.core.knowledge.addBase('Groceries', [docs]);
      },
      cleanup: () => rm(root, { recursive: true, force: true }),
    });
    let stack: Stack;
    let page: Page;

    beforeEach(async () => {
      ({ stack, page } = app);
    });

    it('picks VS Code in Settings, opens a hit at its line in it, and says in Vietnamese that a gone file is gone', {
      timeout: 120_000,
    }, async () => {
      const strings = settingsIn('en').sourceEditor;
      await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
      const section = page.getByRole('region', { name: strings.title, exact: true });
      const select = section.getByLabel(strings.label);
      await expect
        .poll(() => select.locator('option').allTextContents())
        .toEqual([strings.system, 'Visual Studio Code', strings.custom]);
      await select.selectOption({ label: 'Visual Studio Code' });
      await section.getByText(strings.saved).waitFor();
      expect(stack.core.sourceOpening.choice()).toEqual({ kind: 'editor', editor: 'vscode' });
      expect(await seriousViolations(page)).toEqual([]);
      await section.scrollIntoViewIfNeeded();
      await screenshot(page, 'open-source-settings-en', { element: section });

      // A custom command without {file} is refused, in words.
      await select.selectOption({ label: strings.custom });
      await section.getByLabel(strings.command, { exact: true }).fill('myeditor --line {line}');
      await section.getByRole('button', { name: strings.save }).click();
      await section.getByText('The command needs {file} among its arguments, where the file goes.').waitFor();
      await screenshot(page, 'open-source-settings-custom-en', { element: section });
      await select.selectOption({ label: 'Visual Studio Code' });
      await section.getByText(strings.saved).waitFor();

      const knowledge = new KnowledgePage(page);
      await knowledge.open();
      await knowledge.base('Groceries').click();
      await knowledge.searchBox.fill('bananas');
      const hit = knowledge.hits.first();
      await hit.waitFor();
      await hit.getByRole('button', { name: 'market.md' }).click();
      await expect
        .poll(async () => (await readFile(argsOut, 'utf8').catch(() => '')).split('\n'), { timeout: 10_000 })
        .toEqual(['--goto', `${join(docs, 'market.md')}:3`, '']);
      expect(openedBySystem).toEqual([]);

      await rm(join(docs, 'market.md'));
      stack.core.language.set('vi');
      const vi = new KnowledgePage(page, 'vi');
      await page.getByRole('heading', { level: 1, name: vi.strings.title }).waitFor();
      const hitInVi = vi.hits.first();
      await hitInVi.getByRole('button', { name: 'market.md' }).click();
      const note = hitInVi.getByRole('status');
      await expect
        .poll(() => note.textContent())
        .toBe(`${join(docs, 'market.md')} không còn ở đó: tệp đã bị di chuyển, đổi tên hoặc xóa.`);
      await screenshot(page, 'open-source-gone-vi', { fullPage: false });
    });

    it('says under a reply’s sources, in Chinese, that a cited file is gone', {
      timeout: 120_000,
    }, async () => {
      const chat = new ChatPage(page);
      await chat.open();
      await chat.useKnowledgeBase('Groceries');
      await chat.send('bananas');
      await chat.waitForStatus(chat.lastAssistant(), 'complete');
      const reply = page.locator('article[data-role="assistant"]').last();
      await reply.getByTestId('citation').first().waitFor();

      await rm(join(docs, 'market.md'));
      stack.core.language.set('zh-CN');
      const sources = reply.getByTestId('sources');
      await sources.getByRole('heading', { name: '来源' }).waitFor();
      await reply.getByTestId('citation').first().click();
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: '已不在原处' }).textContent())
        .toBe(`${join(docs, 'market.md')} 已不在原处：文件已被移动、重命名或删除。`);
      expect(openedBySystem).toEqual([]);
      await screenshot(page, 'open-source-gone-zh-CN', { fullPage: false });
    });
  },
);
