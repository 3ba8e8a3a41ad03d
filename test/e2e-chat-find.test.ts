/** Find in the open conversation (Ctrl+F) and the viewer for attached images, in Chromium against the real services. */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { MessagesRepo } from '../src/main/store/messages-repo';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
import { launchBrowser, screenshot } from './e2e/browser';
import { newMessage } from './support/builders';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const TITLE = 'Trip notes';
/** Messages between the first exchange and the last: enough that the first is far out of the virtualized list. */
const FILLER = 36;
const LAST = FILLER + 3;

type Strings = typeof english;

/** A photo larger than the window (drawn by Chromium itself), so the viewer has something to fit and zoom. */
async function drawPhoto(page: Page): Promise<Buffer> {
  const dataUrl = (await page.evaluate(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 2400;
    canvas.height = 1600;
    const context = canvas.getContext('2d');
    const sky = context.createLinearGradient(0, 0, 0, 1600);
    sky.addColorStop(0, '#3b82f6');
    sky.addColorStop(1, '#f59e0b');
    context.fillStyle = sky;
    context.fillRect(0, 0, 2400, 1600);
    context.fillStyle = '#14532d';
    context.beginPath();
    context.moveTo(0, 1600);
    context.lineTo(700, 700);
    context.lineTo(1300, 1200);
    context.lineTo(1800, 600);
    context.lineTo(2400, 1600);
    context.fill();
    context.fillStyle = '#ffffff';
    context.font = 'bold 160px sans-serif';
    context.fillText('Ha Long', 160, 300);
    return canvas.toDataURL('image/png');
  })()`)) as string;
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

describe('Find in the conversation and the image viewer', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') {
      await screenshot(page, `failed-find-${test.task.name.slice(0, 30).replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
    }
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  /**
   * A conversation written straight to the SQLite file: the first message carries two images and says "Việt Nam",
   * the reply says it in bold and in a code block, filler follows, and the last exchange adds an image and says it
   * once more. "viet nam" is found 4 times.
   */
  async function seed(photo: Buffer): Promise<void> {
    const core = stack.core;
    const imagesDir = join(core.paths.libraryDir, 'chat-images');
    await mkdir(imagesDir, { recursive: true });
    await writeFile(join(imagesDir, 'ha-long.png'), photo);
    await copyFile(join(import.meta.dirname, 'fixtures/thumbnail.png'), join(imagesDir, 'thumbnail.png'));
    await copyFile(join(import.meta.dirname, 'fixtures/spritesheet.jpg'), join(imagesDir, 'spritesheet.jpg'));
    seedMessages([
      {
        role: 'user',
        text: 'Plan a week in Việt Nam from these photos.',
        images: ['ha-long.png', 'thumbnail.png'],
      },
      {
        role: 'assistant',
        text: '**Viet Nam** in a week:\n\n```ts\nconst country = "Việt Nam";\n```\n\nStart in Hà Nội.',
      },
      ...Array.from({ length: FILLER }, (_, index) => ({
        role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
        text: `Message number ${index}, about the tides of the northern sea.`,
      })),
      { role: 'user', text: 'And this strip of frames?', images: ['spritesheet.jpg'] },
      { role: 'assistant', text: 'Frames from a boat trip in VIỆT NAM.' },
    ]);
  }

  type Seeded = { role: 'user' | 'assistant'; text: string; images?: string[] };

  /** The messages, in one line, as the conversation `TITLE`. */
  function seedMessages(texts: Seeded[]): void {
    const core = stack.core;
    const conversation = core.chat.createConversation({ model: 'gpt-4o' });
    const messages = new MessagesRepo(core.db);
    const conversations = new ConversationsRepo(core.db);
    core.db.transaction(() => {
      let parentId: string | null = null;
      texts.forEach((message, index) => {
        const id = `m${index}`;
        messages.insert(
          newMessage({
            id,
            conversationId: conversation.id,
            parentId,
            role: message.role,
            text: message.text,
            images: (message.images ?? []).map((name) => ({
              path: `chat-images/${name}`,
              mimeType: name.endsWith('.png') ? 'image/png' : 'image/jpeg',
              name,
            })),
            model: message.role === 'assistant' ? 'gpt-4o' : null,
            createdAt: Date.now() - 1_000_000 + index,
          }),
        );
        parentId = id;
      });
      conversations.setActiveLeaf(conversation.id, parentId);
      conversations.update(conversation.id, { title: TITLE });
    })();
  }

  async function open(language: Language, seedConversation?: () => void): Promise<Strings> {
    const strings = resources[language] as Strings;
    stack = await startStack({ keytar: memoryKeytar(), systemLanguages: [language] });
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    // Vietnamese is shown dark (the theme follows the system): its screenshots and axe cover the dark colours.
    context = await browser.newContext({
      viewport: { width: 1280, height: 820 },
      colorScheme: language === 'vi' ? 'dark' : 'light',
    });
    page = await context.newPage();
    pageErrors.length = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    if (seedConversation) seedConversation();
    else await seed(await drawPhoto(page));
    await page
      .getByRole('navigation')
      .first()
      .getByRole('button', { name: strings.common.nav.chat, exact: true })
      .click();
    await page
      .getByRole('navigation', { name: strings.chat.list.label })
      .getByRole('button', { name: new RegExp(TITLE) })
      .click();
    await page.locator('article[data-message-id]').first().waitFor();
    return strings;
  }

  const article = (index: number) => page.locator(`article[data-message-id="m${index}"]`);
  const highlightSize = (name: string) =>
    page.evaluate(`CSS.highlights.get(${JSON.stringify(name)})?.size ?? 0`) as Promise<number>;
  /** The current match: its text, the message it is in, whether it is in a code block and in the window. */
  const currentMatch = () =>
    page.evaluate(`(() => {
      const highlight = CSS.highlights.get('chat-find-current');
      const range = highlight ? [...highlight][0] : undefined;
      if (!range) return null;
      const element = range.startContainer.parentElement;
      const box = range.getBoundingClientRect();
      const scroller = document.querySelector('.message-scroller').getBoundingClientRect();
      return {
        text: range.toString(),
        messageId: element.closest('article').dataset.messageId,
        inCode: element.closest('pre') !== null,
        inView: box.top >= scroller.top && box.bottom <= scroller.bottom,
      };
    })()`) as Promise<{ text: string; messageId: string; inCode: boolean; inView: boolean } | null>;

  for (const language of ['en', 'zh-CN', 'vi'] as const) {
    it(`finds with Ctrl+F across the virtualized thread, then views the images (${language})`, async () => {
      const strings = await open(language);
      await article(LAST).waitFor();
      const find = strings.chat.find;
      const position = (current: number, total: number) =>
        find.position.replace('{{current}}', String(current)).replace('{{total}}', String(total));
      const composer = page.getByRole('textbox', { name: strings.chat.composer.label, exact: true });
      await composer.focus();
      // The first message is far above: the virtualized list has not rendered it.
      expect(await article(0).count()).toBe(0);

      await page.keyboard.press('ControlOrMeta+f');
      const input = page.getByRole('searchbox', { name: find.label });
      await expect.poll(() => input.evaluate((element) => element === document.activeElement)).toBe(true);
      const count = page.getByRole('search', { name: find.label }).locator('.find-count');

      await input.fill('zanzibar');
      await expect.poll(() => count.textContent()).toBe(find.noMatches);

      // Case and accents do not matter; the match in view (the last message) is the current one.
      await input.fill('viet nam');
      await expect.poll(() => count.textContent()).toBe(position(4, 4));
      await expect
        .poll(currentMatch)
        .toMatchObject({ text: 'VIỆT NAM', messageId: `m${LAST}`, inView: true });
      expect(await highlightSize('chat-find')).toBeGreaterThanOrEqual(1);

      // Enter wraps to the first match, far up: the list brings its message and the match is in view.
      await input.press('Enter');
      await expect.poll(() => count.textContent()).toBe(position(1, 4));
      await expect.poll(currentMatch).toMatchObject({ text: 'Việt Nam', messageId: 'm0', inView: true });
      await input.press('Enter');
      await expect.poll(currentMatch).toMatchObject({ text: 'Viet Nam', messageId: 'm1', inCode: false });
      await page.getByRole('button', { name: find.next, exact: true }).click();
      await expect.poll(() => count.textContent()).toBe(position(3, 4));
      // Inside the code block, rendered with syntax highlighting.
      await expect
        .poll(currentMatch)
        .toMatchObject({ text: 'Việt Nam', messageId: 'm1', inCode: true, inView: true });
      // All matches in the rendered messages are painted (the last message is rendered again further down).
      expect(await highlightSize('chat-find')).toBeGreaterThanOrEqual(3);
      await input.press('Shift+Enter');
      await expect.poll(() => count.textContent()).toBe(position(2, 4));
      await page.getByRole('button', { name: find.previous, exact: true }).click();
      await expect.poll(() => count.textContent()).toBe(position(1, 4));
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `chat-find-${language}`, { fullPage: false });

      // Esc closes the bar, clears the highlights and gives the focus back to the message box.
      await input.press('Escape');
      await expect.poll(() => input.count()).toBe(0);
      expect(await highlightSize('chat-find')).toBe(0);
      expect(await composer.evaluate((element) => element === document.activeElement)).toBe(true);

      // The first image opens the viewer, fitted to the window.
      const thumbnail = page.getByRole('button', {
        name: strings.chat.message.viewImage.replace('{{name}}', 'ha-long.png'),
      });
      await thumbnail.click();
      const viewer = page.getByRole('dialog', { name: 'ha-long.png' });
      await viewer.waitFor();
      const words = strings.common.imageViewer;
      const viewerPosition = (current: number) =>
        words.position.replace('{{current}}', String(current)).replace('{{total}}', '3');
      await expect.poll(() => viewer.locator('.image-viewer-position').textContent()).toBe(viewerPosition(1));
      const shown = viewer.getByRole('img', { name: 'ha-long.png' });
      await expect
        .poll(() => shown.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth))
        .toBe(2400);
      const fittedBox = await shown.boundingBox();
      expect(fittedBox && fittedBox.width < 1280 && fittedBox.height < 820).toBe(true);
      const zoom = viewer.locator('.image-viewer-zoom');
      const fittedPercent = Number.parseInt((await zoom.textContent()) ?? '', 10);
      expect(fittedPercent).toBeGreaterThan(10);
      expect(fittedPercent).toBeLessThan(100);

      // Zoom in with the button and the + key; 0 fits again.
      await viewer.getByRole('button', { name: words.zoomIn, exact: true }).click();
      await page.keyboard.press('+');
      await expect
        .poll(async () =>
          Math.abs(Number.parseInt((await zoom.textContent()) ?? '', 10) - fittedPercent * 1.5625),
        )
        .toBeLessThan(1.5);
      await expect
        .poll(async () => (await shown.boundingBox())?.width ?? 0)
        .toBeGreaterThan((fittedBox?.width ?? 0) * 1.5);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `chat-image-viewer-zoomed-${language}`, { fullPage: false });
      // Dragging moves the zoomed image; the wheel zooms further.
      const before = await shown.boundingBox();
      await page.mouse.move(640, 420);
      await page.mouse.down();
      await page.mouse.move(540, 380, { steps: 4 });
      await page.mouse.up();
      await expect
        .poll(async () => (before?.x ?? 0) - ((await shown.boundingBox())?.x ?? 0))
        .toBeGreaterThan(90);
      const dragged = Number.parseInt((await zoom.textContent()) ?? '', 10);
      await page.mouse.wheel(0, -300);
      await expect
        .poll(async () => Number.parseInt((await zoom.textContent()) ?? '', 10))
        .toBeGreaterThan(dragged);
      await page.keyboard.press('0');
      await expect.poll(() => zoom.textContent()).toBe(`${fittedPercent}%`);
      await screenshot(page, `chat-image-viewer-${language}`, { fullPage: false });

      // → goes through the conversation's images, to one in a message not rendered in the list.
      await page.keyboard.press('ArrowRight');
      await page.getByRole('dialog', { name: 'thumbnail.png' }).waitFor();
      await page.getByRole('button', { name: words.next, exact: true }).click();
      const last = page.getByRole('dialog', { name: 'spritesheet.jpg' });
      await last.waitFor();
      await expect.poll(() => last.locator('.image-viewer-position').textContent()).toBe(viewerPosition(3));
      // The last image has no next one: → leaves it shown.
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(100);
      expect(await last.locator('.image-viewer-position').textContent()).toBe(viewerPosition(3));
      await page.keyboard.press('ArrowLeft');
      await page.getByRole('dialog', { name: 'thumbnail.png' }).waitFor();
      // The focus stays in the viewer: Tab cycles through its controls only.
      for (let step = 0; step < 12; step++) {
        await page.keyboard.press('Tab');
        expect(await page.evaluate(`document.activeElement?.closest('dialog') !== null`)).toBe(true);
      }

      // Esc closes it and the focus is back on the thumbnail that opened it.
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      expect(await thumbnail.evaluate((element) => element === document.activeElement)).toBe(true);
    }, 60_000);
  }

  it('says only the loaded messages of a long conversation are searched, and searches earlier ones on request', async () => {
    const total = 130;
    const strings = await open('en', () =>
      seedMessages(
        Array.from({ length: total }, (_, index) => ({
          role: index % 2 === 0 ? 'user' : 'assistant',
          text: index === 2 ? 'The spice markets of Zanzibar.' : `Message number ${index}, about the tides.`,
        })),
      ),
    );
    const find = strings.chat.find;
    await page.keyboard.press('ControlOrMeta+f');
    const input = page.getByRole('searchbox', { name: find.label });
    await input.fill('zanzibar');
    const bar = page.getByRole('search', { name: find.label });
    await expect.poll(() => bar.locator('.find-count').textContent()).toBe(find.noMatches);
    expect(await bar.textContent()).toContain(find.loadedOnly.replace('{{shown}}', '50'));
    await screenshot(page, 'chat-find-loaded-only', { element: bar });
    const earlier = bar.getByRole('button', { name: find.searchEarlier });
    await earlier.click();
    await expect.poll(() => bar.textContent()).toContain(find.loadedOnly.replace('{{shown}}', '100'));
    await earlier.click();
    await expect.poll(() => bar.locator('.find-count').textContent()).toBe('1 of 1');
    // Every message is loaded now: nothing is left to offer.
    expect(await earlier.count()).toBe(0);
    await input.press('Enter');
    await expect.poll(currentMatch).toMatchObject({ text: 'Zanzibar', messageId: 'm2', inView: true });
  });

  it('closes with Esc from any of its controls without stopping the reply being written', async () => {
    const strings = await open('en', () =>
      seedMessages([
        { role: 'user', text: 'Tides?' },
        { role: 'assistant', text: 'The tides rise twice a day.' },
      ]),
    );
    const find = strings.chat.find;
    stack.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 120 } });
    const composer = page.getByRole('textbox', { name: strings.chat.composer.label, exact: true });
    await composer.fill(Array.from({ length: 60 }, (_, index) => `tides${index}`).join(' '));
    await composer.press('Enter');
    const reply = page.locator('article[data-role="assistant"]').last();
    await expect.poll(() => reply.getAttribute('data-status')).toBe('streaming');

    await page.keyboard.press('ControlOrMeta+f');
    const input = page.getByRole('searchbox', { name: find.label });
    await input.fill('tides');
    // The reply streaming in is searched and painted as it grows.
    await expect.poll(() => highlightSize('chat-find')).toBeGreaterThan(3);
    await page.getByRole('button', { name: find.next, exact: true }).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => input.count()).toBe(0);
    expect(await reply.getAttribute('data-status')).toBe('streaming');
    // With the bar closed, Esc stops the reply as always.
    await page.keyboard.press('Escape');
    await expect.poll(() => reply.getAttribute('data-status')).toBe('interrupted');
  });

  it('lists Ctrl+F in the keyboard shortcuts sheet', async () => {
    const strings = await open('en');
    await page.keyboard.press('ControlOrMeta+/');
    const sheet = page.getByRole('dialog', { name: strings.common.shortcuts.title });
    await sheet.waitFor();
    const row = sheet.locator('.shortcut-row', { hasText: strings.common.shortcuts.page.findInConversation });
    expect(await row.locator('kbd').allTextContents()).toEqual(['Ctrl', 'F']);
  });
});
