/**
 * The chat settings panel has several writers of one conversation (the parameters, typed and saved after a pause;
 * the tools picker, saved at once). Each save is built from the conversation as the previous save left it, one
 * after another, and takes from its writer only the keys that writer owns: neither undoes the other.
 */
import type { Conversation } from '../../../shared/chat';
import type { ChatParams, KnowledgeSettingKey, ToolSettingKey } from '../../../shared/chat-params';
import type { RequestOf } from '../../../shared/contract';

export type ConversationPatch = RequestOf<'conversations.update'>['patch'];

export const TOOL_SETTING_KEYS: readonly ToolSettingKey[] = ['toolServers', 'maxToolSteps', 'toolApproval'];
export const KNOWLEDGE_SETTING_KEYS: readonly KnowledgeSettingKey[] = ['knowledgeBases'];
/** The keys of the chat's own settings, which the parameters' writer never touches. */
const CHAT_SETTING_KEYS: readonly string[] = [...TOOL_SETTING_KEYS, ...KNOWLEDGE_SETTING_KEYS];

/** `current` with `keys` taken from `from` (a key `from` lacks is removed). */
export function withParamKeys(
  current: ChatParams,
  from: ChatParams,
  keys: readonly (keyof ChatParams)[],
): ChatParams {
  const next: Record<string, unknown> = { ...current };
  for (const key of keys) {
    if (from[key] === undefined) delete next[key];
    else next[key] = from[key];
  }
  return next as ChatParams;
}

/** `current` with every generation parameter taken from `from`, the tool and knowledge settings kept. */
export function withGenerationParams(current: ChatParams, from: ChatParams): ChatParams {
  const keys = new Set([...Object.keys(current), ...Object.keys(from)] as (keyof ChatParams)[]);
  return withParamKeys(
    current,
    from,
    [...keys].filter((key) => !CHAT_SETTING_KEYS.includes(key)),
  );
}

/** Saves of one conversation, one at a time, each built from the result of the one before. */
export class ConversationSaves {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private current: Conversation,
    private readonly send: (id: string, patch: ConversationPatch) => Promise<Conversation>,
  ) {}

  /** The conversation as shown now (another one opened, or a newer copy arrived). */
  show(conversation: Conversation): void {
    if (conversation.id !== this.current.id || conversation.updatedAt >= this.current.updatedAt)
      this.current = conversation;
  }

  save(patchOf: (current: Conversation) => ConversationPatch): Promise<Conversation> {
    const run = this.queue.then(async () => {
      const updated = await this.send(this.current.id, patchOf(this.current));
      this.show(updated);
      return updated;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
