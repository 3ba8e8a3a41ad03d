import type { ChatDelta } from '../../../../shared/chat';
import type { ReplyState } from './reply-state';

/** A `chat.delta` without the ids of its stream, conversation and message. */
export type DeltaBody = Omit<ChatDelta, 'streamId' | 'conversationId' | 'messageId'>;

/** Remembers what the window already has of a reply, so each delta carries only what is new, numbered from 1. */
export class DeltaCursor {
  /** The number of the last delta handed out. */
  seq = 0;
  private sentText = 0;
  private sentReasoning = 0;
  private sentToolCalls = '[]';
  private sentUsage = 'null';

  /** What changed since the last delta, or null when nothing did. */
  next(state: ReplyState, firstTokenMs: number | null): DeltaBody | null {
    const text = state.text.slice(this.sentText);
    const reasoning = state.reasoning.slice(this.sentReasoning);
    const toolCalls = JSON.stringify(state.toolCalls);
    const usage = JSON.stringify(state.usage);
    if (!text && !reasoning && toolCalls === this.sentToolCalls && usage === this.sentUsage) return null;
    this.seq += 1;
    const delta: DeltaBody = {
      seq: this.seq,
      ...(text ? { text } : {}),
      ...(reasoning ? { reasoning } : {}),
      ...(toolCalls !== this.sentToolCalls ? { toolCalls: state.toolCalls } : {}),
      ...(usage !== this.sentUsage && state.usage ? { usage: state.usage } : {}),
      ...(this.seq === 1 && firstTokenMs !== null ? { firstTokenMs } : {}),
    };
    this.sentText = state.text.length;
    this.sentReasoning = state.reasoning.length;
    this.sentToolCalls = toolCalls;
    this.sentUsage = usage;
    return delta;
  }
}
