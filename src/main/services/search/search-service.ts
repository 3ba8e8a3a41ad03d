import type { EventName } from '../../../shared/contract';
import {
  type IndexSettings,
  type IndexStatus,
  type MeaningReason,
  type MessageHit,
  modelAcceptsDimensions,
  type SearchKind,
  type SearchResult,
} from '../../../shared/search';
import type { HttpClient } from '../../api/http-client';
import { type Clock, systemClock } from '../../base/clock';
import { HubError, toAppError } from '../../base/errors';
import type { SearchIndexRepo } from '../../store/search-index-repo';
import type { SearchItemsRepo } from '../../store/search-items-repo';
import type { SearchRepo } from '../../store/search-repo';
import type { TranscriptsRepo } from '../../store/transcripts-repo';
import type { VectorIndex } from '../../store/vector-index';
import type { VideosRepo } from '../../store/videos-repo';
import type { EventBus } from '../event-bus';
import { EverythingSearch, type SearchMode } from './everything-search';
import { ProgressThrottle, StreamActivity } from './index-pacing';
import { defaultIndexerTiming, Indexer, type IndexerTiming } from './indexer';
import { KeywordSearch } from './keyword-search';
import { MeaningSearch, type MeaningSearchOptions } from './meaning-search';
import { RelatedSearch } from './related-search';

export interface SearchServiceDeps {
  index: SearchIndexRepo;
  items: SearchItemsRepo;
  vectors: VectorIndex;
  /** Keyword search over messages. */
  messages: SearchRepo;
  transcripts: TranscriptsRepo;
  videos: VideosRepo;
  bus: EventBus;
  /** The HTTP client of the active profile. */
  client: () => HttpClient;
  log?: ((line: string) => void) | undefined;
  clock?: Clock;
}

export interface SearchServiceOptions extends MeaningSearchOptions {
  timing?: Partial<IndexerTiming>;
}

/** Search by meaning (issue 6): the embeddings index, vector search, and hybrid ranking with keyword search. */
export class SearchService {
  private readonly index: SearchIndexRepo;
  private readonly vectors: VectorIndex;
  private readonly indexer: Indexer;
  private readonly everything: EverythingSearch;
  private readonly relatedSearch: RelatedSearch;
  private readonly stream: StreamActivity;
  private readonly progress: ProgressThrottle;
  private readonly unsubscribe: () => void;

  constructor(deps: SearchServiceDeps, options: SearchServiceOptions = {}) {
    const clock = deps.clock ?? systemClock;
    this.index = deps.index;
    this.vectors = deps.vectors;
    const meaning = new MeaningSearch(deps, options);
    this.everything = new EverythingSearch(deps.index, new KeywordSearch(deps), meaning);
    this.relatedSearch = new RelatedSearch(deps.index, deps.items, meaning);
    this.stream = new StreamActivity(clock);
    this.progress = new ProgressThrottle(clock, () => deps.bus.emit('index.progress', this.status()));
    this.indexer = new Indexer(
      {
        index: deps.index,
        items: deps.items,
        client: deps.client,
        changed: (now) => this.progress.changed(now),
        busy: () => this.stream.busy(),
        log: deps.log,
        clock,
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
    this.progress.cancel();
    await this.indexer.stop();
    this.progress.cancel();
  }

  search(request: {
    query: string;
    kinds?: SearchKind[] | undefined;
    limit: number;
    mode?: SearchMode | undefined;
    signal?: AbortSignal | undefined;
  }): Promise<SearchResult> {
    return this.everything.search(request);
  }

  related(request: { messageId: string; limit: number }): {
    hits: MessageHit[];
    meaningUsed: boolean;
    meaningUnavailable?: MeaningReason;
  } {
    return this.relatedSearch.related(request);
  }

  status(): IndexStatus {
    const state = this.index.state();
    const progress = this.index.progress();
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
    this.index.setPaused(true);
    this.progress.changed(true);
    return this.status();
  }

  resume(): IndexStatus {
    this.index.setPaused(false);
    this.indexer.wake('user');
    this.progress.changed(true);
    return this.status();
  }

  /** Every vector dropped and every item queued again, with the new model/dimensions when given. */
  rebuild(request: { model?: string | undefined; dimensions?: number | null | undefined } = {}): IndexStatus {
    const current = this.index.state();
    const model = request.model ?? current.model;
    const dimensions = request.dimensions !== undefined ? request.dimensions : current.dimensions;
    if (dimensions !== null && !modelAcceptsDimensions(model)) {
      throw new HubError({
        kind: 'invalid_input',
        message: `${model} does not accept a dimensions setting; only the text-embedding-3 models do.`,
        field: 'dimensions',
        reason: { code: 'embeddingDimensions', values: { model } },
      });
    }
    this.index.rebuild(model, dimensions);
    this.indexer.invalidate();
    this.progress.changed(true);
    return this.status();
  }

  getSettings(): IndexSettings {
    const { model, dimensions } = this.index.state();
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
      this.index.setLastError(null);
    } catch (error) {
      this.index.setLastError(toAppError(error).message);
      throw error;
    } finally {
      this.progress.changed(true);
    }
    return this.status();
  }

  private onEvent(event: EventName): void {
    if (event === 'chat.delta') {
      this.stream.noteDelta();
      return;
    }
    if (event === 'index.progress') return;
    this.indexer.wake(event === 'token.changed' || event === 'profiles.changed' ? 'user' : 'work');
  }
}

function kindProgress(counts: { total: number; pending: number }): { indexed: number; total: number } {
  return { indexed: Math.max(0, counts.total - counts.pending), total: counts.total };
}
