import type { EventName, EventPayload } from '../../shared/contract';

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Fans main-process events out to every attached transport (Electron windows, WebSocket clients). */
export class EventBus {
  private readonly sinks = new Set<EventSink>();

  /** `onSinkError`: a sink that throws (a full disk under the usage record, a closed window) is told here. */
  constructor(private readonly onSinkError?: (event: EventName, error: unknown) => void) {}

  /** Every sink gets the event; one that throws stops neither the others nor the emitter (a reply's timer). */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const sink of this.sinks) {
      try {
        sink(event, payload);
      } catch (error) {
        this.onSinkError?.(event, error);
      }
    }
  }

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }
}
