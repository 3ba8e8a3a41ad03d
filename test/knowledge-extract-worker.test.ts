/**
 * Documents are read on a worker thread: the main thread's event loop keeps turning during a long PDF, a file that
 * kills its worker fails alone, and an extraction can be cancelled.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { extractDocument } from '../src/main/services/knowledge/extract-document';
import { extractInThread } from '../src/main/services/knowledge/extract-in-thread';
import { ExtractorPool } from '../src/main/services/knowledge/extractor-pool';
import { pdfWithPages } from './support/documents';

const PAGES = 200;
/** Turns of a 0 ms interval the main thread must make while the PDF is read elsewhere; on the thread it makes ~1. */
const TURNS_WHILE_READING = 50;

function longPdf(): Promise<Buffer> {
  return pdfWithPages(
    Array.from({ length: PAGES }, (_, page) =>
      Array.from(
        { length: 30 },
        (_, line) => `Page ${page + 1}, line ${line + 1}: minutes of the harbour board`,
      ),
    ),
  );
}

/** How often a 0 ms interval fired on this thread while `work` ran. */
async function loopTurnsDuring<T>(work: () => Promise<T>): Promise<{ turns: number; value: T }> {
  let turns = 0;
  const interval = setInterval(() => turns++, 0);
  try {
    const value = await work();
    return { turns, value };
  } finally {
    clearInterval(interval);
  }
}

const pools: ExtractorPool[] = [];
function pool(maxHeapMb = 512): ExtractorPool {
  const created = new ExtractorPool({ size: 1, idleMs: 60_000, maxHeapMb });
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()));
});

describe('extraction on a worker thread', () => {
  it('keeps the main event loop turning while a long PDF is read, where reading it in-thread stalls it', async () => {
    const pdf = await longPdf();
    const size = pdf.length;

    const inWorker = await loopTurnsDuring(() => extractDocument('/docs/minutes.pdf', pdf));
    expect(inWorker.value.layout === 'pages' && inWorker.value.pages).toHaveLength(PAGES);
    expect(inWorker.value.layout === 'pages' && inWorker.value.pages[PAGES - 1]).toContain(
      `Page ${PAGES}, line 30`,
    );
    expect(pdf.length).toBe(size);
    expect(inWorker.turns).toBeGreaterThan(TURNS_WHILE_READING);

    const inThread = await loopTurnsDuring(() => extractInThread('/docs/minutes.pdf', pdf));
    expect(inThread.value).toEqual(inWorker.value);
    expect(inThread.turns).toBeLessThan(TURNS_WHILE_READING);
  });

  it('fails only the file that kills its worker; the next file is read by a new one', async () => {
    const extractors = pool(32);
    // 64 MB of CRLF text: normalising its line ends builds a string twice the worker's heap.
    const huge = Buffer.alloc(64 * 1024 * 1024, 'a line of a very long log\r\n');
    await expect(extractors.extract('/logs/huge.log', huge, { handOver: true })).rejects.toThrow(
      /more memory/,
    );
    expect(huge.length).toBe(0);

    const after = await extractors.extract('/docs/after.pdf', await pdfWithPages([['Read after the crash']]));
    expect(after).toEqual({ layout: 'pages', pages: ['Read after the crash'] });
  });

  it('says a broken PDF cannot be read, and the same worker goes on', async () => {
    const extractors = pool();
    await expect(
      extractors.extract('/docs/broken.pdf', Buffer.from('%PDF-1.7 nothing follows')),
    ).rejects.toThrow(/Invalid PDF/);
    const markdown = await extractors.extract('/docs/notes.md', Buffer.from('# Notes\r\nStill read.'));
    expect(markdown).toEqual({ layout: 'sections', text: '# Notes\nStill read.', lines: true });
    expect(extractors.workerCount).toBe(1);
  });

  it('cancels a long extraction by ending its worker; the file queued behind it is read', async () => {
    const extractors = pool();
    const pdf = await longPdf();
    const controller = new AbortController();
    const long = extractors.extract('/docs/minutes.pdf', pdf, { signal: controller.signal });
    const queued = extractors.extract('/docs/next.txt', Buffer.from('next in line'));
    controller.abort();
    expect(extractors.workerCount).toBe(0);
    await expect(long).rejects.toMatchObject({ name: 'AbortError' });
    expect(await queued).toEqual({ layout: 'lines', text: 'next in line' });

    const aborted = new AbortController();
    aborted.abort();
    await expect(extractDocument('/docs/minutes.pdf', pdf, { signal: aborted.signal })).rejects.toMatchObject(
      {
        name: 'AbortError',
      },
    );
  });

  it('close fails what is still being read; a later file starts a new worker', async () => {
    const extractors = pool();
    const reading = expect(extractors.extract('/docs/minutes.pdf', await longPdf())).rejects.toThrow(
      /shut down/,
    );
    await extractors.close();
    await reading;
    expect(extractors.workerCount).toBe(0);
    expect(await extractors.extract('/docs/a.txt', Buffer.from('again'))).toEqual({
      layout: 'lines',
      text: 'again',
    });
  });
});
