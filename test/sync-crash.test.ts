import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newMessage } from './support/builders';
import {
  type Computer,
  computer,
  history,
  remoteFiles,
  removeTempFolders,
  tempFolder,
} from './support/sync-computers';

const repoRoot = join(import.meta.dirname, '..');
const childScript = join(import.meta.dirname, 'support', 'sync-child.ts');
const PASSPHRASE = 'kill -9 proof';
const tuning = { syncTuning: { entriesPerChangeSet: 2 } };
const open: Computer[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((machine) => machine.close()));
  await removeTempFolders();
});

function runChild(...args: string[]): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, ...args], { cwd: repoRoot });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve({ signal, stderr })));
}

async function machine(name: string): Promise<Computer> {
  const made = await computer(name, tuning);
  open.push(made);
  return made;
}

/** Four conversations of two messages: twelve rows, six change sets of two. */
function library(machine: Computer): void {
  for (let index = 0; index < 4; index += 1) {
    const conversation = machine.core.chat.createConversation({});
    machine.core.chat.updateConversation(conversation.id, { title: `Chat ${index}` });
    const prompt = machine.messages.insert(
      newMessage({ conversationId: conversation.id, text: `question ${index}` }),
    );
    machine.messages.insert(
      newMessage({
        conversationId: conversation.id,
        parentId: prompt.id,
        role: 'assistant',
        text: `answer ${index}`,
      }),
    );
  }
}

function changeSetsOnStorage(files: Map<string, Buffer>): string[] {
  return [...files.keys()].filter((key) => key.startsWith('c/'));
}

function messageCountsHold(machine: Computer): boolean {
  const wrong = machine.core.db
    .prepare(
      `SELECT c.id FROM conversations c
        WHERE c.message_count <> (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id)`,
    )
    .all();
  return wrong.length === 0;
}

describe('sync after kill -9', () => {
  for (const moment of ['upload-object', 'upload-head'] as const) {
    it(`killed mid-upload (${moment}): the next sync finishes it, nothing lost or duplicated`, async () => {
      const remote = await tempFolder('remote');
      const laptop = await machine('laptop');
      library(laptop);
      await laptop.close();
      const { signal, stderr } = await runChild(laptop.dataDir, remote, PASSPHRASE, moment);
      expect(signal, stderr).toBe('SIGKILL');
      const killed = await remoteFiles(remote);
      expect(changeSetsOnStorage(killed)).toHaveLength(2);

      await laptop.reopen();
      expect(laptop.core.sync.status().waiting.changeSets).toBe(5);
      await laptop.core.sync.setup({ kind: 'folder', path: remote }, '', PASSPHRASE);
      const resumed = await laptop.core.sync.now();
      expect(resumed.uploaded).toBe(5);
      expect(laptop.core.sync.status().waiting).toEqual({ rows: 0, changeSets: 0 });
      const files = await remoteFiles(remote);
      expect(changeSetsOnStorage(files)).toHaveLength(6);
      expect([...files.keys()].some((key) => key.includes('.tmp-'))).toBe(false);

      const desktop = await machine('desktop');
      await desktop.core.sync.setup({ kind: 'folder', path: remote }, '', PASSPHRASE);
      const report = await desktop.core.sync.now();
      expect(report).toMatchObject({ applied: 6, problems: [] });
      expect(history(desktop.core)).toEqual(history(laptop.core));
      expect(history(desktop.core).messages).toHaveLength(8);
      expect(messageCountsHold(desktop)).toBe(true);
    });
  }

  it('killed mid-apply: the change set being applied is not half there, and the next sync applies the rest once', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    library(laptop);
    await laptop.core.sync.setup({ kind: 'folder', path: remote }, '', PASSPHRASE);
    expect((await laptop.core.sync.now()).uploaded).toBe(6);

    const desktop = await machine('desktop');
    await desktop.close();
    const { signal, stderr } = await runChild(desktop.dataDir, remote, PASSPHRASE, 'apply');
    expect(signal, stderr).toBe('SIGKILL');

    await desktop.reopen();
    const applied = desktop.core.db.prepare('SELECT seq FROM sync_applied').all();
    expect(applied).toEqual([{ seq: 1 }]);
    // The first change set's two rows are in; the second's, written when the process died, are not.
    const partial = history(desktop.core);
    expect(partial.conversations.length + partial.messages.length).toBe(2);
    const whole = history(laptop.core);
    for (const message of partial.messages) expect(whole.messages).toContainEqual(message);

    await desktop.core.sync.setup({ kind: 'folder', path: remote }, '', PASSPHRASE);
    const report = await desktop.core.sync.now();
    expect(report).toMatchObject({ applied: 5, uploaded: 0, problems: [] });
    expect(history(desktop.core)).toEqual(history(laptop.core));
    expect(messageCountsHold(desktop)).toBe(true);
    expect(desktop.core.sync.status().waiting).toEqual({ rows: 0, changeSets: 0 });
  });
});
