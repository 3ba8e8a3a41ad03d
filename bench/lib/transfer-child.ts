/**
 * One HubDesk transfer in a fresh process, so that its peak RSS growth is not hidden by memory an earlier
 * figure freed: `transfer-child.ts download|upload <url> <path> <bytes>` prints {"ms":…,"rssGrowth":…}.
 * `bare-download|bare-upload` do the same transfer with undici and node:fs alone (the runtime's floor).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { transcribeFile } from '../../src/main/api/transcription';
import { downloadToPart } from '../../src/main/services/videos/download';
import { benchClient } from './client';
import { RssPeak } from './measure';

const [mode, url, path, bytesText] = process.argv.slice(2);
if (!url || !path || !bytesText)
  throw new Error('usage: transfer-child.ts download|upload|bare-download|bare-upload <url> <path> <bytes>');
const bytes = Number(bytesText);
const client = benchClient(url);
const rss = new RssPeak();
rss.start();
const start = performance.now();
if (mode === 'download') {
  const size = await downloadToPart({
    open: (rangeStart, signal) => client.download({ url: `${url}/big.bin` }, { signal, rangeStart }),
    partPath: path,
    signal: new AbortController().signal,
    onProgress: () => {},
  });
  if (size !== bytes) throw new Error(`downloaded ${size} of ${bytes} bytes`);
} else if (mode === 'bare-download') {
  const response = await request(`${url}/big.bin`);
  await pipeline(response.body, createWriteStream(path, { highWaterMark: 1024 * 1024 }));
} else if (mode === 'bare-upload') {
  const response = await request(`${url}/v1/audio/transcriptions`, {
    method: 'POST',
    headers: { 'content-type': 'audio/mpeg', 'content-length': String(bytes) },
    body: createReadStream(path, { highWaterMark: 1024 * 1024 }),
  });
  if (!(await response.body.text()).includes(`received ${bytes}`))
    throw new Error('the upload was not received');
} else {
  const result = await transcribeFile(client, {
    path,
    fileName: 'long-talk.mp3',
    contentType: 'audio/mpeg',
    size: bytes,
    model: 'gpt-4o-transcribe',
  });
  if (!result.text.startsWith('received ')) throw new Error('the upload was not received');
}
const ms = performance.now() - start;
const rssGrowth = rss.stop();
await client.close();
console.log(JSON.stringify({ ms, rssGrowth }));
