/** Documents in the composer, in Chromium against the real services: chips, estimate, the over-context warning. */
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { screenshot } from './e2e/browser';
import { browserPerFile, openWindow, signedInStack } from './e2e/window-per-test';
import { pdfWithoutText, pdfWithPages } from './support/documents';
import type { Stack } from './support/stack';

const browser = browserPerFile();

/** 4,096 tokens: a few pages of text are already too much for it. */
const SMALL_MODEL = 'gpt-3.5-turbo-0613';
/** How the window names it. */
const SMALL_MODEL_NAME = 'GPT-3.5 Turbo (0613)';

describe('Documents in the chat composer', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  afterEach(async (context_) => {
    if (context_.task.result?.state === 'fail') {
      await screenshot(page, `failed-${context_.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
    }
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  /** The chat open on a new conversation with the small model, the window in `language`. */
  async function openChat(language: Language) {
    const strings = resources[language] as typeof english;
    stack = await signedInStack({ systemLanguages: [language] });
    pageErrors.length = 0;
    ({ context, page } = await openWindow(browser(), stack, pageErrors));
    await page
      .getByRole('navigation')
      .first()
      .getByRole('button', { name: strings.common.nav.chat, exact: true })
      .click();
    await page.getByRole('button', { name: strings.chat.sidebar.newChat }).first().click();
    const composer = page.getByLabel(strings.chat.composer.label, { exact: true });
    await composer.waitFor();
    const settings = page.getByRole('button', { name: strings.chat.header.settings, exact: true });
    await settings.click();
    await page.getByLabel(strings.chat.settings.model, { exact: true }).selectOption(SMALL_MODEL);
    await settings.click();
    await page.locator(`.chat-header .model-chip[title$=" · ${SMALL_MODEL}"]`).waitFor();
    return { strings, composer, chips: page.getByRole('list', { name: strings.chat.documents.attached }) };
  }

  async function pickFiles(files: { name: string; mimeType: string; buffer: Buffer }[]) {
    await page.locator('.composer input[type="file"]').setInputFiles(files);
  }

  const fruitPdf = async () => ({
    name: 'fruit.pdf',
    mimeType: 'application/pdf',
    buffer: await pdfWithPages([['Apricots grow on page one'], ['Bananas ripen on page two']]),
  });
  /** About 6,000 tokens of plain text: more than the small model's 4,096. */
  const longNotes = {
    name: 'long-notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('The harvest notes go on and on. '.repeat(750)),
  };

  it('shows each document as a chip with its estimate, warns over the context, and sends them with the message', async () => {
    const { composer, chips } = await openChat('en');
    await pickFiles([await fruitPdf(), longNotes]);

    const pdfChip = chips.getByRole('listitem').filter({ hasText: 'fruit.pdf' });
    await expect.poll(() => pdfChip.textContent()).toMatch(/fruit\.pdf2 pages · about \d+ tokens/);
    await expect
      .poll(() => chips.getByRole('listitem').filter({ hasText: 'long-notes.txt' }).textContent())
      .toMatch(/about 6,000 tokens/);
    const warning = page.getByTestId('context-warning');
    await expect
      .poll(() => warning.textContent())
      .toContain(`more than ${SMALL_MODEL_NAME} can read at once (4,096)`);
    expect(await warning.textContent()).toContain('Remove a file, or add the files to a knowledge base');
    await screenshot(page, 'chat-documents-over-context-en', { element: page.locator('.composer') });

    // Files dropped that HubDesk cannot read say so by name; the others stay.
    const scan = [...(await pdfWithoutText())];
    const dropped = await page.evaluateHandle((scanBytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['MZ'], 'setup.exe', { type: 'application/octet-stream' }));
      transfer.items.add(new File([new Uint8Array(scanBytes)], 'scan.pdf', { type: 'application/pdf' }));
      return transfer;
    }, scan);
    await page.locator('.composer').dispatchEvent('drop', { dataTransfer: dropped });
    const notice = page.locator('.composer-notice');
    await expect.poll(() => notice.textContent()).toContain('setup.exe can’t go with a message');
    expect(await notice.textContent()).toContain('scan.pdf has no text layer: it looks like a scan');
    expect(await chips.getByRole('listitem').count()).toBe(2);
    await screenshot(page, 'chat-documents-problems-en', { element: page.locator('.composer') });

    // Remove (×) is reachable from the keyboard; without the long file the message fits and the estimate says so.
    const remove = page.getByRole('button', { name: 'Remove long-notes.txt' });
    await remove.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => chips.getByRole('listitem').count()).toBe(1);
    expect(await warning.count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('context-estimate').textContent())
      .toMatch(/about \d+ tokens of the 4,096 GPT-3\.5 Turbo \(0613\) can read at once/);

    await composer.fill('What ripens on page two?');
    await composer.press('Enter');
    const sent = page.locator('article[data-role="user"]').last();
    await expect.poll(() => sent.textContent()).toContain('What ripens on page two?');
    const sentChips = sent.getByRole('list', { name: 'Documents sent with this message' });
    await expect.poll(() => sentChips.textContent()).toMatch(/fruit\.pdf2 pages · about \d+ tokens/);
    expect(await page.locator('.composer .document-chip').count()).toBe(0);
    await page.locator('article[data-role="assistant"][data-status="complete"]').last().waitFor();

    const request = stack.proxy.requests.filter((r) => r.path.startsWith('/v1/chat/completions')).at(-1);
    const body = request?.json as { messages: { content: { text?: string }[] }[] } | undefined;
    const parts = body?.messages.at(-1)?.content;
    expect(parts?.[0]?.text).toMatch(/^Document: fruit\.pdf, 2 pages\n[\s\S]*Bananas ripen on page two/);
    expect(parts?.[1]?.text).toBe('What ripens on page two?');

    // Opened again (a new window on the same data), the sent message still shows its document.
    await page.reload();
    await page.getByRole('navigation').first().getByRole('button', { name: 'Chat', exact: true }).click();
    await page
      .getByRole('button', { name: /What ripens on page two/ })
      .first()
      .click();
    const reopened = page.locator('article[data-role="user"]').last();
    await expect
      .poll(() => reopened.getByRole('list', { name: 'Documents sent with this message' }).textContent())
      .toContain('fruit.pdf');
    await screenshot(page, 'chat-documents-sent-en');
  });

  it('counts the conversation so far: a document that fits alone is over the context after a long exchange', {
    timeout: 120_000,
  }, async () => {
    const { composer, chips } = await openChat('en');
    // About 1,500 tokens out and, echoed, about 1,500 back: the next request starts at ~3,000 of the 4,096.
    await composer.fill('The harvest notes go on and on. '.repeat(190));
    await composer.press('Enter');
    // The long message fills the thread: the reply is known done by the list's preview of it.
    await expect
      .poll(() => page.getByRole('navigation', { name: 'Conversations' }).textContent(), { timeout: 60_000 })
      .toContain('Echo: The harvest');

    await pickFiles([await fruitPdf()]);
    await expect.poll(() => chips.getByRole('listitem').count()).toBe(1);
    await expect
      .poll(() => page.getByTestId('context-estimate').textContent())
      .toMatch(
        /this message is about \d+ tokens; with the conversation so far, about 3,\d{3} of the 4,096 GPT-3\.5 Turbo \(0613\) can read at once/,
      );

    const notes = {
      ...longNotes,
      name: 'notes.txt',
      buffer: Buffer.from('The harvest notes go on and on. '.repeat(190)),
    };
    await pickFiles([notes]);
    const warning = page.getByTestId('context-warning');
    await expect
      .poll(() => warning.textContent())
      .toContain(`more than ${SMALL_MODEL_NAME} can read at once (4,096)`);
    expect(await warning.textContent()).toContain('start a new chat for these files');
    await screenshot(page, 'chat-documents-with-conversation-en', { element: page.locator('.composer') });
  });

  it('cuts a long file name in its middle: the kind of file stays in view', async () => {
    const { chips } = await openChat('en');
    const name = `${'quarterly-report-of-the-northern-harbour-works-'.repeat(3)}final.pdf`;
    await pickFiles([{ ...(await fruitPdf()), name }]);
    const chip = chips.getByRole('listitem');
    await expect.poll(() => chip.textContent()).toMatch(/2 pages/);
    const box = await chip.boundingBox();
    const extension = chip.locator('.document-chip-extension');
    expect(await extension.textContent()).toBe('.pdf');
    const shown = await extension.boundingBox();
    expect(box && shown && shown.x + shown.width <= box.x + box.width).toBe(true);
    expect(await chip.locator('.document-chip-name').getAttribute('title')).toBe(name);
  });

  for (const language of ['zh-CN', 'vi'] as const) {
    it(`says the chips, the estimate and the warning in the person's language (${language})`, async () => {
      const { strings, composer, chips } = await openChat(language);
      await pickFiles([await fruitPdf(), longNotes]);
      await expect.poll(() => chips.getByRole('listitem').count()).toBe(2);
      const warning = page.getByTestId('context-warning');
      await expect.poll(() => warning.textContent()).toContain(SMALL_MODEL_NAME);
      expect(await warning.textContent()).toContain(strings.chat.documents.overAdvice);
      await expect
        .poll(() => chips.getByRole('listitem').filter({ hasText: 'fruit.pdf' }).textContent())
        .toContain(strings.chat.documents.pages_other.replace('{{count}}', '2'));
      await screenshot(page, `chat-documents-over-context-${language}`, {
        element: page.locator('.composer'),
      });

      await page
        .getByRole('button', { name: strings.chat.documents.remove.replace('{{name}}', 'long-notes.txt') })
        .click();
      await composer.fill('?');
      await composer.press('Enter');
      const sent = page.locator('article[data-role="user"]').last();
      await expect
        .poll(() => sent.getByRole('list', { name: strings.chat.documents.sent }).textContent())
        .toContain('fruit.pdf');
      await page.locator('article[data-role="assistant"][data-status="complete"]').last().waitFor();
      await screenshot(page, `chat-documents-sent-${language}`);
    });
  }
});
