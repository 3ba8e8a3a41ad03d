import type { Clock } from '../../base/clock';
import type { ConversationMarksRepo } from '../../store/conversation-marks-repo';
import type { EventBus } from '../event-bus';

const EVERY_MS = 1000;

/**
 * Another process writing to the same database file (`hubdesk chat --conversation …`, a second HubDesk on this data
 * folder) tells no one: this looks every second whether another connection committed (cheap), and only then which
 * conversations changed, and says so as `conversations.changed`, as this process's own changes are said.
 */
export class OutsideChanges {
  private timer: { cancel(): void } | undefined;
  private version = 0;
  private marks = new Map<string, string>();

  constructor(
    private readonly deps: {
      marks: ConversationMarksRepo;
      bus: EventBus;
      clock: Clock;
      log?: (line: string) => void;
      everyMs?: number;
    },
  ) {}

  start(): void {
    if (this.timer) return;
    this.version = this.deps.marks.dataVersion();
    this.marks = this.deps.marks.marks();
    this.schedule();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Looks now (the timer's work; tests and a window regaining focus may call it). */
  check(): void {
    const version = this.deps.marks.dataVersion();
    if (version === this.version) return;
    this.version = version;
    const marks = this.deps.marks.marks();
    const ids = [...marks].filter(([id, mark]) => this.marks.get(id) !== mark).map(([id]) => id);
    for (const id of this.marks.keys()) if (!marks.has(id)) ids.push(id);
    this.marks = marks;
    if (ids.length > 0) this.deps.bus.emit('conversations.changed', { ids });
  }

  private schedule(): void {
    this.timer = this.deps.clock.setTimeout(() => {
      try {
        this.check();
      } catch (error) {
        this.deps.log?.(`looking for other processes' changes failed: ${String(error)}`);
      }
      if (this.timer) this.schedule();
    }, this.deps.everyMs ?? EVERY_MS);
  }
}
