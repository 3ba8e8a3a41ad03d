/**
 * `npm run prepare:electron`, the first step of `npm start`, `npm run dev`, `npm run demo` and `npm run dist`:
 * the Electron binary, and a better-sqlite3 binary for this machine, once. `--no-binary` skips the Electron binary
 * (packaging downloads its own).
 */
import { parseArgs } from 'node:util';
import { prepareElectron } from './electron-runtime';

const { values } = parseArgs({ options: { 'no-binary': { type: 'boolean', default: false } } });
const lifecycle = /^(start|dev|demo|dist(:\w+)?|prepare:electron)$/.exec(
  process.env.npm_lifecycle_event ?? '',
)?.[0];
const result = prepareElectron({
  projectDir: process.cwd(),
  binary: !values['no-binary'],
  ...(lifecycle ? { command: lifecycle === 'start' ? 'npm start' : `npm run ${lifecycle}` } : {}),
});
if (!result.ok) {
  console.error(`hubdesk: ${result.problem}`);
  process.exit(1);
}
