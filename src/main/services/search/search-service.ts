import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../../shared/chat';
import type { EventName } from '../../../shared/contract';
import {
  type EverythingHit,
  type IndexSettings,
  type IndexStatus,
  type MeaningReason,
  type MessageHit,
  modelAcceptsDimensions,
  type SearchKind,
  type SearchResult,
  searchKinds,
} from '../../../shared/search';
import { videoVendorLabels } from '../../../shared/videos/job';
import { blobToVector, embedTexts } from '../../api/embeddings';
import { HubError, toAppError } from '../../base/errors';
import { SearchRepo, searchTerms, snippetAround } from '../../store/search-repo';
import { TranscriptsRepo } from '../../store/transcripts-repo';
import { VideosRepo } from '../../store/videos-repo';
import type { ServiceDeps } from '../service-deps';
import { fuseRankings, type RankedList } from './fusion';
import { IndexRepo } from './index-repo';
import { defaultIndexerTiming, Indexer, type IndexerTiming } from './indexer';
import { meanVector, type VectorHit, VectorIndex } from './vector-index';

export interface SearchServiceOptions {
  timing?: Partial<IndexerTiming>;
  /** `scan` skips sqlite-vec (tests, benchmarks); default: sqlite-vec where it loads. */
  vectorSearch?: 'auto' | 'scan';
  /** How long a search waits for its query's embedding before answering with keyword hits only. */
  queryTimeoutMs?: number;
  /** Vector hits less similar than this (cosine) are noise, not meaning matches. */
  minSimilarity?: number;
}

const SNIPPET_CHARS = 160;
const PROGRESS_INTERVAL_MS = 250;
/** A chat delta within this long means a reply is streaming: the indexer steps back. */
const STREAM_QUIET_MS = 250;
const VECTOR_CANDIDATES_PER_HIT = 4;
const DEFAULT_MIN_SIMILARITY = 0.2;

interface Candidate {
  hit: EverythingHit;
}

