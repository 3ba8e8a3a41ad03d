import { copyFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Core, createCore } from '../../src/main/core';
import { dataPaths } from '../../src/main/paths';
import { openDatabase } from '../../src/main/store/database';
import { MessagesRepo } from '../../src/main/store/messages-repo';
import { newMessage } from '../../test/support/builders';
import { memoryKeytar } from '../../test/support/memory-keytar';
import { insertLinearHistory, seededRandom, vocabulary } from '../lib/history-db';
import { MiB, RssPeak } from '../lib/measure';
import type { Figure } from '../lib/report';

const CONVERSATIONS = 100;
const MESSAGES = 100_000;
const PASSPHRASE = 'bench passphrase for sync';

/** A data folder with 100 conversations of 1,000 messages (5–45 made-up words each), written in one transaction. */
function libraryWith100kMessages(dataDir: string): string {
  const path = dataPaths(dataDir).databasePath;
  const db = openDatabase(path);
  const words = vocabulary();
  const random = seededRandom(19);
  const plan = Array.from({ length: CONVERSATIONS }, (_, c) => ({
    id: `conv-${c}`,
    messages: MESSAGES / CONVERSATIONS,
  }));
  insertLinearHistory(db, plan, random, () => words[Math.floor(random() * 400)] ?? '');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return path;
}

function open(dataDir: string): Core {
  return createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-bench' });
}

/** One sync with its time and the RSS it added. */
async function measuredSync(core: Core) {
  const rss = new RssPeak();
  rss.start();
  const started = performance.now();
  const report = await core.sync.now();
  return { ms: performance.now() - started, rssBytes: rss.stop(), report };
}

async function copyTime(from: string, to: string): Promise<number> {
  const started = performance.now();
  await copyFile(from, to);
  return performance.now() - started;
}

export const syncAtScale: Figure = {
  id: 12,
  title: 'Sync: a first sync of 100k messages and one new reply, against copying the database',
  async run(ctx) {
    const root = join(ctx.tempDir, 'sync');
    const remote = join(root, 'remote');
    await mkdir(remote, { recursive: true });
    const laptopDir = join(root, 'laptop');
    const databasePath = libraryWith100kMessages(laptopDir);
    const databaseBytes = (await stat(databasePath)).size;
    const firstCopyMs = await copyTime(databasePath, join(root, 'copy-1.sqlite'));

    const laptop = open(laptopDir);
    const desktop = open(join(root, 'desktop'));
    try {
      const target = { kind: 'folder' as const, path: remote };
      await laptop.sync.setup(target, '', PASSPHRASE);
      const up = await measuredSync(laptop);
      await desktop.sync.setup(target, '', PASSPHRASE);
      const down = await measuredSync(desktop);
      ctx.log(
        `first sync: up ${(up.ms / 1000).toFixed(1)} s (${(up.report.bytesUp / MiB).toFixed(1)} MiB), down ${(down.ms / 1000).toFixed(1)} s (${(down.report.bytesDown / MiB).toFixed(1)} MiB), database ${(databaseBytes / MiB).toFixed(0)} MiB copied in ${firstCopyMs.toFixed(0)} ms`,
      );

      // One new reply on the laptop: what goes up, and what the desktop takes down.
      const messages = new MessagesRepo(laptop.db);
      const prompt = messages.insert(
        newMessage({ conversationId: 'conv-0', parentId: 'conv-0-m999', text: 'And one more question?' }),
      );
      messages.insert(
        newMessage({
          conversationId: 'conv-0',
          parentId: prompt.id,
          role: 'assistant',
          text: 'One more answer, synced alone.',
        }),
      );
      const replyUp = await measuredSync(laptop);
      const replyDown = await measuredSync(desktop);
      const copyMs = await copyTime(databasePath, join(root, 'copy-2.sqlite'));
      ctx.log(
        `one reply: up ${replyUp.ms.toFixed(0)} ms (${replyUp.report.bytesUp} B), down ${replyDown.ms.toFixed(0)} ms (${replyDown.report.bytesDown} B); copy ${copyMs.toFixed(0)} ms`,
      );
      const sameOnBoth =
        (desktop.db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n === MESSAGES + 2;
      if (!sameOnBoth) throw new Error('the desktop does not have every message after the syncs');

      return {
        id: 12,
        title: 'Sync: a first sync of 100k messages and one new reply, against copying the database',
        method: `${MESSAGES.toLocaleString('en-US')} messages in ${CONVERSATIONS} conversations (database ${(databaseBytes / MiB).toFixed(0)} MiB), synced through a folder target by two cores in this process (encrypted, compressed change sets); baseline: copying the database file (what a backup-and-overwrite sync sends)`,
        rows: [
          {
            name: 'first sync up, bytes written',
            value: up.report.bytesUp / MiB,
            unit: 'MiB',
            baselineName: 'database file',
            baseline: databaseBytes / MiB,
            ratioLabel: 'of the file',
            target: '≤ 0.25× the file',
            met: up.report.bytesUp <= 0.25 * databaseBytes,
            missNote: 'change sets carry whole rows; compression should keep them well under the file',
          },
          {
            name: 'first sync up, time',
            value: up.ms / 1000,
            unit: 's',
            baselineName: 'copy the file',
            baseline: firstCopyMs / 1000,
            ratioLabel: 'of a copy',
            target: 'context (a copy does not merge)',
            met: null,
          },
          {
            name: 'first sync down (a new computer), time',
            value: down.ms / 1000,
            unit: 's',
            baselineName: 'copy the file',
            baseline: firstCopyMs / 1000,
            ratioLabel: 'of a copy',
            target: 'context',
            met: null,
          },
          {
            name: 'first sync, RSS added (the larger side)',
            value: Math.max(up.rssBytes, down.rssBytes) / MiB,
            unit: 'MiB',
            baselineName: 'database file',
            baseline: databaseBytes / MiB,
            ratioLabel: 'of the file',
            target: '≤ 8× the file',
            met: Math.max(up.rssBytes, down.rssBytes) <= 8 * databaseBytes,
            missNote:
              'the first sync holds a change set of rows at a time; more means rows are kept past their set',
          },
          {
            name: 'one new reply, bytes up + down',
            value: replyUp.report.bytesUp + replyDown.report.bytesDown,
            unit: 'B',
            baselineName: 'database file',
            baseline: databaseBytes,
            ratioLabel: 'of the file',
            target: '≤ 0.001× the file',
            met: replyUp.report.bytesUp + replyDown.report.bytesDown <= 0.001 * databaseBytes,
            missNote: 'an incremental sync should send the changed rows only',
          },
          {
            name: 'one new reply, time up + down',
            value: replyUp.ms + replyDown.ms,
            unit: 'ms',
            baselineName: 'copy the file',
            baseline: copyMs,
            ratioLabel: 'of a copy',
            target: '≤ 1× a copy',
            met: replyUp.ms + replyDown.ms <= copyMs,
            missNote:
              'an incremental sync reads heads, one change set and its rows; it should beat copying the file',
          },
        ],
      };
    } finally {
      await laptop.close();
      await desktop.close();
    }
  },
};
