/**
 * `npm run demo`: the desktop app against the fake proxy, with a throwaway token and a throwaway data folder,
 * so every screen can be tried without an account.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../src/main/core';
import { startFakeProxy } from '../test/fake-proxy/index';
import { prepareElectron } from './electron-runtime';

const ready = prepareElectron({ projectDir: join(import.meta.dirname, '..'), command: 'npm run demo' });
if (!ready.ok) {
  console.error(`hubdesk: ${ready.problem} Meanwhile, \`npm run demo:web\` shows the same app in a browser.`);
  process.exit(1);
}

const proxy = await startFakeProxy({ speed: 5 });
const dataDir = process.env.HUBDESK_DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'hubdesk-demo-')));

const core = createCore({ dataDir, env: {} });
const profile = core.settings.activeProfile();
core.settings.updateProfile(profile.id, { name: 'Fake proxy (demo)', baseUrl: proxy.url });
await core.close();

console.log(`Fake proxy on ${proxy.url}; data folder ${dataDir}. Starting HubDesk…`);
const app = spawn('npx', ['electron-vite', 'preview'], {
  cwd: join(import.meta.dirname, '..'),
  stdio: 'inherit',
  env: { ...process.env, HUBDESK_DATA_DIR: dataDir, HUBDESK_TOKEN: proxy.token },
});
app.on('exit', async (code) => {
  await proxy.close();
  if (code) console.error('HubDesk exited with an error.');
  process.exit(code ?? 0);
});