/** Search by meaning (issue 6): the embeddings index, vector search, and hybrid ranking with keyword search. */
export class SearchService {
  private readonly repo: IndexRepo;
  private readonly vectors: VectorIndex;
  private readonly indexer: Indexer;
  private readonly messagesSearch: SearchRepo;
  private readonly transcripts: TranscriptsRepo;
  private readonly videos: VideosRepo;
  private readonly now: () => number;
  private readonly queryTimeoutMs: number;
  private readonly maxDistance: number;
  private lastDeltaAt = Number.NEGATIVE_INFINITY;
  private lastProgressAt = 0;
  private progressTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    readonly deps: ServiceDeps,
    options: SearchServiceOptions = {},
  ) {
    this.now = deps.now ?? Date.now;
    this.repo = new IndexRepo(deps.db, this.now);
    this.vectors = new VectorIndex(deps.db, {
      prefer: options.vectorSearch ?? 'auto',
      ...(deps.log ? { log: deps.log } : {}),
    });
    this.messagesSearch = new SearchRepo(deps.db);
    this.transcripts = new TranscriptsRepo(deps.db);
    this.videos = new VideosRepo(deps.db);
    this.queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
    this.maxDistance = 1 - (options.minSimilarity ?? DEFAULT_MIN_SIMILARITY);
    this.indexer = new Indexer(
      {
        repo: this.repo,
        client: deps.client,
        changed: (now) => this.progressChanged(now),
        busy: () => performance.now() - this.lastDeltaAt < STREAM_QUIET_MS,
        log: deps.log,
      },
      { ...defaultIndexerTiming, ...options.timing },
    );
    this.unsubscribe = deps.bus.subscribe((event) => this.onEvent(event));
  }

  /** Nothing to repair: the queue and the vectors live in SQLite and the triggers kept them in step. */
  recover(): void {}

  /** Starts indexing in the background (the app; the CLI indexes only on `hubdesk index run`). */
  start(): void {
    this.indexer.start();
  }

  async close(): Promise<void> {
    this.unsubscribe();
    clearTimeout(this.progressTimer);
    await this.indexer.stop();
  }

  // ── Search ───────────────────────────────────────────────────────────────────────────────────────────

  /** Keyword and meaning hits over the chosen kinds, fused by rank; keyword hits only when meaning cannot run. */
  async search(request: {
    query: string;
    kinds?: SearchKind[] | undefined;
    limit: number;
  }): Promise<SearchResult> {
    const kinds = request.kinds && request.kinds.length > 0 ? [...new Set(request.kinds)] : [...searchKinds];
    const candidates = new Map<string, Candidate>();
    const lists: RankedList[] = [];
    const { model } = this.repo.state();
    const perKind = request.limit * 2;

    if (kinds.includes('message')) {
      const keys: string[] = [];
      for (const hit of this.messagesSearch.search(request.query, perKind)) {
        const key = `message:${hit.messageId}`;
        keys.push(key);
        candidates.set(key, {
          hit: {
            kind: 'message',
            id: hit.messageId,
            title: hit.conversationTitle,
            snippet: hit.snippet,
            date: hit.createdAt,
            score: 0,
            matchedBy: 'keyword',
            role: hit.role,
            target: { conversationId: hit.conversationId, messageId: hit.messageId },
          },
        });
      }
      lists.push({ source: 'keyword', keys });
    }
    if (kinds.includes('segment')) {
      const keys: string[] = [];
      for (const hit of this.transcripts.search(request.query, perKind)) {
        const windowStart = this.repo.windowStartOf(hit.transcriptId, hit.segmentIndex, model);
        const key = `segment:${hit.transcriptId}:${windowStart ?? `k${hit.segmentIndex}`}`;
        keys.push(key);
        if (candidates.has(key)) continue;
        candidates.set(key, {
          hit: {
            kind: 'segment',
            id: `${hit.transcriptId}:${hit.segmentIndex}`,
            title: hit.fileName,
            snippet: hit.snippet,
            date: hit.createdAt,
            score: 0,
            matchedBy: 'keyword',
            target: { transcriptId: hit.transcriptId, segmentIndex: hit.segmentIndex, startSec: hit.start },
          },
        });
      }
      lists.push({ source: 'keyword', keys });
    }
    if (kinds.includes('video')) {
      const keys: string[] = [];
      const terms = searchTerms(request.query);
      for (const video of this.videos.list({ query: request.query, limit: perKind })) {
        const key = `video:${video.id}`;
        keys.push(key);
        candidates.set(key, {
          hit: {
            kind: 'video',
            id: video.id,
            title: `${videoVendorLabels[video.vendor]} · ${video.model}`,
            snippet: snippetAround(video.prompt, terms),
            date: video.createdAt,
            score: 0,
            matchedBy: 'keyword',
            target: { videoId: video.id },
          },
        });
      }
      lists.push({ source: 'keyword', keys });
    }

    const meaning = await this.queryVector(request.query);
    if (meaning.vector) {
      const hits = this.vectors.nearest({
        vector: meaning.vector,
        model,
        kinds,
        k: request.limit * VECTOR_CANDIDATES_PER_HIT,
      });
      const keys: string[] = [];
      for (const hit of hits) {
        if (hit.distance > this.maxDistance) break;
        const key = this.vectorKey(hit);
        const existing = candidates.get(key);
        if (!existing) {
          const resolved = this.resolveVectorHit(hit);
          if (!resolved) continue;
          candidates.set(key, { hit: resolved });
        }
        keys.push(key);
      }
      lists.push({ source: 'meaning', keys });
    }

    const hits = fuseRankings(lists)
      .flatMap((item) => {
        const candidate = candidates.get(item.key);
        return candidate ? [{ ...candidate.hit, score: item.score, matchedBy: item.matchedBy }] : [];
      })
      .slice(0, request.limit);
    return {
      hits,
      meaningUsed: meaning.vector !== null,
      ...(meaning.reason ? { meaningUnavailable: meaning.reason } : {}),
    };
  }

  /** Messages of other conversations nearest to this one, one per conversation, by its stored vector. */
  related(request: { messageId: string; limit: number }): {
    hits: MessageHit[];
    meaningUsed: boolean;
    meaningUnavailable?: MeaningReason;
  } {
    const message = this.deps.db
      .prepare('SELECT conversation_id FROM messages WHERE id = ?')
      .get(request.messageId) as { conversation_id: string } | undefined;
    if (!message) {
      throw new HubError({
        kind: 'not_found',
        message: `No message with id "${request.messageId}".`,
        field: 'messageId',
      });
    }
    const { model } = this.repo.state();
    const chunks = this.repo.messageVectors(request.messageId, model).map(blobToVector);
    if (chunks.length === 0) {
      return {
        hits: [],
        meaningUsed: false,
        meaningUnavailable: { code: 'relatedNotIndexed' },
      };
    }
    const nearest = this.vectors.nearest({
      vector: meanVector(chunks),
      model,
      kinds: ['message'],
      k: request.limit * 20,
      excludeConversationId: message.conversation_id,
    });
    const hits: MessageHit[] = [];
    const conversations = new Set<string>();
    for (const hit of nearest) {
      if (hit.distance > this.maxDistance) break;
      const resolved = this.resolveVectorHit(hit);
      if (resolved?.kind !== 'message' || conversations.has(resolved.target.conversationId)) continue;
      conversations.add(resolved.target.conversationId);
      hits.push({ ...resolved, score: 1 - hit.distance });
      if (hits.length >= request.limit) break;
    }
    return { hits, meaningUsed: true };
  }

  /** The query's embedding (cached ones work offline), or why there is none. */
  private async queryVector(query: string): Promise<{ vector: Float32Array | null; reason?: MeaningReason }> {
    const { model, dimensions, lastError } = this.repo.state();
    if (!this.repo.hasVectors(model)) {
      return {
        vector: null,
        reason: { code: 'notIndexed', ...(lastError ? { detail: lastError } : {}) },
      };
    }
    const key = `${model}|${dimensions ?? ''}|${query.trim().toLowerCase().replace(/\s+/g, ' ')}`;
    const cached = this.repo.cachedQuery(key);
    if (cached) return { vector: blobToVector(cached) };
    try {
      const result = await embedTexts(this.deps.client(), {
        model,
        inputs: [query.trim()],
        dimensions,
        retry: false,
        signal: AbortSignal.timeout(this.queryTimeoutMs),
      });
      const vector = result.vectors[0];
      if (!vector) return { vector: null, reason: { code: 'noEmbedding' } };
      this.repo.cacheQuery(key, model, vector);
      return { vector };
    } catch (error) {
      const info = toAppError(error);
      if (info.kind === 'network' || info.kind === 'timeout' || info.kind === 'cancelled') {
        return { vector: null, reason: { code: 'offline' } };
      }
      if (info.kind === 'auth') {
        return { vector: null, reason: { code: 'needsToken', detail: info.message } };
      }
      return { vector: null, reason: { code: 'unavailable', detail: info.message } };
    }
  }

  private vectorKey(hit: VectorHit): string {
    if (hit.kind === 'segment') return `segment:${hit.itemId}:${hit.spanStart ?? 0}`;
    return `${hit.kind}:${hit.itemId}`;
  }

  /** The hit as the contract shows it; null when its item is gone or in the bin. */
  private resolveVectorHit(hit: VectorHit): EverythingHit | null {
    const db = this.deps.db;
    if (hit.kind === 'message') {
      const row = db
        .prepare(
          `SELECT m.id, m.conversation_id, m.role, m.text, m.created_at, c.title FROM messages m
           JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ? AND c.deleted_at IS NULL`,
        )
        .get(hit.itemId) as
        | {
            id: string;
            conversation_id: string;
            role: 'user' | 'assistant';
            text: string;
            created_at: number;
            title: string;
          }
        | undefined;
      if (!row) return null;
      return {
        kind: 'message',
        id: row.id,
        title: row.title,
        snippet: plainSnippet(row.text.slice(hit.spanStart ?? 0)),
        date: row.created_at,
        score: 0,
        matchedBy: 'meaning',
        role: row.role,
        target: { conversationId: row.conversation_id, messageId: row.id },
      };
    }
    if (hit.kind === 'segment') {
      const first = hit.spanStart ?? 0;
      const rows = db
        .prepare(
          `SELECT s.idx, s.start_sec, s.text, t.file_name, t.created_at FROM transcript_segments s
           JOIN transcripts t ON t.id = s.transcript_id
           WHERE s.transcript_id = ? AND s.idx BETWEEN ? AND ? ORDER BY s.idx`,
        )
        .all(hit.itemId, first, hit.spanEnd ?? first) as {
        idx: number;
        start_sec: number;
        text: string;
        file_name: string;
        created_at: number;
      }[];
      const head = rows[0];
      if (!head) return null;
      return {
        kind: 'segment',
        id: `${hit.itemId}:${head.idx}`,
        title: head.file_name,
        snippet: plainSnippet(rows.map((row) => row.text.trim()).join(' ')),
        date: head.created_at,
        score: 0,
        matchedBy: 'meaning',
        target: {
          transcriptId: hit.itemId,
          segmentIndex: head.idx,
          startSec: hit.startSec ?? head.start_sec,
        },
      };
    }
    const video = this.videos.get(hit.itemId);
    if (!video || video.deletedAt !== null) return null;
    return {
      kind: 'video',
      id: video.id,
      title: `${videoVendorLabels[video.vendor]} · ${video.model}`,
      snippet: plainSnippet(video.prompt),
      date: video.createdAt,
      score: 0,
      matchedBy: 'meaning',
      target: { videoId: video.id },
    };
  }

  // ── Index ────────────────────────────────────────────────────────────────────────────────────────────

  status(): IndexStatus {
    const state = this.repo.state();
    const progress = this.repo.progress();
    const kinds = {
      message: kindProgress(progress.message),
      segment: kindProgress(progress.segment),
      video: kindProgress(progress.video),
    };
    return {
      model: state.model,
      dimensions: state.dimensions,
      kinds,
      indexed: kinds.message.indexed + kinds.segment.indexed + kinds.video.indexed,
      total: kinds.message.total + kinds.segment.total + kinds.video.total,
      tokensUsed: state.tokensUsed,
      paused: state.paused,
      running: this.indexer.running,
      offline: this.indexer.offline,
      lastError: state.lastError,
      vectorSearch: this.vectors.backend,
    };
  }

  pause(): IndexStatus {
    this.repo.setPaused(true);
    this.progressChanged(true);
    return this.status();
  }

  resume(): IndexStatus {
    this.repo.setPaused(false);
    this.indexer.wake('user');
    this.progressChanged(true);
    return this.status();
  }

  /** Every vector dropped and every item queued again, with the new model/dimensions when given. */
  rebuild(request: { model?: string | undefined; dimensions?: number | null | undefined } = {}): IndexStatus {
    const current = this.repo.state();
    const model = request.model ?? current.model;
    const dimensions = request.dimensions !== undefined ? request.dimensions : current.dimensions;
    if (dimensions !== null && !modelAcceptsDimensions(model)) {
      throw new HubError({
        kind: 'invalid_input',
        message: `${model} does not accept a dimensions setting; only the text-embedding-3 models do.`,
        field: 'dimensions',
      });
    }
    this.repo.rebuild(model, dimensions);
    this.indexer.invalidate();
    this.progressChanged(true);
    return this.status();
  }

  getSettings(): IndexSettings {
    const { model, dimensions } = this.repo.state();
    return { model, dimensions };
  }

  /** A different model or length rebuilds the index: vectors of two models are never compared. */
  setSettings(patch: { model?: string | undefined; dimensions?: number | null | undefined }): IndexSettings {
    const current = this.getSettings();
    const model = patch.model ?? current.model;
    const dimensions =
      patch.dimensions !== undefined
        ? patch.dimensions
        : patch.model !== undefined && !modelAcceptsDimensions(model)
          ? null
          : current.dimensions;
    if (model !== current.model || dimensions !== current.dimensions) this.rebuild({ model, dimensions });
    return this.getSettings();
  }

  /** Indexes everything pending and resolves (the CLI's `index run`); a failure rejects. */
  async runUntilIdle(
    options: { signal?: AbortSignal; onBatch?: (status: IndexStatus) => void } = {},
  ): Promise<IndexStatus> {
    try {
      await this.indexer.drain({
        ...(options.signal ? { signal: options.signal } : {}),
        onBatch: () => options.onBatch?.(this.status()),
      });
      this.repo.setLastError(null);
    } catch (error) {
      this.repo.setLastError(toAppError(error).message);
      throw error;
    } finally {
      this.progressChanged(true);
    }
    return this.status();
  }

  private onEvent(event: EventName): void {
    if (event === 'chat.delta') {
      this.lastDeltaAt = performance.now();
      return;
    }
    if (event === 'index.progress') return;
    this.indexer.wake(event === 'token.changed' || event === 'profiles.changed' ? 'user' : 'work');
  }

  /** Emits `index.progress` at once for state changes, else at most every PROGRESS_INTERVAL_MS. */
  private progressChanged(now: boolean): void {
    const elapsed = performance.now() - this.lastProgressAt;
    if (now || elapsed >= PROGRESS_INTERVAL_MS) {
      clearTimeout(this.progressTimer);
      this.progressTimer = undefined;
      this.lastProgressAt = performance.now();
      this.deps.bus.emit('index.progress', this.status());
    } else if (!this.progressTimer) {
      this.progressTimer = setTimeout(() => {
        this.progressTimer = undefined;
        this.progressChanged(true);
      }, PROGRESS_INTERVAL_MS - elapsed);
      this.progressTimer.unref?.();
    }
  }
}

function kindProgress(counts: { total: number; pending: number }): { indexed: number; total: number } {
  return { indexed: Math.max(0, counts.total - counts.pending), total: counts.total };
}

/** The start of a passage as one line, no match markers (a meaning hit has no matched words). */
function plainSnippet(text: string): string {
  const clean = text
    .replaceAll(SNIPPET_MATCH_START, '')
    .replaceAll(SNIPPET_MATCH_END, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= SNIPPET_CHARS) return clean;
  const cut = clean.lastIndexOf(' ', SNIPPET_CHARS);
  return `${clean.slice(0, cut > SNIPPET_CHARS - 30 ? cut : SNIPPET_CHARS)}…`;
}
