/** Knowledge bases over real folders: add, search, and sync after files are added, changed, moved and deleted. */
import { mkdir, rename, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../src/main/core';
import { KnowledgeService } from '../src/main/services/knowledge/knowledge-service';
import { KnowledgeRepo } from '../src/main/store/knowledge-repo';
import type { KbProgress } from '../src/shared/knowledge';
import { docxWith, pdfWithoutText, pdfWithPages } from './support/documents';
import { tempCoresPerTest } from './support/temp-cores';

const { tempDir, openCore, defer } = tempCoresPerTest();

function progressOf(core: Core): KbProgress[] {
  const events: KbProgress[] = [];
  core.bus.subscribe((event, payload) => {
    if (event === 'kb.progress') events.push(payload as KbProgress);
  });
  return events;
}

/** A new modification time, so a change is seen even within the file system's time resolution. */
async function writeChanged(path: string, text: string, seconds: number): Promise<void> {
  await writeFile(path, text);
  const when = new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
  await utimes(path, when, when);
}

describe('knowledge bases', { timeout: 120_000 }, () => {
  it('indexes a folder of documents, finds words with their page or line, and follows changes on disk', async () => {
    const dataDir = await tempDir('hubdesk-kb-data-');
    const docs = await tempDir('hubdesk-kb-docs-');
    await mkdir(join(docs, 'src'));
    await mkdir(join(docs, 'node_modules', 'lib'), { recursive: true });
    await mkdir(join(docs, '.hidden'));
    await writeFile(join(docs, 'guide.md'), '# Guide\nWelcome.\n\n## Linux\nUse the AppImage on Linux.\n');
    await writeFile(
      join(docs, 'fruit.pdf'),
      await pdfWithPages([['apricots'], ['bananas are yellow'], ['cherries']]),
    );
    await writeFile(join(docs, 'scan.pdf'), await pdfWithoutText());
    await writeFile(
      join(docs, 'policy.docx'),
      await docxWith([{ heading: 1, text: 'Hotels' }, { text: 'Breakfast is included.' }]),
    );
    await writeFile(
      join(docs, 'src', 'app.ts'),
      'export const a = 1;\n\nexport function zebraCount() {\n  return 2;\n}\n',
    );
    await writeFile(join(docs, 'node_modules', 'lib', 'readme.md'), 'dependencyword');
    await writeFile(join(docs, '.hidden', 'notes.md'), 'hiddenword');
    await writeFile(join(docs, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));

    const core = openCore(dataDir);
    const events = progressOf(core);
    const { base, report } = await core.knowledge.addBase('Docs', [docs]);
    expect(report).toMatchObject({ added: 4, noText: 1, failed: 0 });
    expect(base).toMatchObject({ name: 'Docs', files: 5, noText: 1, roots: [docs] });
    expect(events.at(-1)).toMatchObject({ name: 'Docs', done: 5, total: 5, finished: true, current: null });

    expect(await core.knowledge.search('docs', 'bananas')).toEqual([
      expect.objectContaining({ path: join(docs, 'fruit.pdf'), page: 2, line: null }),
    ]);
    const linux = await core.knowledge.search('Docs', 'AppImage linux');
    expect(linux[0]).toMatchObject({ path: join(docs, 'guide.md'), line: 4, heading: 'Guide > Linux' });
    expect(linux[0]?.snippet).toContain('AppImage');
    expect(linux[0]?.snippet).toContain('Linux');
    expect(linux[0]?.snippet).not.toContain('#');
    expect((await core.knowledge.search('Docs', 'zebraCount'))[0]).toMatchObject({
      path: join(docs, 'src', 'app.ts'),
      line: 1,
    });
    expect((await core.knowledge.search('Docs', 'breakfast'))[0]).toMatchObject({ heading: 'Hotels' });
    expect(await core.knowledge.search('Docs', 'dependencyword')).toEqual([]);
    expect(await core.knowledge.search('Docs', 'hiddenword')).toEqual([]);

    const scan = core.knowledge.status('Docs').files.find((file) => file.path.endsWith('scan.pdf'));
    expect(scan).toMatchObject({ status: 'no-text', pages: 1, chunks: 0 });
    expect(scan?.error).toMatch(/no text layer/);
    expect(scan?.reason).toEqual({ code: 'kbScannedPdf', values: {} });
    await expect(core.knowledge.addBase('DOCS', [docs])).rejects.toThrow(/exists already/);

    expect(await core.knowledge.sync('Docs')).toMatchObject({ added: 0, changed: 0, unchanged: 5 });

    await writeChanged(join(docs, 'guide.md'), '# Guide\nPeel the kiwi first.\n', 10);
    await mkdir(join(docs, 'archive'));
    await rename(join(docs, 'policy.docx'), join(docs, 'archive', 'policy-2024.docx'));
    await unlink(join(docs, 'src', 'app.ts'));
    await writeFile(join(docs, 'notes.txt'), 'Remember the mangosteen.');
    expect(await core.knowledge.sync('Docs')).toMatchObject({ added: 1, changed: 1, moved: 1, deleted: 1 });
    expect((await core.knowledge.search('Docs', 'kiwi'))[0]?.path).toBe(join(docs, 'guide.md'));
    expect(await core.knowledge.search('Docs', 'AppImage')).toEqual([]);
    expect(await core.knowledge.search('Docs', 'zebraCount')).toEqual([]);
    expect((await core.knowledge.search('Docs', 'breakfast'))[0]?.path).toBe(
      join(docs, 'archive', 'policy-2024.docx'),
    );
    expect((await core.knowledge.search('Docs', 'mangosteen'))[0]?.path).toBe(join(docs, 'notes.txt'));
    await core.close();

    // While HubDesk is closed.
    await unlink(join(docs, 'guide.md'));
    await writeFile(join(docs, 'later.md'), 'Written while HubDesk was closed: durian.');
    const reopened = openCore(dataDir);
    expect(await reopened.knowledge.search('Docs', 'kiwi')).toHaveLength(1);
    expect(await reopened.knowledge.sync('Docs')).toMatchObject({ added: 1, deleted: 1 });
    expect(await reopened.knowledge.search('Docs', 'kiwi')).toEqual([]);
    expect((await reopened.knowledge.search('Docs', 'durian'))[0]?.path).toBe(join(docs, 'later.md'));

    // A folder that cannot be reached now (an unplugged drive) keeps what was found in it.
    const away = `${docs}-away`;
    await rename(docs, away);
    defer(() => rm(away, { recursive: true, force: true }));
    expect(await reopened.knowledge.sync('Docs')).toMatchObject({ deleted: 0 });
    expect(await reopened.knowledge.search('Docs', 'durian')).toHaveLength(1);

    await reopened.knowledge.removeBase('docs');
    expect(reopened.knowledge.list()).toEqual([]);
    await expect(async () => reopened.knowledge.search('Docs', 'durian')).rejects.toThrow(
      /No knowledge base/,
    );
  });

  it('keeps a per-file error for a file over the size cap and retries it on the next sync', async () => {
    const dataDir = await tempDir('hubdesk-kb-data-');
    const docs = await tempDir('hubdesk-kb-docs-');
    await writeFile(join(docs, 'big.txt'), `${'filler '.repeat(100)}papaya`);
    const core = openCore(dataDir);
    const service = new KnowledgeService({
      knowledge: new KnowledgeRepo(core.db),
      search: core.knowledgeSearch,
      bus: core.bus,
      maxFileBytes: 300,
    });
    defer(() => service.close());
    await expect(service.addBase('Nowhere', [join(docs, 'missing')])).rejects.toThrow(
      `There is no file or folder at ${join(docs, 'missing')}.`,
    );
    const picture = await tempDir('hubdesk-kb-picture-');
    await writeFile(join(picture, 'photo.png'), Buffer.from([0x89, 0x50]));
    await expect(service.addBase('Picture', [join(picture, 'photo.png')])).rejects.toThrow(
      /HubDesk cannot read \.png files/,
    );
    expect(service.list()).toEqual([]);
    const { report } = await service.addBase('Big', [docs]);
    expect(report).toMatchObject({ failed: 1, added: 0 });
    expect(service.status('Big').files[0]).toMatchObject({ status: 'failed', chunks: 0 });
    expect(service.status('Big').files[0]?.error).toMatch(
      /^The file is 706 bytes, more than the 300 bytes a knowledge base reads per file\.$/,
    );
    expect(service.status('Big').files[0]?.reason).toEqual({
      code: 'kbFileTooBig',
      values: { size: '706 B', limit: '300 B' },
    });
    expect(await service.sync('Big')).toMatchObject({ failed: 1 });

    await writeChanged(join(docs, 'big.txt'), 'just papaya', 20);
    expect(await service.sync('Big')).toMatchObject({ failed: 0, changed: 1 });
    expect(await service.search('Big', 'papaya')).toHaveLength(1);
  });

  it("replaces a file's chunks all at once: a write that fails half-way leaves the old version whole", async () => {
    const dataDir = await tempDir('hubdesk-kb-data-');
    const docs = await tempDir('hubdesk-kb-docs-');
    await writeFile(join(docs, 'a.md'), 'the old version mentions lychee');
    const core = openCore(dataDir);
    await core.knowledge.addBase('A', [docs]);
    const repo = new KnowledgeRepo(core.db);
    const base = repo.base('A');
    const [file] = base ? repo.files(base.id) : [];
    if (!base || !file) throw new Error('the base was not stored');
    const broken = { text: null as unknown as string, page: null, startLine: 2, heading: '' };
    expect(() =>
      repo.replaceFile(base.id, { ...file, hash: 'new', status: 'indexed', error: null }, [
        { text: 'the new version mentions rambutan', page: null, startLine: 1, heading: '' },
        broken,
      ]),
    ).toThrow(/NOT NULL/);
    expect(repo.files(base.id)).toEqual([file]);
    expect(await core.knowledge.search('A', 'lychee')).toHaveLength(1);
    expect(await core.knowledge.search('A', 'rambutan')).toEqual([]);
  });

  it('stops a waiting sync when its base is removed, and every sync when the service closes', async () => {
    const dataDir = await tempDir('hubdesk-kb-data-');
    const docs = await tempDir('hubdesk-kb-docs-');
    await writeFile(join(docs, 'a.md'), 'alpha');
    const core = openCore(dataDir);
    const service = new KnowledgeService({
      knowledge: new KnowledgeRepo(core.db),
      search: core.knowledgeSearch,
      bus: core.bus,
    });
    await service.addBase('A', [docs]);
    await service.addBase('B', [docs]);
    await writeChanged(join(docs, 'a.md'), 'alpha beta', 30);
    const first = service.sync('A');
    const second = service.sync('B');
    expect(service.sync('B')).toBe(second);
    await service.removeBase('B');
    await expect(second).rejects.toThrow(/stopped/);
    expect(await first).toMatchObject({ changed: 1 });
    const waiting = [service.sync('A'), service.sync('A')];
    await service.close();
    for (const sync of waiting) await sync.catch(() => undefined);
    expect(service.list().map((base) => base.name)).toEqual(['A']);
    await expect(service.sync('A')).rejects.toThrow(/stopped/);
  });

  it('indexes a folder of 2,000 files with progress along the way', async () => {
    const dataDir = await tempDir('hubdesk-kb-data-');
    const docs = await tempDir('hubdesk-kb-many-');
    for (let folder = 0; folder < 20; folder++) {
      await mkdir(join(docs, `part-${folder}`));
      await Promise.all(
        Array.from({ length: 100 }, (_, index) => {
          const n = folder * 100 + index;
          return writeFile(
            join(docs, `part-${folder}`, `note-${n}.txt`),
            `Note ${n}: the code word is word${n}.`,
          );
        }),
      );
    }
    const core = openCore(dataDir);
    const events = progressOf(core);
    const { base, report } = await core.knowledge.addBase('Many', [docs]);
    expect(report.added).toBe(2000);
    expect(base).toMatchObject({ files: 2000, chunks: 2000 });
    expect(events[0]).toMatchObject({ done: 0, total: 2000, finished: false });
    expect(events.at(-1)).toMatchObject({ done: 2000, total: 2000, finished: true });
    const done = events.map((event) => event.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect((await core.knowledge.search('Many', 'word1999'))[0]?.path).toBe(
      join(docs, 'part-19', 'note-1999.txt'),
    );
  });
});
