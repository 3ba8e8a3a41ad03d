/** Records which profile made each reply, transcript and video, as the events about them go by. */
import type { EventName, EventPayload } from '../../../shared/contract';
import type { ProfilesRepo } from '../../store/profiles-repo';
import type { UsageKind, UsageRepo } from '../../store/usage-repo';
import type { EventBus } from '../event-bus';

/** Item ids remembered as attributed in this run, so frequent events do not write each time. */
const REMEMBERED_ITEMS = 5000;

export class UsageAttribution {
  private readonly attributed = new Set<string>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly usage: UsageRepo,
    private readonly profiles: ProfilesRepo,
    private readonly log?: (line: string) => void,
  ) {}

  start(): void {
    this.unsubscribe ??= this.bus.subscribe((event, payload) => {
      const item = usageItemOf(event, payload);
      if (!item || this.attributed.has(item.id)) return;
      // Written once every sink has the event: a reply's first token reaches the window before this write.
      queueMicrotask(() => this.attribute(item));
    });
  }

  private attribute(item: { kind: UsageKind; id: string }): void {
    if (!this.unsubscribe || this.attributed.has(item.id)) return;
    try {
      const profileId = this.profiles.activeId();
      if (profileId === null) return;
      this.usage.attribute(item.kind, item.id, profileId);
    } catch (error) {
      this.log?.(`usage: the profile of ${item.kind} ${item.id} was not recorded: ${String(error)}`);
      return;
    }
    if (this.attributed.size > REMEMBERED_ITEMS) this.attributed.clear();
    this.attributed.add(item.id);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

/** The reply, transcription job or video an event is about. */
function usageItemOf(event: EventName, payload: unknown): { kind: UsageKind; id: string } | null {
  if (event === 'chat.delta') {
    const delta = payload as EventPayload<'chat.delta'>;
    return delta.seq === 1 ? { kind: 'message', id: delta.messageId } : null;
  }
  if (event === 'chat.end') return { kind: 'message', id: (payload as EventPayload<'chat.end'>).message.id };
  if (event === 'transcription.changed') {
    const job = (payload as EventPayload<'transcription.changed'>).job;
    return job ? { kind: 'transcription_job', id: job.id } : null;
  }
  if (event === 'videos.changed')
    return { kind: 'video', id: (payload as EventPayload<'videos.changed'>).job.id };
  return null;
}
