import { createHash, randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { KbBaseSummary, KbFileView, KbHit, KbProgress, KbSyncReport } from '../../../shared/knowledge';
import { HubError } from '../../base/errors';
import { WorkQueue } from '../../base/work-queue';
import type { KbBase, KbStoredFile, KnowledgeRepo } from '../../store/knowledge-repo';
import type { EventBus } from '../event-bus';
import { documentChunks } from './document-chunks';
import { extractDocument, hasNoText, isSupportedFile } from './extract-document';
import { type FoundFile, walkRoots } from './folder-walk';
import type { KnowledgeSearch } from './knowledge-search';

/** A file larger than this is not read (its error says so); a text that big is rarely a document. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Progress events of one sync are at least this far apart (its first and last are always sent). */
const PROGRESS_INTERVAL_MS = 100;

export interface KnowledgeServiceDeps {
  knowledge: KnowledgeRepo;
  search: KnowledgeSearch;
  bus: EventBus;
  /** Milliseconds since the epoch (progress pacing); injectable for tests. */
  now?: () => number;
  maxFileBytes?: number;
  log?: (line: string) => void;
}

export interface KbStatus {
  base: KbBaseSummary;
  files: KbFileView[];
  /** The sync under way, if one is. */
  progress: KbProgress | null;
}

interface PendingSync {
  done: Promise<KbSyncReport>;
  resolve: (report: KbSyncReport) => void;
  reject: (error: unknown) => void;
  /** Set when the sync ran; a sync dropped before it ran has none. */
  outcome?: { report: KbSyncReport } | { error: unknown };
}

interface FileToRead extends FoundFile {
  path: string;
  stored: KbStoredFile | undefined;
}

function emptyReport(): KbSyncReport {
  return { added: 0, changed: 0, moved: 0, deleted: 0, unchanged: 0, failed: 0, noText: 0 };
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function isUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

function stopped(): HubError {
  return new HubError({ kind: 'cancelled', message: 'The sync of the knowledge base was stopped.' });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Knowledge bases over the user's folders and files: a sync walks the roots, compares each file's size and
 * modification time, then its content hash, with what is stored, and reads only what is new or changed (a file
 * moved keeps its chunks). Syncs run one at a time on a work queue, a file at a time with a turn of the event loop
 * between files; a file's chunks are replaced in one transaction, so a sync cut off anywhere leaves every file
 * either as it was or fully indexed, and the next sync carries on.
 */
export class KnowledgeService {
  private readonly queue: WorkQueue<string, KbProgress>;
  /** Syncs waiting or under way, by base id. */
  private readonly syncs = new Map<string, PendingSync>();
  private readonly progress = new Map<string, KbProgress>();
  private readonly now: () => number;
  private readonly maxFileBytes: number;

  constructor(private readonly deps: KnowledgeServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.maxFileBytes = deps.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.queue = new WorkQueue<string, KbProgress>({
      concurrency: 1,
      onProgress: (_key, progress) => deps.bus.emit('kb.progress', progress),
      onSettled: (key) => this.settle(key),
    });
  }

  /** Creates a base over the paths and indexes them; resolves when the first sync is done. */
  async addBase(
    name: string,
    paths: readonly string[],
  ): Promise<{ base: KbBaseSummary; report: KbSyncReport }> {
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.length > 100) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'A knowledge base needs a name of 1 to 100 characters.',
        field: 'name',
      });
    }
    if (paths.length === 0) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'Give at least one folder or file.',
        field: 'paths',
      });
    }
    const roots: string[] = [];
    for (const path of paths) {
      const root = resolve(path);
      const info = await stat(root).catch(() => undefined);
      if (!info || !(info.isFile() || info.isDirectory())) {
        throw new HubError({
          kind: 'invalid_input',
          message: `There is no file or folder at ${root}.`,
          field: 'paths',
        });
      }
      if (info.isFile() && !isSupportedFile(root)) {
        throw new HubError({
          kind: 'invalid_input',
          message: `HubDesk cannot read ${extname(root) || 'extension-less'} files (${root}): it reads PDF, DOCX, Markdown, text, HTML and source code.`,
          field: 'paths',
        });
      }
      roots.push(root);
    }
    if (!this.deps.knowledge.createBase({ id: randomUUID(), name: trimmed, roots })) {
      throw new HubError({
        kind: 'invalid_input',
        message: `A knowledge base named "${trimmed}" exists already.`,
        field: 'name',
      });
    }
    const report = await this.sync(trimmed);
    return { base: this.summary(trimmed), report };
  }

  list(): KbBaseSummary[] {
    return this.deps.knowledge.listBases();
  }

  status(name: string): KbStatus {
    const base = this.requireBase(name);
    return {
      base: this.summary(base.name),
      files: this.deps.knowledge.fileViews(base.id),
      progress: this.progress.get(base.id) ?? null,
    };
  }

  /**
   * Picks up what changed on disk since the last sync (also while HubDesk was closed). A sync already waiting or
   * under way for the base is joined, not repeated.
   */
  sync(name: string): Promise<KbSyncReport> {
    const base = this.requireBase(name);
    const running = this.syncs.get(base.id);
    if (running) return running.done;
    let resolveDone: (report: KbSyncReport) => void = () => {};
    let rejectDone: (error: unknown) => void = () => {};
    const done = new Promise<KbSyncReport>((resolvePromise, reject) => {
      resolveDone = resolvePromise;
      rejectDone = reject;
    });
    const pending: PendingSync = { done, resolve: resolveDone, reject: rejectDone };
    const added = this.queue.add(base.id, async (context) => {
      try {
        pending.outcome = { report: await this.runSync(base, context.signal, context.report) };
      } catch (error) {
        pending.outcome = { error: context.signal.aborted ? stopped() : error };
      } finally {
        this.progress.delete(base.id);
      }
    });
    if (!added) return Promise.reject(stopped());
    this.syncs.set(base.id, pending);
    return done;
  }

  /** Settles a sync once the queue has let go of it (so a sync asked for next is a new one), or dropped it. */
  private settle(baseId: string): void {
    const pending = this.syncs.get(baseId);
    if (!pending) return;
    this.syncs.delete(baseId);
    const { outcome } = pending;
    if (outcome && 'report' in outcome) pending.resolve(outcome.report);
    else pending.reject(outcome ? outcome.error : stopped());
  }

  /** Syncs every base in turn (the app calls it at start, for what changed while it was closed). */
  async syncAll(): Promise<void> {
    for (const base of this.list()) {
      await this.sync(base.name).catch((error: unknown) =>
        this.deps.log?.(`knowledge base ${base.name}: sync failed: ${messageOf(error)}`),
      );
    }
  }

  /** The passages of one base that best match the query. */
  search(name: string, query: string, limit = 10): Promise<KbHit[]> {
    const base = this.requireBase(name);
    return this.deps.search.retrieve([base.id], query, { limit });
  }

  /** Stops its sync and forgets the base (its files on disk are the user's and stay). */
  async removeBase(name: string): Promise<void> {
    const base = this.requireBase(name);
    await this.queue.cancel(base.id);
    this.settle(base.id);
    this.deps.knowledge.removeBase(base.id);
  }

  async close(): Promise<void> {
    await this.queue.close();
    for (const baseId of [...this.syncs.keys()]) this.settle(baseId);
  }

  private requireBase(name: string): KbBase {
    const base = this.deps.knowledge.base(name.trim());
    if (!base) throw new HubError({ kind: 'not_found', message: `No knowledge base named "${name}".` });
    return base;
  }

  private summary(name: string): KbBaseSummary {
    const summary = this.list().find((base) => base.name.toLowerCase() === name.toLowerCase());
    if (!summary) throw new HubError({ kind: 'not_found', message: `No knowledge base named "${name}".` });
    return summary;
  }

  private async runSync(
    base: KbBase,
    signal: AbortSignal,
    report: (progress: KbProgress) => void,
  ): Promise<KbSyncReport> {
    const { knowledge } = this.deps;
    const result = emptyReport();
    const found = await walkRoots(knowledge.roots(base.id), signal);
    const missing = new Map<string, KbStoredFile>();
    const missingByHash = new Map<string, KbStoredFile[]>();
    const toRead: FileToRead[] = [];
    const stored = new Map(knowledge.files(base.id).map((file) => [file.path, file]));
    for (const file of stored.values()) {
      const kept = found.unreachable.some((folder) => isUnder(file.path, folder));
      if (found.files.has(file.path) || kept) continue;
      missing.set(file.path, file);
      if (file.status !== 'failed')
        missingByHash.set(file.hash, [...(missingByHash.get(file.hash) ?? []), file]);
    }
    for (const [path, file] of found.files) {
      const old = stored.get(path);
      if (old && old.size === file.size && old.mtimeMs === file.mtimeMs && old.status !== 'failed')
        result.unchanged++;
      else toRead.push({ path, ...file, stored: old });
    }
    let lastSent = Number.NEGATIVE_INFINITY;
    const step = (done: number, current: string | null) => {
      const finished = current === null;
      const progress: KbProgress = {
        baseId: base.id,
        name: base.name,
        done,
        total: toRead.length,
        current,
        finished,
      };
      this.progress.set(base.id, progress);
      const now = this.now();
      if (finished || done === 0 || now - lastSent >= PROGRESS_INTERVAL_MS) {
        lastSent = now;
        report(progress);
      }
    };
    for (const [done, file] of toRead.entries()) {
      signal.throwIfAborted();
      step(done, file.path);
      await this.readFile(base, file, missingByHash, result, (moved) => missing.delete(moved.path));
      await nextTurn();
    }
    signal.throwIfAborted();
    for (const file of missing.values()) {
      knowledge.deleteFile(file.id);
      result.deleted++;
    }
    step(toRead.length, null);
    return result;
  }

  /** Reads one new or changed file and stores what it holds (or why it holds nothing). */
  private async readFile(
    base: KbBase,
    file: FileToRead,
    missing: Map<string, KbStoredFile[]>,
    result: KbSyncReport,
    onMoved: (from: KbStoredFile) => void,
  ): Promise<void> {
    const { knowledge } = this.deps;
    const reference = { path: file.path, size: file.size, mtimeMs: file.mtimeMs };
    const fail = (error: string, hash = '') => {
      knowledge.replaceFile(base.id, { ...reference, hash, status: 'failed', error, pages: null }, []);
      result.failed++;
    };
    if (file.size > this.maxFileBytes) {
      fail(
        `The file is ${sizeText(file.size)}, more than the ${sizeText(this.maxFileBytes)} a knowledge base reads per file.`,
      );
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(file.path);
    } catch (error) {
      fail(`The file could not be read: ${messageOf(error)}`);
      return;
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    const old = file.stored;
    if (old && old.hash === hash && old.status !== 'failed') {
      knowledge.updateReference(old.id, reference);
      result.unchanged++;
      return;
    }
    if (!old) {
      const moved = missing.get(hash)?.pop();
      if (moved) {
        onMoved(moved);
        knowledge.updateReference(moved.id, reference);
        result.moved++;
        return;
      }
    }
    let document: Awaited<ReturnType<typeof extractDocument>>;
    try {
      document = await extractDocument(file.path, bytes);
    } catch (error) {
      fail(`The text could not be read: ${messageOf(error)}`, hash);
      return;
    }
    const pages = document.layout === 'pages' ? document.pages.length : null;
    if (hasNoText(document)) {
      const error =
        document.layout === 'pages'
          ? 'This PDF has no text layer (a scan?): there is nothing to index without text recognition.'
          : 'The file holds no text.';
      knowledge.replaceFile(base.id, { ...reference, hash, status: 'no-text', error, pages }, []);
      result.noText++;
      return;
    }
    knowledge.replaceFile(
      base.id,
      { ...reference, hash, status: 'indexed', error: null, pages },
      documentChunks(document),
    );
    if (old) result.changed++;
    else result.added++;
  }
}
