import type { Locator, Page } from 'playwright-core';
import type { Language } from '../../../src/shared/i18n';
import { type english, resources } from '../../../src/shared/locales';

/** The Knowledge page, as a user finds it, in one of the UI languages. */
export class KnowledgePage {
  readonly strings: (typeof english)['knowledge'];
  readonly bases: Locator;
  readonly dialog: Locator;

  constructor(
    readonly page: Page,
    readonly language: Language = 'en',
  ) {
    this.strings = (resources[language] as typeof english).knowledge;
    this.bases = page.getByRole('navigation', { name: this.strings.list.label });
    this.dialog = page.getByRole('dialog', { name: this.strings.create.title });
  }

  async open(): Promise<void> {
    const label = (resources[this.language] as typeof english).common.nav.knowledge;
    await this.page.getByRole('navigation').first().getByRole('button', { name: label, exact: true }).click();
    await this.page.getByRole('heading', { level: 1, name: this.strings.title }).waitFor();
  }

  base(name: string): Locator {
    return this.bases.getByRole('button').filter({ hasText: name });
  }

  /** The open base: its card, search and files. */
  get detail(): Locator {
    return this.page.locator('section.kb-detail');
  }

  get files(): Locator {
    return this.detail.getByRole('region', { name: this.strings.files.title });
  }

  file(name: string): Locator {
    return this.files
      .getByRole('listitem')
      .filter({ has: this.page.locator('.kb-file-title', { hasText: name }) });
  }

  get searchBox(): Locator {
    return this.detail.getByRole('searchbox', { name: this.strings.search.title });
  }

  get hits(): Locator {
    return this.detail.getByRole('list', { name: this.strings.search.results }).getByRole('listitem');
  }
}
