/** Moving between pages from inside one (e.g. "Send to chat" on a transcript opens that conversation). */
export type Screen = 'chat' | 'transcribe' | 'videos' | 'settings';

const EVENT = 'hubdesk:navigate';
let pendingConversation: string | null = null;

export function navigate(screen: Screen, target: { conversationId?: string } = {}): void {
  if (target.conversationId) pendingConversation = target.conversationId;
  window.dispatchEvent(new CustomEvent<Screen>(EVENT, { detail: screen }));
}

export function onNavigate(handler: (screen: Screen) => void): () => void {
  const listener = (event: Event) => handler((event as CustomEvent<Screen>).detail);
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}

/** The conversation another page asked to open, once. */
export function takePendingConversation(): string | null {
  const id = pendingConversation;
  pendingConversation = null;
  return id;
}
