/**
 * Run in a child process by test/sync-crash.test.ts: sets sync up on a data folder over a sync folder and syncs,
 * killing itself (SIGKILL) at the named moment: `upload-object` (the second change set is on the storage, its head
 * not yet), `upload-head` (the second head is written, the change set not yet marked uploaded here) or `apply` (the
 * second remote change set's rows are written inside its transaction, not yet committed).
 *
 *   node --import tsx test/support/sync-child.ts <dataDir> <syncFolder> <passphrase> <moment>
 */
import { createCore } from '../../src/main/core';
import { FolderRemote } from '../../src/main/remotes/folder-remote';
import { memoryKeytar } from './memory-keytar';

const [dataDir, syncFolder, passphrase, moment] = process.argv.slice(2);
if (
  !dataDir ||
  !syncFolder ||
  !passphrase ||
  !['upload-object', 'upload-head', 'apply'].includes(moment ?? '')
) {
  throw new Error('usage: <dataDir> <syncFolder> <passphrase> <upload-object|upload-head|apply>');
}

/** The real folder store, with a point where the process dies. */
class DyingFolderRemote extends FolderRemote {
  private written = { changeSets: 0, heads: 0 };

  override async put(key: string, body: Uint8Array, signal?: AbortSignal): Promise<void> {
    await super.put(key, body, signal);
    if (key.startsWith('c/')) this.written.changeSets += 1;
    if (key.startsWith('h/')) this.written.heads += 1;
    if (moment === 'upload-object' && key.startsWith('c/') && this.written.changeSets === 2)
      process.kill(process.pid, 'SIGKILL');
    if (moment === 'upload-head' && key.startsWith('h/') && this.written.heads === 2)
      process.kill(process.pid, 'SIGKILL');
  }
}

const core = createCore({
  dataDir,
  env: {},
  keytar: memoryKeytar(),
  keychainService: 'HubDesk-test',
  syncTuning: { entriesPerChangeSet: 2 },
  openSyncRemote: (target) => new DyingFolderRemote(target.kind === 'folder' ? target.path : ''),
});
await core.sync.setup({ kind: 'folder', path: syncFolder }, '', passphrase);
await core.sync.now({
  onProgress: (progress) => {
    if (moment === 'apply' && progress.phase === 'apply' && progress.done === 2)
      process.kill(process.pid, 'SIGKILL');
  },
});
process.stderr.write('the sync ended without being killed\n');
