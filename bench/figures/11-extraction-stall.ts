import { closeDocumentExtraction, extractDocument } from '../../src/main/services/knowledge/extract-document';
import { extractInThread } from '../../src/main/services/knowledge/extract-in-thread';
import { pdfWithPages } from '../../test/support/documents';
import { loopStalls, median } from '../lib/measure';
import type { Figure } from '../lib/report';

const PAGES = 200;
const RUNS = 3;

/** The longest time the main thread's event loop could not turn while `work` ran, in ms. */
async function longestStall(work: () => Promise<unknown>): Promise<{ stallMs: number; totalMs: number }> {
  const { longestMs, totalMs } = await loopStalls(work, 0);
  return { stallMs: longestMs, totalMs };
}

export const extractionStall: Figure = {
  id: 11,
  title: 'Main-thread stall while a PDF is extracted',
  async run(ctx) {
    const pdf = await pdfWithPages(
      Array.from({ length: PAGES }, (_, page) =>
        Array.from(
          { length: 30 },
          (_, line) => `Page ${page + 1}, line ${line + 1}: minutes of the harbour board`,
        ),
      ),
    );
    const cold = await longestStall(() => extractDocument('/bench/minutes.pdf', pdf));
    const coldInThread = await longestStall(() => extractInThread('/bench/minutes.pdf', pdf));
    const inThread: number[] = [];
    const inWorker: number[] = [];
    const inThreadTotal: number[] = [];
    const inWorkerTotal: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const own = await longestStall(() => extractInThread('/bench/minutes.pdf', pdf));
      inThread.push(own.stallMs);
      inThreadTotal.push(own.totalMs);
      const worker = await longestStall(() => extractDocument('/bench/minutes.pdf', pdf));
      inWorker.push(worker.stallMs);
      inWorkerTotal.push(worker.totalMs);
    }
    await closeDocumentExtraction();
    ctx.log(`in-thread stalls ${inThread.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    ctx.log(
      `worker stalls ${inWorker.map((ms) => ms.toFixed(0)).join(', ')} ms; first runs: worker ${cold.stallMs.toFixed(0)} ms, in-thread ${coldInThread.stallMs.toFixed(0)} ms`,
    );
    const baseline = median(inThread);
    const stall = median(inWorker);
    return {
      id: 11,
      title: 'Main-thread stall while a PDF is extracted',
      method: `a ${PAGES}-page PDF (pdf-lib, ${(pdf.length / 1024).toFixed(0)} KiB) through extractDocument (worker thread) vs extractInThread (on the main thread), median of ${RUNS} interleaved runs after a warm-up; stall = longest gap of a 0 ms interval or monitorEventLoopDelay's max`,
      rows: [
        {
          name: 'longest main-thread stall, worker',
          value: stall,
          unit: 'ms',
          baselineName: 'in-thread',
          baseline,
          ratioLabel: 'of in-thread',
          target: '≤ 0.1× in-thread',
          met: stall <= baseline * 0.1,
          missNote: 'the main thread waits on something besides the worker: look at the message sizes',
        },
        {
          name: 'longest stall, worker cold (starts the thread)',
          value: cold.stallMs,
          unit: 'ms',
          baselineName: 'in-thread',
          baseline,
          ratioLabel: 'of in-thread',
          target: 'context',
          met: null,
        },
        {
          name: 'time to extract, worker',
          value: median(inWorkerTotal),
          unit: 'ms',
          baselineName: 'in-thread',
          baseline: median(inThreadTotal),
          ratioLabel: 'of in-thread',
          target: 'context',
          met: null,
        },
      ],
    };
  },
};
