/**
 * `npm run prepare:electron` (and the first step of `npm start`, `npm run dev`, `npm run demo`, `npm run dist`):
 * the Electron binary and better-sqlite3 built for Electron, once. `--no-binary` skips the binary (packaging
 * downloads its own); `--stage DIR` copies the Electron build of better-sqlite3 there for packaging.
 */
import { parseArgs } from 'node:util';
import { prepareElectron } from './electron-runtime';

const { values } = parseArgs({
  options: {
    binary: { type: 'boolean', default: true },
    'no-binary': { type: 'boolean' },
    stage: { type: 'string' },
  },
});
const lifecycle = /^(start|dev|demo|dist(:\w+)?|prepare:electron)$/.exec(
  process.env.npm_lifecycle_event ?? '',
)?.[0];
const result = prepareElectron({
  projectDir: process.cwd(),
  binary: !values['no-binary'],
  ...(values.stage ? { stage: values.stage } : {}),
  ...(lifecycle ? { command: lifecycle === 'start' ? 'npm start' : `npm run ${lifecycle}` } : {}),
});
if (!result.ok) {
  console.error(`hubdesk: ${result.problem}`);
  process.exit(1);
}
