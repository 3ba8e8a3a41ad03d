/**
 * `npm run demo:web`: the whole UI in any browser, on a machine where Electron cannot run.
 * The real services (SQLite, keychain, HTTP core) serve the built renderer on 127.0.0.1 through the WebSocket
 * transport, against the fake proxy. Only a page that carries the printed secret can talk to them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, webRoot } from '../test/support/stack';

const root = join(import.meta.dirname, '..');
if (!existsSync(join(webRoot, 'index.html')) || process.argv.includes('--build')) {
  console.log('Building the renderer…');
  execFileSync('npx', ['vite', 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}

const stack = await startStack({
  keychainService: 'HubDesk-demo',
  speed: 5,
  modelTitles: true,
  syncInBackground: true,
  followOutsideChanges: true,
  ...(process.env.HUBDESK_DATA_DIR ? { dataDir: process.env.HUBDESK_DATA_DIR } : {}),
});
const profile = stack.core.settings.activeProfile();
if (!process.argv.includes('--no-token')) {
  await stack.core.settings.setToken(profile.id, stack.proxy.token, 'session');
  stack.core.search.start();
}

console.log(`
HubDesk web demo
  open:        ${stack.transport.pageUrl}
  fake proxy:  ${stack.proxy.url}   (token ${stack.proxy.token}, kept for this run only)
  data folder: ${stack.dataDir}
Press Ctrl+C to stop.`);

const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
