import type { EventName, EventPayload } from '../../shared/contract';

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Fans main-process events out to every attached transport (Electron windows, WebSocket clients). */
export class EventBus {
  private readonly sinks = new Set<EventSink>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const sink of this.sinks) sink(event, payload);
  }

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }
}
