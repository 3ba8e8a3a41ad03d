/**
 * The Knowledge page in Chromium against the real core: a base made from a real folder (Markdown, text, a PDF
 * written with pdf-lib, a scanned PDF with no text layer, a file that cannot be read) through "Choose folder…"
 * and a typed path, its sync's progress, each file's status, search with page and line, Sync now after a fix,
 * removal; and the page in all three languages.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { seriousViolations } from './e2e/axe';
import { screenshot } from './e2e/browser';
import { KnowledgePage } from './e2e/pages/knowledge.page';
import { browserPerFile, openWindow, signedInStack } from './e2e/window-per-test';
import { pdfWithoutText, pdfWithPages } from './support/documents';
import type { Stack } from './support/stack';

/** Enough files that the sync takes a while to walk through (the page shows its progress on the way). */
const FILLER_FILES = 150;

const browser = browserPerFile();

/** A folder of real documents, and one file outside it (added by its typed path). */
async function writeDocuments(root: string, filler = 0): Promise<{ folder: string; extra: string }> {
  const folder = join(root, 'harbor');
  await mkdir(join(folder, 'logs'), { recursive: true });
  await writeFile(
    join(folder, 'keeping.md'),
    [
      '# Lighthouse keeping',
      'Daily duties of the keeper.',
      '',
      '## The lamp',
      'Trim the wick at dusk and keep spare paraffin by the lantern.',
    ].join('\n'),
  );
  await writeFile(
    join(folder, 'logs', 'storms.txt'),
    'The winter storms of 1911 broke the north jetty twice.\n',
  );
  await writeFile(
    join(folder, 'history.pdf'),
    await pdfWithPages([
      ['The harbor was dredged in 1890.'],
      ['A granite breakwater shelters the moorings.'],
    ]),
  );
  await writeFile(join(folder, 'scan.pdf'), await pdfWithoutText());
  // Bytes no text file holds: the sync marks it failed with why.
  await writeFile(join(folder, 'tides.txt'), Buffer.from([0, 159, 146, 150, 0, 1, 2]));
  await mkdir(join(folder, 'filler'));
  for (let index = 0; index < filler; index++)
    await writeFile(
      join(folder, 'filler', `note-${index}.txt`),
      `Filler note number ${index} about rope and tar.\n`,
    );
  const extra = join(root, 'elsewhere', 'ferry.md');
  await mkdir(join(root, 'elsewhere'));
  await writeFile(extra, '# Ferry timetable\nThe ferry to the island leaves at seven.\n');
  return { folder, extra };
}

