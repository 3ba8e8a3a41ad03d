import type { Locator, Page } from 'playwright-core';
import type { Language } from '../../../src/shared/i18n';
import { type english, resources } from '../../../src/shared/locales';

type SyncStrings = (typeof english)['sync'];
type FieldName = keyof SyncStrings['setup']['fields'];

/** Settings → Sync, found by the words of the language the window shows. */
export class SyncPage {
  readonly strings: SyncStrings;
  readonly errors: (typeof english)['errors'];
  readonly section: Locator;
  readonly state: Locator;

  constructor(
    readonly page: Page,
    readonly language: Language = 'en',
  ) {
    const all = resources[language] as typeof english;
    this.strings = all.sync;
    this.errors = all.errors;
    this.section = page.getByRole('region', { name: this.strings.title, exact: true });
    this.state = this.section.locator('.index-state');
  }

  /** Opens Settings from the navigation and brings the Sync section into view. */
  async open(): Promise<void> {
    const nav = (resources[this.language] as typeof english).common.nav.settings;
    await this.page.getByRole('navigation').first().getByRole('button', { name: nav, exact: true }).click();
    await this.section.waitFor();
    await this.section.scrollIntoViewIfNeeded();
  }

  field(name: FieldName): Locator {
    return this.section.getByLabel(this.strings.setup.fields[name], { exact: true });
  }

  /** The words shown next to a field (its aria-describedby error). */
  async fieldError(name: FieldName): Promise<string | null> {
    const field = this.field(name);
    if ((await field.getAttribute('aria-invalid')) !== 'true') return null;
    const id = await field.getAttribute('aria-describedby');
    return id ? this.page.locator(`[id="${id}"]`).textContent() : null;
  }

  /** Picks where the library is kept, from the keyboard (Space on the radio button). */
  async chooseKind(kind: keyof SyncStrings['setup']['kinds']): Promise<void> {
    const radio = this.section.getByRole('radio', {
      name: new RegExp(`^${literal(this.strings.setup.kinds[kind])}`),
    });
    await radio.focus();
    await this.page.keyboard.press('Space');
  }

  /** The radio button of a media mode (eager or on demand). */
  mediaMode(mode: keyof SyncStrings['media']['modes']): Locator {
    return this.section.getByRole('radio', {
      name: new RegExp(`^${literal(this.strings.media.modes[mode])}`),
    });
  }

  async type(name: FieldName, value: string): Promise<void> {
    const field = this.field(name);
    await field.click();
    await field.press('ControlOrMeta+a');
    await field.pressSequentially(value);
  }

  button(name: string): Locator {
    return this.section.getByRole('button', { name, exact: true });
  }

  async testConnection(): Promise<void> {
    await this.button(this.strings.setup.test).click();
  }

  /** Turn on sync, by Enter in the last passphrase field (the form's submit). */
  async turnOn(): Promise<void> {
    await this.field('repeat').press('Enter');
  }

  get testOk(): Locator {
    return this.section.getByRole('status').filter({ hasText: this.strings.test.ok.split('{{')[0] ?? '' });
  }

  get alert(): Locator {
    return this.section.locator('.error-note').first();
  }

  /** The Storage fact of the status. */
  get storage(): Locator {
    return this.section
      .locator('dt', { hasText: this.strings.facts.storage })
      .locator('xpath=following-sibling::dd[1]');
  }

  get next(): Locator {
    return this.section
      .locator('dt', { hasText: this.strings.facts.next })
      .locator('xpath=following-sibling::dd[1]');
  }

  get last(): Locator {
    return this.section.locator('.sync-last');
  }
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
