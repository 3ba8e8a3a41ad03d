/**
 * The extraction worker thread (started by extractor-pool.ts): one file at a time, its bytes handed over with the
 * message, the document or the error's sentence sent back.
 */
import { parentPort } from 'node:worker_threads';
import { extractInThread } from './extract-in-thread';
import type { ExtractRequest, ExtractResponse } from './extractor-pool';

const port = parentPort;
if (!port) throw new Error('extract-worker.ts runs only as a worker thread.');

port.on('message', async ({ path, bytes }: ExtractRequest) => {
  let response: ExtractResponse;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    response = { ok: true, document: await extractInThread(path, buffer) };
  } catch (error) {
    response = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(response);
});
