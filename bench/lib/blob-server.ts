/**
 * Run as its own process (so its memory is not counted as the client's): serves GET /big.bin, a file of
 * BLOB_BYTES generated on the fly, and sinks POST /v1/audio/transcriptions. Prints {"url":…} when listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const size = Number(process.env.BLOB_BYTES ?? 1024 ** 3);
const piece = Buffer.alloc(1024 * 1024, 'HubDesk bench bytes. ');

const server = createServer((req, res) => {
  if (req.method === 'POST') {
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.byteLength;
    });
    req.on('end', () => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ text: `received ${received}` }));
    });
    return;
  }
  res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(size) });
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      const part = size - sent >= piece.length ? piece : piece.subarray(0, size - sent);
      sent += part.length;
      if (!res.write(part)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