describe('Knowledge in the browser, against the real services', { timeout: 120_000 }, () => {
  let root: string;
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const dialogAsked: string[] = [];
  let picked: string[] = [];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-e2e-kb-'));
    pageErrors.length = 0;
    dialogAsked.length = 0;
  });

  async function open(language: Language = 'en'): Promise<KnowledgePage> {
    stack = await signedInStack({
      systemLanguages: [language],
      openPathsDialog: async (kind) => {
        dialogAsked.push(kind);
        return picked;
      },
    });
    ({ context, page } = await openWindow(browser(), stack, pageErrors, {
      viewport: { width: 1280, height: 900 },
    }));
    const knowledge = new KnowledgePage(page, language);
    await knowledge.open();
    return knowledge;
  }

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') {
      await screenshot(page, `failed-knowledge-${test.task.name.slice(0, 30).replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
    }
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('makes a base from a chosen folder and a typed file, shows progress and why files hold nothing, searches, syncs a fix, removes', async () => {
    const { folder, extra } = await writeDocuments(root, FILLER_FILES);
    picked = [folder];
    const knowledge = await open();
    const strings = knowledge.strings;
    expect(await page.getByRole('heading', { name: strings.empty.title }).isVisible()).toBe(true);

    // Every text the progress line shows on its way, however briefly it is there.
    await page.evaluate(`(() => {
      window.progressSeen = [];
      new MutationObserver(() => {
        for (const node of document.querySelectorAll('.kb-progress-text')) window.progressSeen.push(node.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);

    await page.getByRole('button', { name: strings.create.open }).click();
    const dialog = knowledge.dialog;
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: strings.create.submit }).click();
    expect(await dialog.getByText(strings.create.nameMissing).isVisible()).toBe(true);
    expect(await dialog.getByText(strings.create.pathsMissing).isVisible()).toBe(true);

    await dialog.getByLabel(strings.create.name, { exact: true }).fill('Harbor notes');
    await dialog.getByRole('button', { name: strings.create.chooseFolder }).click();
    await expect.poll(() => dialog.locator('.kb-chosen').textContent()).toContain(folder);
    expect(dialogAsked).toEqual(['folders']);

    const pathField = dialog.getByLabel(strings.create.typeOr);
    const nowhere = join(root, 'no-such-folder');
    await pathField.fill(nowhere);
    await pathField.press('Enter');
    await expect
      .poll(() => dialog.locator('.field-error').textContent())
      .toBe(`There is no folder or file at ${nowhere}. Check the spelling.`);
    expect(await pathField.getAttribute('aria-invalid')).toBe('true');
    await pathField.fill(extra);
    await pathField.press('Enter');
    await expect.poll(() => dialog.locator('.kb-chosen li').count()).toBe(2);
    expect(await dialog.locator('.kb-chosen').textContent()).toContain(extra);
    await screenshot(page, 'knowledge-create-dialog', { fullPage: false });

    await dialog.getByRole('button', { name: strings.create.submit }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The sync is usually still running here; the assertion on what the page showed is below.
    await screenshot(page, 'knowledge-sync-running-en', { fullPage: false });
    const total = FILLER_FILES + 6;
    await expect
      .poll(() => knowledge.base('Harbor notes').locator('.kb-base-counts').textContent(), {
        timeout: 60_000,
      })
      .toMatch(new RegExp(`^${total} files · \\d+ passages$`));
    await knowledge.base('Harbor notes').locator('progress').waitFor({ state: 'detached' });
    const seen = (await page.evaluate('window.progressSeen')) as string[];
    expect(seen.some((text) => new RegExp(`^\\d+ of ${total} files`).test(text))).toBe(true);
    expect(stack.core.knowledge.list()).toMatchObject([
      { name: 'Harbor notes', roots: [extra, folder].sort(), files: total, failed: 1, noText: 1 },
    ]);

    // Each file with its status, in words a person reads.
    expect(await knowledge.base('Harbor notes').textContent()).toContain('1 failed');
    await knowledge.files.getByRole('button', { name: 'Failed (1)' }).click();
    await expect.poll(() => knowledge.files.getByRole('listitem').count()).toBe(1);
    expect(await knowledge.file('tides.txt').textContent()).toMatch(/Failed.*is not text/);
    await knowledge.files.getByRole('button', { name: 'No text (1)' }).click();
    const scan = knowledge.file('scan.pdf');
    expect(await scan.locator('.badge').textContent()).toBe(strings.file.status.noText);
    expect(await scan.textContent()).toContain('Scanned PDF, no text layer');
    await knowledge.files.getByRole('button', { name: `All (${total})` }).click();
    expect(await knowledge.file('history.pdf').textContent()).toContain('2 pages');
    expect(await knowledge.file('storms.txt').locator('.kb-file-folder').textContent()).toBe('logs');
    expect(await knowledge.file('ferry.md').textContent()).toContain(strings.file.status.indexed);
    // Every file is listed.
    expect(await knowledge.files.getByRole('listitem').count()).toBe(total);

    // Search: the PDF's page, the Markdown's line.
    await knowledge.searchBox.fill('breakwater');
    await expect.poll(() => knowledge.hits.count()).toBe(1);
    const pdfHit = knowledge.hits.first();
    expect(await pdfHit.locator('.kb-file-title').textContent()).toBe('history.pdf');
    expect(await pdfHit.locator('.kb-hit-place').textContent()).toBe('page 2');
    expect(await pdfHit.locator('mark').textContent()).toBe('breakwater');
    await knowledge.searchBox.fill('paraffin lantern');
    await expect
      .poll(() => knowledge.hits.first().locator('.kb-file-title').textContent())
      .toBe('keeping.md');
    expect(await knowledge.hits.first().locator('.kb-hit-place').textContent()).toMatch(/^line \d+$/);
    expect(await knowledge.hits.first().locator('.kb-hit-heading').textContent()).toContain('The lamp');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate('window.hubdeskMissingKeys()')).toEqual([]);
    await screenshot(page, 'knowledge-many-files-search-en', { fullPage: false });
    await knowledge.searchBox.fill('zanzibar');
    await expect
      .poll(() => knowledge.detail.getByText('Nothing found for “zanzibar”.').isVisible())
      .toBe(true);

    // The file is fixed on disk; its Retry reads it again (its own button says so meanwhile) and it is found.
    await writeFile(join(folder, 'tides.txt'), 'Spring tides flood the slipway twice a month.\n');
    await page.evaluate(`(() => {
      window.retrySeen = [];
      new MutationObserver(() => {
        for (const node of document.querySelectorAll('.kb-file button')) window.retrySeen.push(node.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await knowledge
      .file('tides.txt')
      .getByRole('button', { name: `Retry ${join(folder, 'tides.txt')}` })
      .click();
    await expect.poll(() => knowledge.file('tides.txt').locator('.badge').textContent()).toBe('Indexed');
    await expect.poll(() => knowledge.base('Harbor notes').textContent()).not.toContain('failed');
    const retrySeen = (await page.evaluate('window.retrySeen')) as string[];
    expect(retrySeen).toContain(strings.files.retrying);
    await knowledge.searchBox.fill('slipway');
    await expect.poll(() => knowledge.hits.first().locator('.kb-file-title').textContent()).toBe('tides.txt');

    // Two files break (Sync now finds them); once fixed, "Retry 2 failed files" reads both again.
    const broken = Buffer.from([0, 1, 2, 0]);
    await writeFile(join(folder, 'logs', 'storms.txt'), broken);
    await writeFile(join(folder, 'filler', 'note-7.txt'), broken);
    await knowledge.detail.getByRole('button', { name: strings.actions.sync }).click();
    const report = knowledge.detail.getByRole('status').filter({ hasText: 'Sync finished' });
    await expect
      .poll(() => report.textContent())
      .toBe('Sync finished: 0 added, 0 changed, 0 moved, 0 gone, 2 failed, 0 without text.');
    await expect.poll(() => knowledge.base('Harbor notes').textContent()).toContain('2 failed');
    await writeFile(join(folder, 'logs', 'storms.txt'), 'The storms of 1911 are in the keeper’s log.\n');
    await writeFile(join(folder, 'filler', 'note-7.txt'), 'Filler note seven, mended.\n');
    await knowledge.files.getByRole('button', { name: 'Retry 2 failed files' }).click();
    await expect.poll(() => knowledge.base('Harbor notes').textContent()).not.toContain('failed');
    // The base's counts and the file list refresh on their own; wait for the list too.
    await expect.poll(() => knowledge.file('storms.txt').locator('.badge').textContent()).toBe('Indexed');
    expect(stack.core.knowledge.list()[0]?.failed).toBe(0);

    // Pause: no sync runs and Sync now is gone until Resume, which picks up what changed meanwhile.
    await knowledge.detail.getByRole('button', { name: strings.actions.pause, exact: true }).click();
    await knowledge.detail.getByText(strings.paused).waitFor();
    expect(await knowledge.base('Harbor notes').locator('.badge').first().textContent()).toBe(
      strings.badge.paused,
    );
    expect(await knowledge.detail.getByRole('button', { name: strings.actions.sync }).count()).toBe(0);
    expect(stack.core.knowledge.list()[0]?.paused).toBe(true);
    await writeFile(join(folder, 'cormorants.md'), '# Birds\nCormorants nest on the breakwater.\n');
    await screenshot(page, 'knowledge-paused-en', { fullPage: false });
    await knowledge.detail.getByRole('button', { name: strings.actions.resume, exact: true }).click();
    await expect
      .poll(() => report.textContent())
      .toBe('Sync finished: 1 added, 0 changed, 0 moved, 0 gone, 0 failed, 0 without text.');
    await expect.poll(() => knowledge.detail.getByText(strings.paused).count()).toBe(0);
    expect(stack.core.knowledge.list()[0]).toMatchObject({ paused: false, files: total + 1 });
    await expect.poll(() => knowledge.file('cormorants.md').locator('.badge').textContent()).toBe('Indexed');
    // Sync now with nothing changed says so, rather than a row of zeros.
    await knowledge.detail.getByRole('button', { name: strings.actions.sync }).click();
    await expect.poll(() => report.textContent()).toBe(strings.report.nothing);

    // Remove asks first; Cancel keeps the base, Remove forgets it and leaves the files alone.
    await knowledge.detail.getByRole('button', { name: strings.actions.remove }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove “Harbor notes”?' });
    await confirm.waitFor();
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Cancel');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    expect(stack.core.knowledge.list()).toHaveLength(1);
    await knowledge.detail.getByRole('button', { name: strings.actions.remove }).click();
    await confirm.getByRole('button', { name: strings.remove.confirm, exact: true }).click();
    await page.getByRole('heading', { name: strings.empty.title }).waitFor();
    expect(stack.core.knowledge.list()).toEqual([]);
    expect((await stat(join(folder, 'keeping.md'))).isFile()).toBe(true);
  });

  it('refuses a file type HubDesk does not read, and a name taken already, in the words of the page', async () => {
    const { folder } = await writeDocuments(root);
    await writeFile(join(root, 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff]));
    picked = [];
    const knowledge = await open();
    await stack.core.knowledge.addBase('Harbor notes', [folder]);
    await page.reload();
    // Ctrl+5 shows the page (as the View menu's item does); the new base dialog opens from the keyboard.
    await page.locator('main h1').first().waitFor();
    await page.keyboard.press('Control+5');
    await knowledge.base('Harbor notes').waitFor();
    await page.getByRole('button', { name: knowledge.strings.create.open }).focus();
    await page.keyboard.press('Enter');
    await knowledge.dialog.waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe(
      await knowledge.dialog.getByLabel(knowledge.strings.create.name, { exact: true }).getAttribute('id'),
    );
    const dialog = knowledge.dialog;
    // A cancelled OS dialog adds nothing.
    await dialog.getByRole('button', { name: knowledge.strings.create.chooseFiles }).click();
    expect(dialogAsked).toEqual(['files']);
    expect(await dialog.getByText(knowledge.strings.create.nothingChosen).isVisible()).toBe(true);
    await dialog.getByLabel(knowledge.strings.create.name, { exact: true }).fill('harbor NOTES');
    const pathField = dialog.getByLabel(knowledge.strings.create.typeOr);
    await pathField.fill(join(root, 'photo.jpg'));
    await dialog.getByRole('button', { name: knowledge.strings.create.addPath, exact: true }).click();
    await expect
      .poll(() => dialog.locator('.field-error').last().textContent())
      .toContain('cannot read this kind of file');
    await pathField.fill(`${folder}/`);
    await dialog.getByRole('button', { name: knowledge.strings.create.submit }).click();
    await expect
      .poll(() => dialog.locator('.field-error').first().textContent())
      .toBe('A knowledge base named “harbor NOTES” exists already.');
    expect(stack.core.knowledge.list()).toHaveLength(1);
  });

  it('says when search by meaning waits offline, and when its indexing is paused; words still find passages', async () => {
    const { folder } = await writeDocuments(root);
    const knowledge = await open();
    stack.proxy.addFault({ fault: { type: 'reset' }, times: Number.POSITIVE_INFINITY });
    await stack.core.knowledge.addBase('Harbor notes', [folder]);
    stack.core.search.start();
    await page.reload();
    await knowledge.open();
    await knowledge.detail.getByText(knowledge.strings.meaning.offline).waitFor({ timeout: 15_000 });
    // The header says how much of the base can be found by meaning: nothing yet, then all of it.
    const counts = knowledge.detail.locator('.card-header .muted').first();
    const total = stack.core.knowledgeSearch.embedded(stack.core.knowledge.list()[0]?.id ?? '')?.total ?? 0;
    expect(total).toBeGreaterThan(0);
    expect(await counts.textContent()).toContain(`0 of ${total} searchable by meaning`);
    await knowledge.searchBox.fill('breakwater');
    await expect.poll(() => knowledge.hits.count()).toBe(1);
    await screenshot(page, 'knowledge-meaning-offline-en', { fullPage: false });
    stack.core.search.pause();
    await knowledge.detail.getByText(knowledge.strings.meaning.paused).waitFor();
    expect(await knowledge.detail.getByText(knowledge.strings.meaning.offline).count()).toBe(0);
    stack.proxy.clearFaults();
    stack.core.search.resume();
    await expect
      .poll(() => knowledge.detail.locator('.kb-meaning-note').count(), { timeout: 20_000 })
      .toBe(0);
    await expect.poll(() => counts.textContent(), { timeout: 20_000 }).toMatch(/ · searchable by meaning$/);
  });

  for (const language of ['en', 'zh-CN', 'vi'] as const) {
    it(`shows a base, its files and a search in ${language}`, async () => {
      const { folder } = await writeDocuments(root);
      const knowledge = await open(language);
      // As the app does from its start: the bases' folders are watched.
      stack.core.knowledge.startWatching();
      await stack.core.knowledge.addBase('Harbor notes', [folder]);
      await page.reload();
      await knowledge.open();
      await knowledge.base('Harbor notes').waitFor();
      await knowledge.files.waitFor();
      const scan = knowledge.file('scan.pdf');
      expect(await scan.textContent()).toContain(knowledge.strings.file.noTextPdf);
      expect(await knowledge.detail.getByText(knowledge.strings.watching).isVisible()).toBe(true);
      await knowledge.searchBox.fill('breakwater');
      await expect.poll(() => knowledge.hits.count()).toBe(1);
      expect(await knowledge.hits.first().locator('.kb-hit-place').textContent()).toBe(
        knowledge.strings.hit.page.replace('{{page}}', '2'),
      );
      expect(await page.evaluate('window.hubdeskMissingKeys()')).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `knowledge-base-search-${language}`);
      if (language === 'en') {
        await page.emulateMedia({ colorScheme: 'dark' });
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'knowledge-base-search-en-dark');
      }
    });
  }
});
