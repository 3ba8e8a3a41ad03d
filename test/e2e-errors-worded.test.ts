/**
 * Errors main makes, read in the window's language (issue 18): main sends a reason as a code and values, the window
 * words it. In Chinese and Vietnamese: a token the fake proxy refuses (401), no keychain, a file that is not audio,
 * a knowledge file that is not text, pasted MCP JSON that lists no servers, and a video the proxy refuses.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { launchBrowser, screenshot } from './e2e/browser';
import { KnowledgePage } from './e2e/pages/knowledge.page';
import { SettingsPage } from './e2e/pages/settings.page';
import { unreachableKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

const fixtures = join(import.meta.dirname, 'fixtures');
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** An i18next string with its {{values}} filled in, as the window shows it. */
function filled(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}

describe('errors made in main, worded in the window’s language', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  let root: string;
  const pageErrors: string[] = [];

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      await screenshot(page, `failed-errors-worded-${test.task.name.slice(-6)}`);
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
    await rm(root, { recursive: true, force: true });
  });

  for (const language of ['zh-CN', 'vi'] as const satisfies readonly Language[]) {
    it(`says a refused token, a missing keychain, a non-audio file, an unreadable knowledge file and bad MCP JSON in ${language}`, async () => {
      const strings = resources[language] as typeof english;
      const reasons = strings.errors.reasons;
      root = await mkdtemp(join(tmpdir(), 'hubdesk-errors-worded-'));
      stack = await startStack({ keytar: unreachableKeytar(), systemLanguages: [language] });
      const profile = stack.core.settings.activeProfile().id;
      await stack.core.settings.setToken(profile, 'sk-wrong-token-000000', 'session');
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      pageErrors.length = 0;
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(stack.transport.pageUrl);
      const settings = new SettingsPage(page);
      await settings.open(strings.common.nav.settings);

      // 1. No keychain: the warning is worded here, not main's English.
      const warning = page.locator('.notice-warn').filter({ hasText: reasons.keychainMissing });
      await warning.waitFor();
      expect(await warning.textContent()).not.toContain('No system keychain');
      await screenshot(page, `errors-worded-keychain-${language}`, { element: warning });

      // 2. The fake proxy refuses the token (401): the headline, the proxy's own words and the advice.
      await page.getByRole('button', { name: strings.settings.connection.test }).click();
      await expect
        .poll(() => settings.connectionResult.locator('.error-message').textContent())
        .toBe(filled(reasons.http401, { status: 401 }));
      const result = (await settings.connectionResult.textContent()) ?? '';
      expect(result).toContain(
        filled(strings.common.errors.proxySaid, { message: 'Incorrect API key provided.' }),
      );
      expect(result).toContain(strings.common.errors.advice.auth);
      expect(result).not.toContain('The proxy refused');
      expect(result).not.toContain('sk-wrong-token-000000');
      await screenshot(page, `errors-worded-401-${language}`, {
        element: settings.connectionResult.locator('xpath=..'),
      });

      // 3. Pasted MCP JSON without servers, said next to the field.
      const tools = page.getByTestId('tools-section');
      const importForm = tools.locator('form.tool-import-form');
      await importForm.getByLabel(strings.settings.tools.import.label).fill('[]');
      await importForm.getByRole('button', { name: strings.settings.tools.import.submit }).click();
      const fieldError = importForm.locator('.field-error');
      await expect.poll(() => fieldError.textContent()).toBe(reasons.mcpNoServers);
      await screenshot(page, `errors-worded-mcp-import-${language}`, {
        element: importForm.locator('.field'),
      });

      // 4. A file that is not audio, refused before anything is uploaded.
      await page
        .getByRole('navigation')
        .first()
        .getByRole('button', { name: strings.common.nav.transcribe, exact: true })
        .click();
      const zone = page.getByRole('region', { name: strings.transcribe.drop.region });
      await zone.waitFor();
      const base64 = (await readFile(join(fixtures, 'thumbnail.png'))).toString('base64');
      await zone.evaluate((element, data) => {
        const transfer = new DataTransfer();
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], 'notaudio.mp3', { type: 'audio/mpeg' }));
        for (const type of ['dragenter', 'dragover', 'drop'])
          element.dispatchEvent(
            new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
          );
      }, base64);
      const job = page
        .getByRole('list', { name: strings.transcribe.jobs.label })
        .getByRole('listitem')
        .filter({ hasText: 'notaudio.mp3' });
      await expect.poll(() => job.getAttribute('data-state')).toBe('failed');
      const refusal = filled(strings.transcribe.reasons.notAudio, {
        name: 'notaudio.mp3',
        content: strings.transcribe.reasons.content.png,
      });
      await expect.poll(() => job.textContent()).toContain(refusal);
      expect(await job.textContent()).not.toContain('is not an audio or video file');
      await screenshot(page, `errors-worded-not-audio-${language}`, { element: job });

      // 5. A knowledge file that holds binary data: its stored error is worded on the Knowledge page.
      const folder = join(root, 'notes');
      await mkdir(folder);
      await writeFile(join(folder, 'tides.txt'), Buffer.from([0, 159, 146, 150, 0, 1, 2]));
      await writeFile(join(folder, 'keeping.md'), '# Keeping\nTrim the wick at dusk.\n');
      await stack.core.knowledge.addBase('Harbor', [folder]);
      const knowledge = new KnowledgePage(page, language);
      await knowledge.open();
      await knowledge.base('Harbor').click();
      await knowledge.files.waitFor();
      const failed = knowledge.file('tides.txt');
      await expect.poll(() => failed.locator('.kb-file-error').textContent()).toBe(reasons.kbNotText);
      await screenshot(page, `errors-worded-knowledge-file-${language}`, { element: failed });

      // 6. A video the proxy refuses (401 for the wrong token): the failed job's card says why in this language.
      const prompt = 'A lighthouse at dusk';
      const model = stack.core.videos.vendors().find((spec) => spec.vendor === 'kling')?.models[0]?.id ?? '';
      await stack.core.videos
        .create({ vendor: 'kling', model, prompt, options: {} } as never)
        .catch(() => null);
      await expect
        .poll(() => stack.core.videos.list({}).find((job) => job.prompt === prompt)?.status)
        .toBe('failed');
      await page
        .getByRole('navigation')
        .first()
        .getByRole('button', { name: strings.common.nav.videos, exact: true })
        .click();
      const tile = page.getByRole('listitem').filter({ hasText: prompt });
      await tile.getByRole('button').first().click();
      const details = page.locator('section.video-detail');
      await expect
        .poll(() => details.locator('.error-message').first().textContent())
        .toContain(filled(reasons.http401, { status: 401 }));
      expect(await details.textContent()).not.toContain('The proxy refused');
      expect(await details.textContent()).toContain(
        filled(strings.common.errors.proxySaid, { message: 'Authorization is invalid' }),
      );
      await screenshot(page, `errors-worded-video-${language}`, { element: details });

      expect(await page.evaluate('window.hubdeskMissingKeys()')).toEqual([]);
    }, 60_000);
  }
});
