import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';

/** The Transcribe screen, as a user finds it. */
export class TranscribePage {
  readonly jobs: Locator;
  readonly transcript: Locator;

  constructor(readonly page: Page) {
    this.jobs = page.getByRole('list', { name: 'Transcription jobs' });
    this.transcript = page.getByRole('region', { name: 'Transcript' });
  }

  async open(): Promise<void> {
    await this.page
      .getByRole('navigation')
      .first()
      .getByRole('button', { name: 'Transcribe', exact: true })
      .click();
    await this.page.getByRole('region', { name: 'Drop audio files' }).waitFor();
  }

  /** Drops files on the drop zone the way the OS does: a drop event carrying File objects. */
  async drop(files: { path: string; name: string; type: string }[]): Promise<void> {
    const payload = await Promise.all(
      files.map(async (file) => ({ ...file, base64: (await readFile(file.path)).toString('base64') })),
    );
    const zone = this.page.getByRole('region', { name: 'Drop audio files' });
    await zone.evaluate((element, items) => {
      const transfer = new DataTransfer();
      for (const item of items) {
        const bytes = Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], item.name, { type: item.type }));
      }
      for (const type of ['dragenter', 'dragover', 'drop']) {
        element.dispatchEvent(
          new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
      }
    }, payload);
  }

  job(name: string): Locator {
    return this.jobs.getByRole('listitem').filter({ hasText: name });
  }

  segment(index: number): Locator {
    return this.transcript.locator(`[data-segment-index="${index}"]`);
  }
}
