/** Moving between pages from inside one (e.g. "Send to chat" on a transcript opens that conversation). */
export type Screen = 'chat' | 'transcribe' | 'videos' | 'knowledge' | 'usage' | 'settings';

/** A place in a transcript: open it, seek the player to `startSec` and highlight the segment. */
export type SegmentTarget = { transcriptId: string; segmentIndex: number; startSec: number };
/** A conversation to open, and optionally one of its messages to scroll to and highlight. */
export type ChatTarget = { conversationId: string; messageId?: string };

export type NavigationTarget = {
  conversationId?: string;
  /** With `conversationId`: the message to show. */
  messageId?: string;
  segment?: SegmentTarget;
  /** A video job whose details to open. */
  videoId?: string;
};

const EVENT = 'hubdesk:navigate';
const TARGET_EVENT = 'hubdesk:navigate-target';
let pendingChat: ChatTarget | null = null;
let pendingSegment: SegmentTarget | null = null;
let pendingVideo: string | null = null;

/**
 * Shows a page; a target waits until that page takes it: when it mounts (a `take…` call in its first render)
 * or, when it is already shown, on `onPendingTarget`.
 */
export function navigate(screen: Screen, target: NavigationTarget = {}): void {
  if (target.conversationId) {
    pendingChat = target.messageId
      ? { conversationId: target.conversationId, messageId: target.messageId }
      : { conversationId: target.conversationId };
  }
  if (target.segment) pendingSegment = target.segment;
  if (target.videoId) pendingVideo = target.videoId;
  window.dispatchEvent(new CustomEvent<Screen>(EVENT, { detail: screen }));
  if (pendingChat || pendingSegment || pendingVideo) window.dispatchEvent(new Event(TARGET_EVENT));
}

export function onNavigate(handler: (screen: Screen) => void): () => void {
  const listener = (event: Event) => handler((event as CustomEvent<Screen>).detail);
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}

/** Called after `navigate` left a target, so a page already shown can take it. */
export function onPendingTarget(handler: () => void): () => void {
  window.addEventListener(TARGET_EVENT, handler);
  return () => window.removeEventListener(TARGET_EVENT, handler);
}

/** The conversation (and message) another page asked to open, once. */
export function takePendingChat(): ChatTarget | null {
  const target = pendingChat;
  pendingChat = null;
  return target;
}

/** The transcript segment another page asked to show, once. */
export function takePendingSegment(): SegmentTarget | null {
  const target = pendingSegment;
  pendingSegment = null;
  return target;
}

/** The video another page asked to open, once. */
export function takePendingVideo(): string | null {
  const id = pendingVideo;
  pendingVideo = null;
  return id;
}
