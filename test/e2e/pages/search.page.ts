import type { Locator, Page } from 'playwright-core';

type Kind = 'message' | 'segment' | 'video';

/** The search palette (Ctrl/Cmd+K) and the Index card in Settings, found by roles and names. */
export class SearchPage {
  readonly palette: Locator;
  readonly input: Locator;
  readonly results: Locator;
  readonly indexCard: Locator;

  constructor(readonly page: Page) {
    this.palette = page.getByRole('dialog', { name: 'Search' });
    this.input = this.palette.getByLabel('Search everything');
    this.results = this.palette.getByRole('listbox');
    this.indexCard = page.getByRole('region', { name: 'Search index' });
  }

  async open(): Promise<void> {
    await this.page.keyboard.press('Control+K');
    await this.input.waitFor({ state: 'visible' });
  }

  async search(query: string): Promise<void> {
    if (!(await this.input.isVisible())) await this.open();
    await this.input.fill(query);
  }

  options(kind?: Kind): Locator {
    return this.results.locator(kind ? `[role="option"][data-kind="${kind}"]` : '[role="option"]');
  }

  /** The kinds of the options shown, in order. */
  async kindsShown(): Promise<string[]> {
    return this.options().evaluateAll((items) => items.map((item) => item.getAttribute('data-kind') ?? ''));
  }

  /** The meaning note ("meaning search needs the network"), when the palette shows one. */
  note(): Locator {
    return this.palette.getByRole('status');
  }

  async filter(label: 'All' | 'Chats' | 'Transcripts' | 'Videos'): Promise<void> {
    await this.palette.getByRole('button', { name: label, exact: true }).click();
  }

  async openSettingsIndex(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
    await this.indexCard.waitFor({ state: 'visible' });
  }

  progress(label: 'Chat messages' | 'Transcript passages' | 'Video prompts'): Locator {
    return this.indexCard.getByRole('progressbar', { name: `${label} indexed` });
  }
}
