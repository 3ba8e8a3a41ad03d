/**
 * Settings → Sync offline, in Chromium against the real services: a WebDAV server (Debian's apache2) behind a relay
 * the test cuts. The status says the storage cannot be reached and when it is tried again; back online, Sync now
 * leaves offline.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
import { launchBrowser, screenshot } from './e2e/browser';
import { SyncPage } from './e2e/pages/sync.page';
import { type CuttableLink, startCuttableLink } from './support/cuttable-link';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';
import { apacheAvailable, startWebDavServer, type WebDavServer } from './support/webdav-server';

const PASSPHRASE = 'lantern by the north jetty';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!apacheAvailable())(
  'Settings → Sync offline, against a WebDAV server behind a cut link',
  {
    timeout: 120_000,
  },
  () => {
    let stack: Stack | undefined;
    let dav: WebDavServer | undefined;
    let link: CuttableLink | undefined;
    const pageErrors: string[] = [];

    afterEach(async () => {
      await stack?.close();
      await link?.close();
      await dav?.close();
      stack = undefined;
      link = undefined;
      dav = undefined;
      expect(pageErrors.splice(0)).toEqual([]);
    });

    for (const language of ['en', 'vi', 'zh-CN'] as const satisfies Language[]) {
      it(`says it is offline and when it tries again; Sync now back online leaves offline (${language})`, async () => {
        dav = await startWebDavServer();
        link = await startCuttableLink({ port: dav.port });
        stack = await startStack({
          keytar: memoryKeytar(),
          systemLanguages: [language],
          syncInBackground: true,
        });
        const core = stack.core;
        await core.sync.setup(
          { kind: 'webdav', url: `${link.origin}/dav/`, user: dav.user },
          dav.password,
          PASSPHRASE,
        );
        const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
        const page = await context.newPage();
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await page.goto(stack.transport.pageUrl);
        const sync = new SyncPage(page, language);
        await sync.open();
        const { strings } = sync;
        await expect.poll(() => sync.state.textContent(), { timeout: 30_000 }).toBe(strings.state.upToDate);

        link.cut();
        await sync.button(strings.actions.now).click();
        await expect.poll(() => sync.state.textContent(), { timeout: 30_000 }).toBe(strings.state.offline);
        expect(core.sync.status().offline).not.toBeNull();
        // The probe is due 30 s after the failed sync: the countdown says so in seconds.
        const retry = sync.section.locator('.sync-offline');
        const inSeconds = new RegExp(`^${strings.offline.inSeconds.replace('{{seconds}}', '\\d+')}$`);
        await expect.poll(() => retry.textContent()).toMatch(inSeconds);
        const errors = (resources[language] as typeof english).errors;
        expect(await sync.alert.textContent()).toContain(errors.reasons.syncUnreachable.split('{{')[0]);
        // The failed Sync now is the last sync's error: said once, not again under the buttons.
        const unreachable = sync.section.locator('.error-message', {
          hasText: errors.reasons.syncUnreachable.split('{{')[0],
        });
        expect(await unreachable.count()).toBe(1);
        expect(await page.evaluate('window.hubdeskMissingKeys()')).toEqual([]);
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, `sync-offline-${language}`, { element: sync.section });

        link.restore();
        await sync.button(strings.actions.now).click();
        await expect.poll(() => sync.state.textContent(), { timeout: 30_000 }).toBe(strings.state.upToDate);
        expect(await retry.count()).toBe(0);
        expect(core.sync.status().offline).toBeNull();
        await context.close();
      });
    }
  },
);
