import type { Locator, Page } from 'playwright-core';

/** The Settings screen, as a user finds it: by labels and button names. */
export class SettingsPage {
  readonly tokenInput: Locator;
  readonly tokenStatus: Locator;
  readonly connectionResult: Locator;
  readonly baseUrlInput: Locator;

  constructor(readonly page: Page) {
    this.tokenInput = page.getByLabel('API token');
    this.tokenStatus = page.getByTestId('token-status');
    this.connectionResult = page.getByTestId('connection-result');
    this.baseUrlInput = page.getByLabel('Base URL');
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
    await this.tokenStatus.waitFor({ state: 'visible' });
  }

  async saveToken(token: string): Promise<void> {
    await this.tokenInput.fill(token);
    await this.page.getByRole('button', { name: 'Save token' }).click();
  }

  async keepTokenForThisRun(token: string): Promise<void> {
    await this.tokenInput.fill(token);
    await this.page.getByRole('button', { name: 'Keep for this run only' }).click();
  }

  async testConnection(): Promise<void> {
    await this.page.getByRole('button', { name: 'Test connection' }).click();
  }
}
