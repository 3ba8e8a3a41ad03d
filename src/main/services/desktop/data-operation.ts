/** What every data-folder operation shares: one at a time, its `data.progress` events, its checks of a target. */
import type { DataOperation, DataStep } from '../../../shared/desktop';
import type { ErrorReason } from '../../../shared/error-reasons';
import { formatBytes } from '../../../shared/sizes';
import { HubError } from '../../base/errors';
import { DataFolderBusyError, type DataLock, lockDataFolder } from '../../store/data-lock';
import type { EventBus } from '../event-bus';
import { freeBytes } from './data-folder';

const PROGRESS_INTERVAL_MS = 100;

/** Runs one move, backup or restore at a time; a second one is refused while the first runs. */
export class DataOperations {
  private running: DataOperation | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly now: () => number,
  ) {}

  async exclusive<T>(operation: DataOperation, run: (progress: Progress) => Promise<T>): Promise<T> {
    if (this.running) {
      throw new HubError({
        kind: 'invalid_input',
        message: `A ${this.running} of the data folder is still running; wait for it to finish.`,
        reason: { code: 'dataOperationRunning', values: { operation: this.running } },
      });
    }
    this.running = operation;
    try {
      return await run(new Progress(operation, this.bus, this.now));
    } finally {
      this.running = null;
    }
  }
}

/** `data.progress` events, at most one per PROGRESS_INTERVAL_MS, plus every change of step and the end. */
export class Progress {
  private stepId: DataStep | null = null;
  private done_ = 0;
  private total = 0;
  private lastSent = 0;

  constructor(
    private readonly operation: DataOperation,
    private readonly bus: EventBus,
    private readonly now: () => number,
  ) {}

  step(id: DataStep, total?: number): void {
    this.stepId = id;
    if (total !== undefined) {
      this.total = total;
      this.done_ = 0;
    }
    this.send();
  }

  add(bytes: number): void {
    this.set(this.done_ + bytes);
  }

  set(bytes: number): void {
    this.done_ = Math.min(bytes, this.total);
    if (this.now() - this.lastSent >= PROGRESS_INTERVAL_MS) this.send();
  }

  done(): void {
    this.stepId = 'done';
    this.done_ = this.total;
    this.send();
  }

  private send(): void {
    // Every operation names its first step before it counts bytes.
    if (this.stepId === null) return;
    this.lastSent = this.now();
    this.bus.emit('data.progress', {
      operation: this.operation,
      step: this.stepId,
      bytesDone: Math.round(this.done_),
      bytesTotal: this.total,
    });
  }
}

/** The data folder's cross-process lock for a move or a restore; another process holding it is refused in words. */
export function lockForOperation(dataDir: string): DataLock {
  try {
    return lockDataFolder(dataDir, 0);
  } catch (error) {
    if (error instanceof DataFolderBusyError)
      throw new HubError({
        kind: 'invalid_input',
        message: error.message,
        reason: { code: 'dataFolderBusy', values: {} },
      });
    throw error;
  }
}

/** A target (a backup file, a new data folder) refused: `why` finishes main's sentence, `reason` words it. */
export function targetError(why: string, reason: ErrorReason, code?: string): HubError {
  return new HubError({
    kind: 'invalid_input',
    field: 'target',
    message: `The chosen place ${why}`,
    reason,
    ...(code ? { code } : {}),
  });
}

export function ensureSpace(dir: string, bytes: number): void {
  const free = freeBytes(dir);
  if (free !== null && free < bytes * 1.05 + 16 * 1024 * 1024) {
    const needed = formatBytes(bytes, { zeros: 'keep' });
    const left = formatBytes(free, { zeros: 'keep' });
    throw new HubError({
      kind: 'invalid_input',
      field: 'target',
      message: `There is not enough free space at ${dir}: ${needed} needed, ${left} free.`,
      reason: { code: 'notEnoughSpace', values: { path: dir, needed, free: left } },
    });
  }
}
