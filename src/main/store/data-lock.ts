/**
 * One process at a time moves, restores or recovers a data folder: an exclusive SQLite lock on `hubdesk.sqlite-data.lock`
 * in it, which the operating system releases when the process ends, however it ends. So a journal found while the
 * lock can be taken belongs to an operation that is over (finished or cut off), never to one still running.
 * Nothing else in the process may open and close the lock file while it is held (closing any handle to a file drops
 * the process's POSIX locks on it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { connect, type Db } from './connection';
import { errnoOf, reasonOf } from './durable-files';

/** Beside the database, so a move, a backup and a restore never carry it. */
export const DATA_LOCK_FILE = 'hubdesk.sqlite-data.lock';

export interface DataLock {
  release(): void;
}

/** Another process is moving or restoring this data folder now (or holds it while it recovers one). */
export class DataFolderBusyError extends Error {
  constructor() {
    super(
      'HubDesk is moving or restoring this data folder in another window or command. ' +
        'Wait until it has finished, then try again. Nothing was changed.',
    );
    this.name = 'DataFolderBusyError';
  }
}

/** Takes the lock, waiting up to `waitMs` for another process; throws a `DataFolderBusyError` after that. */
export function lockDataFolder(dataDir: string, waitMs: number): DataLock {
  const file = path.join(dataDir, DATA_LOCK_FILE);
  let lock: Db;
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // Owner-only before SQLite opens it (SQLite would create it readable by others).
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    lock = connect(file, 'readwrite');
  } catch (error) {
    throw new Error(`The data folder's lock cannot be taken: ${reasonOf(error)}`);
  }
  try {
    lock.pragma(`busy_timeout = ${Math.max(0, Math.round(waitMs))}`);
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if (errnoOf(error)?.startsWith('SQLITE_BUSY')) throw new DataFolderBusyError();
    throw new Error(`The data folder's lock cannot be taken: ${reasonOf(error)}`);
  }
  return {
    release() {
      if (lock.open) lock.close();
    },
  };
}
