import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { webRoot } from '../support/stack';

export const screenshotDir = join(import.meta.dirname, '../../test-results/screenshots');

const chromiumPath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path));

/** Debian's Chromium, headless, with no network of its own (docs/architecture.md §Tests). */
export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error('Chromium is not installed: apt-get install chromium (see .ci/run).');
  if (!existsSync(join(webRoot, 'index.html'))) {
    throw new Error('The renderer is not built: run `npm run build:web` (npm test does it first).');
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * The whole page, or with `fullPage: false` the window as it is (a modal dialog and its backdrop), or with
 * `element` just that part of the page (a section further down a long page).
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean; element?: Locator } = {},
): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  if (options.element) {
    await options.element.screenshot({ path });
    return path;
  }
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}
