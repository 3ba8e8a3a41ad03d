import type { Locator, Page } from 'playwright-core';

/** The Videos screen, as a user finds it. */
export class VideosPage {
  readonly grid: Locator;
  readonly details: Locator;

  constructor(readonly page: Page) {
    this.grid = page.getByRole('list', { name: 'Video library' });
    this.details = page.getByRole('region', { name: 'Video details' });
  }

  async open(): Promise<void> {
    await this.page
      .getByRole('navigation')
      .first()
      .getByRole('button', { name: 'Videos', exact: true })
      .click();
    await this.page.getByRole('button', { name: 'New video' }).waitFor();
  }

  async create(vendor: 'sora' | 'seedance' | 'kling' | 'veo', prompt: string): Promise<void> {
    await this.page.getByRole('button', { name: 'New video' }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('Vendor', { exact: true }).selectOption(vendor);
    await dialog.getByLabel('Prompt', { exact: true }).fill(prompt);
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  tile(prompt: string): Locator {
    return this.grid.getByRole('listitem').filter({ hasText: prompt });
  }
}
