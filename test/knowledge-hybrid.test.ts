/** Knowledge bases indexed for meaning over the fake proxy's embeddings, and retrieval by keywords and meaning fused. */
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blobToVector } from '../src/main/base/vector-bytes';
import { KbVectorIndex } from '../src/main/store/kb-vector-index';
import { type SearchHarness, startSearchHarness } from './search-fixtures';

let h: SearchHarness | undefined;
const folders: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** A folder with these files (name → text). */
async function folderWith(files: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'hubdesk-kb-hybrid-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
  return folder;
}

function kbVectorCount(harness: SearchHarness): number {
  return (harness.core.db.prepare('SELECT count(*) AS n FROM kb_vectors').get() as { n: number }).n;
}

function queuedChunks(harness: SearchHarness): number {
  return (harness.core.db.prepare('SELECT count(*) AS n FROM kb_embed_queue').get() as { n: number }).n;
}

const hotel = {
  'pets.md': '# Pets\n\nDogs are welcome on the terrace and in the garden rooms.\n',
  'breakfast.md': '# Breakfast\n\nBreakfast is served from seven until ten in the winter garden.\n',
  'parking.md': '# Parking\n\nThe garage under the hotel has spaces for forty cars.\n',
};

describe('knowledge bases by meaning', { timeout: 60_000 }, () => {
  it('a question with none of the passage’s words finds it by meaning once the chunks are embedded', async () => {
    h = await startSearchHarness();
    const folder = await folderWith(hotel);
    const { base } = await h.core.knowledge.addBase('Hotel', [folder]);
    expect(h.core.knowledgeSearch.embedded(base.id)).toEqual({ embedded: 0, total: 3 });
    const question = 'Can I bring my puppy along?';
    expect(await h.core.knowledgeSearch.retrieve([base.id], question)).toEqual([]);

    await h.search.runUntilIdle();
    expect(h.core.knowledgeSearch.embedded(base.id)).toEqual({ embedded: 3, total: 3 });
    expect(kbVectorCount(h)).toBe(3);
    // Each chunk is embedded once, its heading path first.
    expect(h.embeddedInputs().sort()).toEqual([
      'Breakfast\n\n# Breakfast\n\nBreakfast is served from seven until ten in the winter garden.',
      'Parking\n\n# Parking\n\nThe garage under the hotel has spaces for forty cars.',
      'Pets\n\n# Pets\n\nDogs are welcome on the terrace and in the garden rooms.',
    ]);

    const hits = await h.core.knowledgeSearch.retrieve([base.id], question);
    expect(hits[0]).toMatchObject({
      path: join(folder, 'pets.md'),
      heading: 'Pets',
      matchedBy: 'meaning',
      snippet: expect.stringContaining('Dogs are welcome on the terrace and in the garden rooms.'),
    });
    expect(hits.map((hit) => hit.path)).not.toContain(join(folder, 'parking.md'));
  });

  it('keyword and meaning hits are fused: found by both first, then each half’s best', async () => {
    h = await startSearchHarness();
    const folder = await folderWith({
      'both.md': 'The deposit refund arrives within fourteen days.',
      // Words only: the stemmer finds "deposit" and "refund" here, the embedding sees other words.
      'words.md': 'Depositing a refunding cheque takes a working day at the counter.',
      // Meaning only: "reimbursement" means "refund" to the embedding, not to the keyword index.
      'meaning.md': 'Reimbursement is made by bank transfer.',
      'other.md': 'The lift goes up to the roof terrace.',
    });
    const { base } = await h.core.knowledge.addBase('Terms', [folder]);
    await h.search.runUntilIdle();

    const hits = await h.core.knowledgeSearch.retrieve([base.id], 'refund deposit', { limit: 10 });
    const found = hits.map((hit) => [hit.path.slice(folder.length + 1), hit.matchedBy]);
    expect(found[0]).toEqual(['both.md', 'both']);
    expect(found).toContainEqual(['words.md', 'keyword']);
    expect(found).toContainEqual(['meaning.md', 'meaning']);
    expect(found.map(([path]) => path)).not.toContain('other.md');
    const scores = hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 0);
    // Both halves at rank 1: 2 / (60 + 1) by reciprocal rank fusion.
    expect(hits[0]?.score).toBeCloseTo(2 / 61, 10);
  });

  it('offline, retrieval answers by keywords alone, without an error; a recent query still works by meaning', async () => {
    h = await startSearchHarness();
    const folder = await folderWith(hotel);
    const { base } = await h.core.knowledge.addBase('Hotel', [folder]);
    await h.search.runUntilIdle();
    const recent = await h.core.knowledgeSearch.retrieve([base.id], 'a puppy in the garden');
    expect(recent[0]).toMatchObject({ path: join(folder, 'pets.md'), matchedBy: 'both' });

    h.proxy.addFault({ match: '/v1/embeddings', times: 1_000_000, fault: { type: 'reset' } });
    try {
      const offline = await h.core.knowledgeSearch.retrieve([base.id], 'winter garden puppies');
      expect(offline.map((hit) => [hit.path.slice(folder.length + 1), hit.matchedBy])).toEqual([
        ['breakfast.md', 'keyword'],
        ['pets.md', 'keyword'],
      ]);
      expect(await h.core.knowledgeSearch.retrieve([base.id], 'Can I bring my puppy along?')).toEqual([]);
      const cached = await h.core.knowledgeSearch.retrieve([base.id], '  A PUPPY in the   garden');
      expect(cached[0]).toMatchObject({ path: join(folder, 'pets.md'), matchedBy: 'both' });
    } finally {
      h.proxy.clearFaults();
    }
  });

  it('a file removed from disk, or a base removed, takes its vectors and its place in the queue with it', async () => {
    h = await startSearchHarness();
    const folder = await folderWith(hotel);
    const { base } = await h.core.knowledge.addBase('Hotel', [folder]);
    await h.search.runUntilIdle();
    expect(kbVectorCount(h)).toBe(3);

    await unlink(join(folder, 'pets.md'));
    await h.core.knowledge.sync('Hotel');
    expect(kbVectorCount(h)).toBe(2);
    expect(h.core.knowledgeSearch.embedded(base.id)).toEqual({ embedded: 2, total: 2 });
    const hits = await h.core.knowledgeSearch.retrieve([base.id], 'Can I bring my puppy along?');
    expect(hits.map((hit) => hit.path)).not.toContain(join(folder, 'pets.md'));

    await writeFile(join(folder, 'spa.md'), '# Spa\n\nThe sauna opens at four.\n');
    await h.core.knowledge.sync('Hotel');
    expect(queuedChunks(h)).toBe(1);
    await h.core.knowledge.removeBase('Hotel');
    expect(kbVectorCount(h)).toBe(0);
    expect(queuedChunks(h)).toBe(0);
  });

  it('indexing cut off by a restart resumes where it stopped and embeds no chunk twice', async () => {
    h = await startSearchHarness({ timing: { batchItems: 10, batchInputs: 10 } });
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++)
      files[`note-${i}.txt`] = `Note ${i}: the meeting about topic${i} moved to room ${i}.`;
    const folder = await folderWith(files);
    const { base } = await h.core.knowledge.addBase('Notes', [folder]);
    const controller = new AbortController();
    let batches = 0;
    await expect(
      h.search.runUntilIdle({
        signal: controller.signal,
        onBatch: () => {
          if (++batches === 2) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ info: { kind: 'cancelled' } });
    expect(h.core.knowledgeSearch.embedded(base.id)).toEqual({ embedded: 20, total: 40 });

    await h.reopen();
    expect(h.core.knowledgeSearch.embedded(base.id)).toEqual({ embedded: 20, total: 40 });
    await h.search.runUntilIdle();
    expect(h.core.knowledgeSearch.embedded(base.id)).toEqual({ embedded: 40, total: 40 });
    const inputs = h.embeddedInputs();
    expect(inputs).toHaveLength(40);
    expect(new Set(inputs).size).toBe(40);
    const hits = await h.core.knowledgeSearch.retrieve([base.id], 'topic17 room', { limit: 3 });
    expect(hits[0]).toMatchObject({ path: join(folder, 'note-17.txt'), matchedBy: 'both' });
  });

  it('without sqlite-vec, the nearest chunks come out the same from a scan in JavaScript', async () => {
    h = await startSearchHarness();
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++)
      files[`n${i}.md`] = `Notes on garden ${i % 3} and terrace ${i % 5}, room ${i}.`;
    const folder = await folderWith(files);
    const { base } = await h.core.knowledge.addBase('Notes', [folder]);
    await h.search.runUntilIdle();
    const row = h.core.db.prepare('SELECT embedding FROM kb_vectors ORDER BY chunk_id LIMIT 1').get() as {
      embedding: Buffer;
    };
    const query = {
      vector: blobToVector(row.embedding),
      model: 'text-embedding-3-small',
      baseIds: [base.id],
      k: 8,
    };
    const withVec = new KbVectorIndex(h.core.db);
    const byScan = new KbVectorIndex(h.core.db, { prefer: 'scan' });
    expect([withVec.backend, byScan.backend]).toEqual(['sqlite-vec', 'scan']);
    const expected = withVec.nearest(query);
    expect(expected).toHaveLength(8);
    expect(expected[0]?.distance).toBeCloseTo(0, 5);
    const scanned = byScan.nearest(query);
    expect(scanned.map((hit) => hit.chunkId)).toEqual(expected.map((hit) => hit.chunkId));
    for (const [at, hit] of scanned.entries())
      expect(hit.distance).toBeCloseTo(expected[at]?.distance ?? -1, 5);
    expect(byScan.nearest({ ...query, baseIds: ['another base'] })).toEqual([]);
  });

  it('a new embedding length embeds every chunk again; meaning never compares vectors of two settings', async () => {
    h = await startSearchHarness();
    const folder = await folderWith(hotel);
    const { base } = await h.core.knowledge.addBase('Hotel', [folder]);
    await h.search.runUntilIdle();
    h.search.setSettings({ dimensions: 256 });
    expect(h.core.knowledgeSearch.embedded(base.id)).toEqual({ embedded: 0, total: 3 });
    expect(queuedChunks(h)).toBe(3);
    const keywordsOnly = await h.core.knowledgeSearch.retrieve([base.id], 'Can I bring my puppy along?');
    expect(keywordsOnly).toEqual([]);

    await h.search.runUntilIdle();
    const dims = h.core.db.prepare('SELECT DISTINCT dims FROM kb_vectors').all();
    expect(dims).toEqual([{ dims: 256 }]);
    const hits = await h.core.knowledgeSearch.retrieve([base.id], 'Can I bring my puppy along?');
    expect(hits[0]).toMatchObject({ path: join(folder, 'pets.md'), matchedBy: 'meaning' });
  });

  it('offline the background indexer waits with the chunks still queued, and carries on when the network is back', async () => {
    h = await startSearchHarness();
    const folder = await folderWith(hotel);
    h.proxy.addFault({ match: '/v1/embeddings', times: 1_000_000, fault: { type: 'reset' } });
    const { base } = await h.core.knowledge.addBase('Hotel', [folder]);
    h.search.start();
    await until(() => h?.search.status().offline === true);
    expect(h.core.knowledgeSearch.embedded(base.id)).toEqual({ embedded: 0, total: 3 });
    expect(queuedChunks(h)).toBe(3);
    h.proxy.clearFaults();
    await until(() => h?.core.knowledgeSearch.embedded(base.id)?.embedded === 3);
    expect(h.search.status()).toMatchObject({ offline: false, lastError: null });
    expect(queuedChunks(h)).toBe(0);
  });

  it('the background indexer waits out a rate limit, then embeds the chunks', async () => {
    h = await startSearchHarness();
    const folder = await folderWith(hotel);
    const { base } = await h.core.knowledge.addBase('Hotel', [folder]);
    h.proxy.addFault({
      match: '/v1/embeddings',
      times: 1_000_000,
      fault: { type: 'status', status: 429, retryAfter: '1' },
    });
    h.search.start();
    await until(() => (h?.search.status().lastError ?? '') !== '');
    expect(h.core.knowledgeSearch.embedded(base.id)).toEqual({ embedded: 0, total: 3 });
    h.proxy.clearFaults();
    await until(() => h?.core.knowledgeSearch.embedded(base.id)?.embedded === 3);
    expect(h.search.status().lastError).toBeNull();
  });
});

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
