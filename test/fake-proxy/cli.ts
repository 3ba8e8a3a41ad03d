import { parseArgs } from 'node:util';
import { startFakeProxy } from './index';

/** `npx tsx test/fake-proxy/cli.ts [--port N] [--token T] [--speed S] [--stream-delay MS]` */
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'cdn-port': { type: 'string' },
    token: { type: 'string' },
    speed: { type: 'string' },
    'stream-delay': { type: 'string' },
  },
});

const proxy = await startFakeProxy({
  ...(values.port !== undefined ? { port: Number(values.port) } : {}),
  ...(values['cdn-port'] !== undefined ? { cdnPort: Number(values['cdn-port']) } : {}),
  ...(values.token !== undefined ? { token: values.token } : {}),
  ...(values.speed !== undefined ? { speed: Number(values.speed) } : {}),
  ...(values['stream-delay'] !== undefined ? { streamDelayMs: Number(values['stream-delay']) } : {}),
});
process.stdout.write(`${JSON.stringify({ url: proxy.url, cdnUrl: proxy.cdnUrl, token: proxy.token })}\n`);

const stop = () => {
  proxy.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
