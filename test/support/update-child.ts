/**
 * Run in a child process by test/store-migration-safety.test.ts: opens a database with the app's migrations plus one
 * more (the next version) that stands for the process dying part-way through an update, after the real migrations were
 * committed.
 *
 *   node --import tsx test/support/update-child.ts crash <database>          the process kills itself (SIGKILL)
 *   node --import tsx test/support/update-child.ts hang <database> <ready>   writes <ready>, then waits forever
 */
import fs from 'node:fs';
import { openDatabase } from '../../src/main/store/database';
import { migrations } from '../../src/main/store/migrations';

const [mode, file, ready] = process.argv.slice(2);
if (!file || (mode !== 'crash' && mode !== 'hang')) throw new Error('usage: crash|hang <database> [ready]');

openDatabase(file, {
  migrations: [
    ...migrations,
    {
      version: (migrations.at(-1)?.version ?? 0) + 1,
      name: 'dies part-way',
      up: (db) => {
        db.exec('DELETE FROM messages');
        if (mode === 'crash') process.kill(process.pid, 'SIGKILL');
        if (ready) fs.writeFileSync(ready, 'migrating');
        // Blocks this thread (inside the migration's transaction) until the test kills the process.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      },
    },
  ],
});
