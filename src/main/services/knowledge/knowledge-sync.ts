import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type ErrorReason, encodeStoredError } from '../../../shared/error-reasons';
import type { KbProgress, KbSyncReport } from '../../../shared/knowledge';
import { formatBytes } from '../../../shared/sizes';
import { HubError } from '../../base/errors';
import type { KbBase, KbStoredFile, KnowledgeRepo } from '../../store/knowledge-repo';
import { documentChunks } from './document-chunks';
import { extractDocument, hasNoText } from './extract-document';
import { NOT_TEXT_MESSAGE } from './extract-in-thread';
import { type FoundFile, isUnder, walkPaths, walkRoots } from './folder-walk';

/** Progress events of one sync are at least this far apart (its first and last are always sent). */
const PROGRESS_INTERVAL_MS = 100;

/** What a sync looks at. */
export interface SyncScope {
  /** Only these files and folders (what a folder watch saw change), or null for every root, walked whole. */
  paths: readonly string[] | null;
  /** Read the files in scope again even when their size, time and hash say they did not change (a retry). */
  force: boolean;
}

export interface SyncRun {
  knowledge: KnowledgeRepo;
  maxFileBytes: number;
  now: () => number;
  signal: AbortSignal;
  /** Every step of the sync (the service keeps the latest for `status`). */
  onStep: (progress: KbProgress) => void;
  /** Paced steps, for the bus. */
  report: (progress: KbProgress) => void;
}

interface FileToRead extends FoundFile {
  path: string;
  stored: KbStoredFile | undefined;
}

export function emptyReport(): KbSyncReport {
  return { added: 0, changed: 0, moved: 0, deleted: 0, unchanged: 0, failed: 0, noText: 0 };
}

/** Whether the sync changed anything a person would see (a quiet sync after a watch event tells no one). */
export function changedAnything(report: KbSyncReport): boolean {
  return report.added + report.changed + report.moved + report.deleted + report.failed + report.noText > 0;
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why the reader could not take the text out of a file, as the window words it. */
function extractionReason(error: unknown): ErrorReason {
  if (error instanceof HubError && error.info.reason) return error.info.reason;
  const detail = messageOf(error);
  return detail === NOT_TEXT_MESSAGE
    ? { code: 'kbNotText', values: {} }
    : { code: 'kbTextUnreadable', values: { detail } };
}

/**
 * One sync of a base: walks its roots (or only the paths in scope), compares each file's size and modification
 * time, then its content hash, with what is stored, and reads only what is new or changed (a file moved keeps its
 * chunks). A file at a time with a turn of the event loop between files; the signal is checked between files, so
 * a sync stopped anywhere leaves every file either as it was or fully indexed.
 */
export async function runSync(run: SyncRun, base: KbBase, scope: SyncScope): Promise<KbSyncReport> {
  const { knowledge, signal } = run;
  const result = emptyReport();
  const roots = knowledge.roots(base.id);
  const found =
    scope.paths === null ? await walkRoots(roots, signal) : await walkPaths(roots, scope.paths, signal);
  const missing = new Map<string, KbStoredFile>();
  const toRead: FileToRead[] = [];
  const inScopeFiles =
    scope.paths === null ? knowledge.files(base.id) : knowledge.filesUnder(base.id, scope.paths);
  const stored = new Map(inScopeFiles.map((file) => [file.path, file]));
  const kept = (path: string) => found.unreachable.some((folder) => isUnder(path, folder));
  for (const file of stored.values()) {
    if (!found.files.has(file.path) && !kept(file.path)) missing.set(file.path, file);
  }
  const movedAway = new Set<number>();
  /**
   * A stored file with this content that is gone from its path: the new file is it, moved. Out of scope (a watch
   * may report a move's two ends in different syncs), whether it is gone is asked of the disk.
   */
  const movedFrom = async (hash: string): Promise<KbStoredFile | undefined> => {
    for (const candidate of knowledge.filesWithHash(base.id, hash)) {
      if (movedAway.has(candidate.id) || found.files.has(candidate.path) || kept(candidate.path)) continue;
      const gone =
        missing.has(candidate.path) ||
        (!stored.has(candidate.path) &&
          (await stat(candidate.path).then(
            () => false,
            () => true,
          )));
      if (!gone) continue;
      movedAway.add(candidate.id);
      missing.delete(candidate.path);
      return candidate;
    }
    return undefined;
  };
  for (const [path, file] of found.files) {
    const old = stored.get(path);
    const same = old && old.size === file.size && old.mtimeMs === file.mtimeMs && old.status !== 'failed';
    if (same && !scope.force) result.unchanged++;
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
      failed: result.failed,
    };
    run.onStep(progress);
    const now = run.now();
    if (finished || done === 0 || now - lastSent >= PROGRESS_INTERVAL_MS) {
      lastSent = now;
      run.report(progress);
    }
  };
  for (const [done, file] of toRead.entries()) {
    signal.throwIfAborted();
    step(done, file.path);
    await readOne(run, base, file, scope.force, movedFrom, result);
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
async function readOne(
  run: SyncRun,
  base: KbBase,
  file: FileToRead,
  force: boolean,
  movedFrom: (hash: string) => Promise<KbStoredFile | undefined>,
  result: KbSyncReport,
): Promise<void> {
  const { knowledge, maxFileBytes } = run;
  const reference = { path: file.path, size: file.size, mtimeMs: file.mtimeMs };
  const fail = (message: string, reason: ErrorReason, hash = '') => {
    const error = encodeStoredError(message, reason);
    knowledge.replaceFile(base.id, { ...reference, hash, status: 'failed', error, pages: null }, []);
    result.failed++;
  };
  if (file.size > maxFileBytes) {
    const size = sizeText(file.size);
    const limit = sizeText(maxFileBytes);
    // The window's values are in units every language reads ("706 B"), not English words.
    fail(`The file is ${size}, more than the ${limit} a knowledge base reads per file.`, {
      code: 'kbFileTooBig',
      values: { size: formatBytes(file.size), limit: formatBytes(maxFileBytes) },
    });
    return;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file.path);
  } catch (error) {
    const detail = messageOf(error);
    fail(`The file could not be read: ${detail}`, { code: 'kbFileUnreadable', values: { detail } });
    return;
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  const old = file.stored;
  if (old && old.hash === hash && old.status !== 'failed' && !force) {
    knowledge.updateReference(old.id, reference);
    result.unchanged++;
    return;
  }
  if (!old) {
    const moved = await movedFrom(hash);
    if (moved) {
      knowledge.updateReference(moved.id, reference);
      result.moved++;
      return;
    }
  }
  let document: Awaited<ReturnType<typeof extractDocument>>;
  try {
    document = await extractDocument(file.path, bytes, { signal: run.signal, handOver: true });
  } catch (error) {
    // Paused or stopped while the file was read: it stays as it was, and the next sync reads it.
    run.signal.throwIfAborted();
    fail(`The text could not be read: ${messageOf(error)}`, extractionReason(error), hash);
    return;
  }
  const pages = document.layout === 'pages' ? document.pages.length : null;
  if (hasNoText(document)) {
    const error =
      document.layout === 'pages'
        ? encodeStoredError(
            'This PDF has no text layer (a scan?): there is nothing to index without text recognition.',
            { code: 'kbScannedPdf', values: {} },
          )
        : encodeStoredError('The file holds no text.', { code: 'kbNoText', values: {} });
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
