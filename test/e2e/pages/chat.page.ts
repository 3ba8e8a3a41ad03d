import type { Locator, Page } from 'playwright-core';

/** The Chat screen, found the way a user finds it: by labels, roles and button names. */
export class ChatPage {
  readonly composer: Locator;
  readonly log: Locator;
  readonly search: Locator;

  constructor(readonly page: Page) {
    this.composer = page.getByLabel('Message', { exact: true });
    this.log = page.getByRole('log', { name: 'Messages' });
    this.search = page.getByLabel('Search messages');
  }

  async open(): Promise<void> {
    await this.page
      .getByRole('navigation')
      .first()
      .getByRole('button', { name: 'Chat', exact: true })
      .click();
    await this.page.getByRole('button', { name: 'New chat' }).first().waitFor();
    if (!(await this.composer.isVisible())) await this.newChat();
    await this.composer.waitFor({ state: 'visible' });
  }

  /** Starts a new chat and waits until it is the open one (listed, and its empty thread shown). */
  async newChat(): Promise<void> {
    const listed = this.page.getByRole('navigation', { name: 'Conversations' }).getByRole('button');
    const before = await listed.count();
    await this.page.getByRole('button', { name: 'New chat' }).first().click();
    await this.page.waitForFunction(
      (count) =>
        document.querySelectorAll('nav[aria-label="Conversations"] button').length > count &&
        document.querySelectorAll('[role="log"] article').length === 0,
      before,
    );
    await this.composer.waitFor({ state: 'visible' });
  }

  /**
   * The network goes away as the window sees it (navigator.onLine and the offline event). Playwright's own
   * offline mode would also cut the harness's WebSocket, which stands in for Electron IPC and is not network.
   */
  async goOffline(): Promise<void> {
    await this.page.evaluate(`
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
      window.dispatchEvent(new Event('offline'));
    `);
  }

  async goOnline(): Promise<void> {
    await this.page.evaluate(`
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
      window.dispatchEvent(new Event('online'));
    `);
  }

  /** Makes the open chat use a knowledge base, through its settings panel (which closes again). */
  async useKnowledgeBase(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Chat settings' }).click();
    await this.page
      .getByTestId('knowledge-picker')
      .getByRole('checkbox', { name: new RegExp(`^${name}`) })
      .check();
    await this.page.getByText('Knowledge bases saved').waitFor();
    await this.page.getByRole('button', { name: 'Close chat settings' }).click();
  }

  async chooseModel(id: string): Promise<void> {
    const picker = this.page.getByLabel('Model', { exact: true });
    if (!(await picker.isVisible())) await this.page.getByRole('button', { name: 'Chat settings' }).click();
    await picker.selectOption(id);
    // The header's chip names the model readably; its tooltip ends with the id.
    await this.page.locator(`.chat-header .model-chip[title$=" · ${id}"]`).waitFor();
  }

  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press('Enter');
  }

  messages(role?: 'user' | 'assistant'): Locator {
    return this.log.locator(role ? `article[data-role="${role}"]` : 'article');
  }

  lastAssistant(): Locator {
    return this.messages('assistant').last();
  }

  async waitForStatus(message: Locator, status: string, timeout = 15_000): Promise<void> {
    await message.and(this.page.locator(`[data-status="${status}"]`)).waitFor({ timeout });
  }
}
