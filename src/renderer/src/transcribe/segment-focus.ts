import type { SegmentTarget } from '../navigation';

const WAIT_MS = 10_000;
const HIGHLIGHT_MS = 2400;
export const SEGMENT_TARGET_CLASS = 'is-search-target';

/**
 * Shows a segment of the transcript rendered under `root` once its row exists: scrolls it to the middle,
 * highlights it for a moment and seeks the transcript's player to its start (without playing). Returns a
 * function that stops waiting and removes the highlight.
 */
export function focusSegment(root: HTMLElement, target: SegmentTarget, onDone?: () => void): () => void {
  let highlightTimer: ReturnType<typeof setTimeout> | undefined;
  let row: Element | null = null;

  const show = (found: Element) => {
    row = found;
    found.scrollIntoView({ block: 'center' });
    found.classList.add(SEGMENT_TARGET_CLASS);
    highlightTimer = setTimeout(() => found.classList.remove(SEGMENT_TARGET_CLASS), HIGHLIGHT_MS);
    const audio = root.querySelector('audio');
    if (audio) audio.currentTime = target.startSec;
    onDone?.();
  };

  const find = () => root.querySelector(`[data-segment-index="${target.segmentIndex}"]`);
  const now = find();
  if (now) {
    show(now);
    return () => {
      clearTimeout(highlightTimer);
      row?.classList.remove(SEGMENT_TARGET_CLASS);
    };
  }

  const observer = new MutationObserver(() => {
    const found = find();
    if (!found) return;
    stopWaiting();
    show(found);
  });
  const giveUp = setTimeout(() => {
    stopWaiting();
    onDone?.();
  }, WAIT_MS);
  function stopWaiting() {
    observer.disconnect();
    clearTimeout(giveUp);
  }
  observer.observe(root, { childList: true, subtree: true });
  return () => {
    stopWaiting();
    clearTimeout(highlightTimer);
    row?.classList.remove(SEGMENT_TARGET_CLASS);
  };
}
