import type { SyncApplied } from '../../../shared/sync';
import type { SyncRowsRepo } from '../../store/sync-rows-repo';
import type { SyncEntry } from './sync-formats';

/** What a run of applies touched, gathered as the change sets go in and told to the window once at the end. */
export class AppliedChanges {
  private readonly conversations = new Set<string>();
  private readonly videos = new Set<string>();
  private readonly transcripts = new Set<string>();

  /**
   * Notes the rows `entries` name, read before they are applied: a deleted message's conversation is only known
   * from its row here.
   */
  note(entries: readonly SyncEntry[], rows: SyncRowsRepo): void {
    for (const entry of entries) {
      if (entry.t === 'conversations') this.conversations.add(entry.id);
      else if (entry.t === 'video_jobs') this.videos.add(entry.id);
      else if (entry.t === 'transcripts') this.transcripts.add(entry.id);
      else {
        const conversation = entry.c?.conversation_id ?? rows.read('messages', entry.id)?.conversation_id;
        if (typeof conversation === 'string') this.conversations.add(conversation);
      }
    }
  }

  get empty(): boolean {
    return this.conversations.size + this.videos.size + this.transcripts.size === 0;
  }

  toEvent(): SyncApplied {
    return {
      conversations: [...this.conversations],
      videos: [...this.videos],
      transcripts: [...this.transcripts],
    };
  }
}
