/** Shared set-up of the search tests: the real core over the fake proxy, and items written as the app writes them. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../src/main/base/clock';
import { type Core, createCore } from '../src/main/core';
import { SearchService, type SearchServiceOptions } from '../src/main/services/search/search-service';
import { SearchIndexRepo } from '../src/main/store/search-index-repo';
import { SearchItemsRepo } from '../src/main/store/search-items-repo';
import { SearchRepo } from '../src/main/store/search-repo';
import { TranscriptsRepo } from '../src/main/store/transcripts-repo';
import { VectorIndex } from '../src/main/store/vector-index';
import { VideosRepo } from '../src/main/store/videos-repo';
import type { EventName } from '../src/shared/contract';
import { type FakeProxy, type FakeProxyOptions, startFakeProxy } from './fake-proxy/index';
import { memoryKeytar } from './support/memory-keytar';

export interface SearchHarness {
  core: Core;
  proxy: FakeProxy;
  /** A search service over the core's database with test timings (the core's own one is never started). */
  search: SearchService;
  events: { name: EventName; payload: unknown; at: number }[];
  /** Closes the core and opens a new one over the same data folder (an app restart). */
  reopen(options?: SearchServiceOptions): Promise<void>;
  close(): Promise<void>;
  /** Inputs sent to /v1/embeddings so far (every request, in order). */
  embeddedInputs(): string[];
}

export const fastTiming: SearchServiceOptions['timing'] = {
  idleCheckMs: 50,
  offlineRetryMs: 50,
  offlineRetryMaxMs: 200,
  rateLimitRetryMs: 50,
};

export async function startSearchHarness(
  options: SearchServiceOptions = {},
  proxyOptions: FakeProxyOptions = {},
  clock?: Clock,
): Promise<SearchHarness> {
  const proxy = await startFakeProxy({ speed: 50, ...proxyOptions });
  const dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-search-'));
  const keytar = memoryKeytar();
  const events: SearchHarness['events'] = [];
  const open = async (serviceOptions: SearchServiceOptions) => {
    const core = createCore({ dataDir, env: {}, keytar, keychainService: 'HubDesk-test' });
    const profile = core.settings.activeProfile();
    core.settings.updateProfile(profile.id, { baseUrl: proxy.url });
    await core.settings.setToken(profile.id, proxy.token, 'session');
    core.bus.subscribe((name, payload) => events.push({ name, payload, at: performance.now() }));
    const search = new SearchService(
      {
        index: new SearchIndexRepo(core.db),
        items: new SearchItemsRepo(core.db),
        vectors: new VectorIndex(core.db),
        messages: new SearchRepo(core.db),
        transcripts: new TranscriptsRepo(core.db),
        videos: new VideosRepo(core.db),
        bus: core.bus,
        client: () => core.settings.activeClient(),
        ...(clock ? { clock } : {}),
      },
      { ...serviceOptions, timing: { ...fastTiming, ...serviceOptions.timing } },
    );
    return { core, search };
  };
  const opened = await open(options);
  const harness: SearchHarness = {
    ...opened,
    proxy,
    events,
    async reopen(next = options) {
      await harness.search.close();
      await harness.core.close();
      Object.assign(harness, await open(next));
    },
    async close() {
      await harness.search.close();
      await harness.core.close();
      await proxy.close();
      await rm(dataDir, { recursive: true, force: true });
    },
    embeddedInputs() {
      return proxy.requests
        .filter((request) => request.path.startsWith('/v1/embeddings'))
        .flatMap((request) => {
          const input = (request.json as { input?: unknown } | undefined)?.input;
          return Array.isArray(input) ? input.map(String) : typeof input === 'string' ? [input] : [];
        });
    },
  };
  return harness;
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${++counter}`;

/** A conversation with one complete message per text (user, assistant, user, …); returns the message ids. */
export function addConversation(
  core: Core,
  title: string,
  texts: string[],
  createdAt = Date.now(),
): string[] {
  const conversationId = nextId('conv');
  const insertMessage = core.db.prepare(
    `INSERT INTO messages (id, conversation_id, parent_id, role, text, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'complete', ?, ?)`,
  );
  const ids: string[] = [];
  core.db.transaction(() => {
    core.db
      .prepare(
        `INSERT INTO conversations (id, title, model, api, created_at, updated_at)
         VALUES (?, ?, 'gpt-4o', 'openai-chat', ?, ?)`,
      )
      .run(conversationId, title, createdAt, createdAt);
    texts.forEach((text, index) => {
      const id = nextId('msg');
      insertMessage.run(
        id,
        conversationId,
        ids.at(-1) ?? null,
        index % 2 === 0 ? 'user' : 'assistant',
        text,
        createdAt + index,
        createdAt + index,
      );
      ids.push(id);
    });
  })();
  return ids;
}

/** A finished transcript (no job), 10 s per segment; returns its id. */
export function addTranscript(core: Core, fileName: string, texts: string[]): string {
  const id = nextId('tr');
  new TranscriptsRepo(core.db).completeJob(
    {
      id,
      jobId: null,
      fileName,
      sourcePath: `/media/${fileName}`,
      audioPath: null,
      sizeBytes: 1000,
      durationSec: texts.length * 10,
      model: 'whisper-1',
      language: 'en',
      timestamps: true,
      createdAt: Date.now(),
      segments: texts.map((text, index) => ({ start: index * 10, end: index * 10 + 10, text, words: [] })),
    },
    { uploadedBytes: 1000, totalBytes: 1000, part: 1, partCount: 1 },
  );
  return id;
}

/** A finished video job with this prompt; returns its id. */
export function addVideo(core: Core, prompt: string): string {
  const id = nextId('vid');
  const now = Date.now();
  core.db
    .prepare(
      `INSERT INTO video_jobs (id, vendor, model, prompt, status, created_at, updated_at)
       VALUES (?, 'sora', 'sora-2', ?, 'succeeded', ?, ?)`,
    )
    .run(id, prompt, now, now);
  return id;
}

export function vectorCount(core: Core, kind?: string, itemId?: string): number {
  const row = core.db
    .prepare(
      'SELECT COUNT(*) AS n FROM search_vectors WHERE (? IS NULL OR kind = ?) AND (? IS NULL OR item_id = ?)',
    )
    .get(kind ?? null, kind ?? null, itemId ?? null, itemId ?? null) as { n: number };
  return row.n;
}

/** Ordinary filler text: many distinct words, none of the test's query words. */
export function fillerText(index: number): string {
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
  return Array.from(
    { length: 12 },
    (_, i) => `${words[(index * 7 + i * 3) % words.length]}${(index + i) % 97}`,
  ).join(' ');
}
