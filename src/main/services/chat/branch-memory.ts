import { z } from 'zod';
import type { MessagesRepo } from '../../store/messages-repo';
import type { SettingsRepo } from '../../store/settings-repo';

/** Enough for every fork a person switches at in one conversation; the oldest are forgotten first. */
const REMEMBERED_LEAVES = 64;

const leavesSchema = z.array(z.string()).max(REMEMBERED_LEAVES);

/**
 * The branch chosen at every fork of a conversation, kept as the leaves shown before, newest first: the last leaf
 * shown below a message holds the choice made at each fork below it. Stored in the settings table (one key per
 * conversation), so it outlives a restart without a column of its own.
 */
export class BranchMemory {
  constructor(
    private readonly settings: SettingsRepo,
    private readonly messages: MessagesRepo,
  ) {}

  /** Keeps the leaf being left (before another branch is shown or a new one is made). */
  remember(conversationId: string, leafId: string | null): void {
    if (leafId === null) return;
    const leaves = this.leaves(conversationId).filter((id) => id !== leafId);
    this.settings.set(key(conversationId), [leafId, ...leaves].slice(0, REMEMBERED_LEAVES));
  }

  /** The leaf to show below a message: the one last shown there, else the newest under it. */
  leafUnder(conversationId: string, messageId: string): string {
    const remembered = this.leaves(conversationId).find((leaf) => this.messages.isUnder(leaf, messageId));
    return this.messages.newestLeafUnder(remembered ?? messageId);
  }

  private leaves(conversationId: string): string[] {
    return this.settings.get(key(conversationId), leavesSchema) ?? [];
  }
}

function key(conversationId: string): string {
  return `chat.branchLeaves.${conversationId}`;
}
