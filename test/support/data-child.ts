/**
 * Run in a child process by test/desktop-data-crash.test.ts: opens a data folder as the app does and restores an
 * archive into it, or moves it, and the process kills itself (SIGKILL) when the operation reaches the named step.
 *
 *   node --import tsx test/support/data-child.ts restore <dataDir> <archive> <step>
 *   node --import tsx test/support/data-child.ts move <dataDir> <target> <locationFile> <step>
 */
import { createCore } from '../../src/main/core';
import { dataPaths } from '../../src/main/paths';
import { DesktopService } from '../../src/main/services/desktop/desktop-service';
import { DatabaseCopies } from '../../src/main/store/database-copies';
import { UsageRepo } from '../../src/main/store/usage-repo';
import { memoryKeytar } from './memory-keytar';

const [mode, dataDir, ...rest] = process.argv.slice(2);
if (!dataDir || (mode !== 'restore' && mode !== 'move')) throw new Error('usage: restore|move <dataDir> …');
const step = rest.at(-1);
const core = createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test' });
const desktop = new DesktopService(
  {
    usage: new UsageRepo(core.db),
    profiles: core.profiles,
    database: new DatabaseCopies(core.db),
    bus: core.bus,
    stepReached: (reached) => {
      if (reached === step) process.kill(process.pid, 'SIGKILL');
    },
  },
  mode === 'move' ? dataPaths(dataDir, rest[1]) : dataPaths(dataDir),
);
if (mode === 'restore') await desktop.restore(rest[0] ?? '');
else await desktop.move(rest[0] ?? '');
await core.close();
