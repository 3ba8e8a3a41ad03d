import type { Locator, Page } from 'playwright-core';
import type { english } from '../../../src/shared/locales';

/** Settings → Diagnostics, found by the words of the language the window shows. */
export class DiagnosticsSection {
  readonly section: Locator;
  readonly includeConnectionTest: Locator;
  readonly runButton: Locator;
  readonly copyButton: Locator;
  readonly status: Locator;
  readonly checks: Locator;

  constructor(
    readonly page: Page,
    readonly strings: typeof english.doctor,
  ) {
    this.section = page.getByRole('region', { name: strings.title, exact: true });
    this.includeConnectionTest = this.section.getByRole('checkbox', { name: strings.online });
    // Its name follows its state: Run diagnostics, Checking…, Run again.
    this.runButton = this.section.getByTestId('diagnostics-run');
    this.copyButton = this.section.getByRole('button', { name: strings.copy, exact: true });
    this.status = this.section.getByTestId('diagnostics-status');
    this.checks = this.section.getByRole('list', { name: strings.checksLabel }).getByRole('listitem');
  }

  /** Ticks "include the connection test" and presses Run, from the keyboard. */
  async runWithConnectionTest(): Promise<void> {
    await this.includeConnectionTest.focus();
    await this.page.keyboard.press('Space');
    await this.page.keyboard.press('Tab');
    await this.page.keyboard.press('Enter');
  }

  /** The check whose name is `name` (a list item). */
  check(name: string): Locator {
    return this.checks.filter({ hasText: name });
  }
}

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

  /** `navLabel`: the Settings button's name in the language the window shows. */
  async open(navLabel = 'Settings'): Promise<void> {
    await this.page.getByRole('navigation').getByRole('button', { name: navLabel }).click();
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

  diagnostics(strings: typeof english.doctor): DiagnosticsSection {
    return new DiagnosticsSection(this.page, strings);
  }
}
