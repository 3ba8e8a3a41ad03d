import './image-viewer.css';
import {
  type PointerEvent,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type WheelEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from './Modal';

export type ViewerImage = {
  /** Tells images apart (two messages may attach files of the same name). */
  key: string;
  src: string;
  /** The file name, shown as the title and used as the image's alt text and the saved file's name. */
  name: string;
};

/** Zoom is a multiple of the size that fits the window (1): up to this many times. */
const MAX_ZOOM = 8;
const ZOOM_STEP = 1.25;

type View = { zoom: number; x: number; y: number };
const fitted: View = { zoom: 1, x: 0, y: 0 };

/** Keeps the image covering the stage where it is larger than it, and centred where it is not. */
function clampPan(view: View, image: HTMLImageElement | null, stage: HTMLElement | null): View {
  if (!image || !stage || view.zoom <= 1) return { ...view, x: 0, y: 0 };
  const slackX = Math.max(0, (image.clientWidth * view.zoom - stage.clientWidth) / 2);
  const slackY = Math.max(0, (image.clientHeight * view.zoom - stage.clientHeight) / 2);
  return {
    zoom: view.zoom,
    x: Math.min(slackX, Math.max(-slackX, view.x)),
    y: Math.min(slackY, Math.max(-slackY, view.y)),
  };
}

/**
 * Tab from the last control goes to the first, Shift+Tab from the first to the last: a modal dialog alone would let
 * the focus out to the browser's own controls.
 */
function keepFocusInside(event: globalThis.KeyboardEvent, container: HTMLElement | null): void {
  if (!container) return;
  const controls = [...container.querySelectorAll<HTMLElement>('button:not(:disabled), a[href]')].filter(
    (control) => control.checkVisibility(),
  );
  const first = controls[0];
  const last = controls.at(-1);
  if (!first || !last) return;
  const focused = document.activeElement;
  const inside = focused instanceof HTMLElement && container.contains(focused);
  if (event.shiftKey ? !inside || focused === first : !inside || focused === last) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  }
}

/**
 * A full-window viewer for images: fitted to the window, zoom (buttons, wheel, + / − / 0), pan by dragging when
 * zoomed, previous / next (buttons, ← / →), Esc or the close button. Focus stays inside while it is open and goes
 * back to what had it when it closes. `saveName` offers "Save as…" as a download of the image.
 */
export function ImageViewer({
  images,
  index,
  onIndex,
  onClose,
  canSave = true,
}: {
  images: readonly ViewerImage[];
  index: number;
  onIndex: (index: number) => void;
  onClose: () => void;
  canSave?: boolean;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const image = images[index];
  const [view, setView] = useState<View>(fitted);
  /** The fitted size as a share of the image's own size, for the zoom shown in per cent. */
  const [fitShare, setFitShare] = useState<number | null>(null);
  const picture = useRef<HTMLImageElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<{ pointerId: number; startX: number; startY: number; from: View } | null>(null);

  // Focus goes to the viewer when it opens and back to the opener (the thumbnail) when it closes. The opener is
  // read while rendering: by the time effects run, the dialog has taken the focus.
  const [opener] = useState(() => document.activeElement);
  useEffect(() => {
    closeButton.current?.focus();
    return () => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, [opener]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: another image starts fitted
  useLayoutEffect(() => {
    setView(fitted);
    setFitShare(null);
  }, [image?.key]);

  // The keys work wherever the focus is in the viewer (or when the button that had it was disabled).
  const keys = useRef<(event: globalThis.KeyboardEvent) => void>(() => undefined);
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => keys.current(event);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!image) return null;
  const hasPrevious = index > 0;
  const hasNext = index < images.length - 1;

  const zoomTo = (zoom: number, anchor?: { x: number; y: number }) => {
    setView((current) => {
      const next = Math.min(MAX_ZOOM, Math.max(1, zoom));
      // The point under the pointer stays where it is.
      const point = anchor ?? { x: 0, y: 0 };
      const ratio = next / current.zoom;
      return clampPan(
        {
          zoom: next,
          x: point.x - (point.x - current.x) * ratio,
          y: point.y - (point.y - current.y) * ratio,
        },
        picture.current,
        stage.current,
      );
    });
  };

  keys.current = (event) => {
    if (event.key === 'Tab') {
      keepFocusInside(event, frame.current);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => hasPrevious && onIndex(index - 1),
      ArrowRight: () => hasNext && onIndex(index + 1),
      '+': () => zoomTo(view.zoom * ZOOM_STEP),
      '=': () => zoomTo(view.zoom * ZOOM_STEP),
      '-': () => zoomTo(view.zoom / ZOOM_STEP),
      '0': () => setView(fitted),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  const onWheel = (event: WheelEvent) => {
    const box = stage.current?.getBoundingClientRect();
    if (!box) return;
    const anchor = {
      x: event.clientX - box.left - box.width / 2,
      y: event.clientY - box.top - box.height / 2,
    };
    zoomTo(view.zoom * Math.exp(-event.deltaY * 0.002), anchor);
  };

  const onPointerDown = (event: PointerEvent) => {
    if (view.zoom <= 1 || event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, from: view };
  };
  const onPointerMove = (event: PointerEvent) => {
    const started = drag.current;
    if (!started || started.pointerId !== event.pointerId) return;
    setView(
      clampPan(
        {
          zoom: started.from.zoom,
          x: started.from.x + event.clientX - started.startX,
          y: started.from.y + event.clientY - started.startY,
        },
        picture.current,
        stage.current,
      ),
    );
  };
  const endDrag = () => {
    drag.current = null;
  };

  const percent = fitShare === null ? null : Math.round(view.zoom * fitShare * 100);

  return (
    <Modal open labelledBy={titleId} className="image-viewer" onClose={onClose}>
      <div ref={frame} className="image-viewer-frame">
        <header className="image-viewer-bar">
          <h2 id={titleId} className="image-viewer-name" title={image.name}>
            {image.name}
          </h2>
          {images.length > 1 ? (
            <span className="image-viewer-position">
              {t('imageViewer.position', { current: index + 1, total: images.length })}
            </span>
          ) : null}
          <div className="image-viewer-tools">
            <button
              type="button"
              className="image-viewer-button"
              aria-label={t('imageViewer.zoomOut')}
              title={t('imageViewer.zoomOutTitle')}
              disabled={view.zoom <= 1}
              onClick={() => zoomTo(view.zoom / ZOOM_STEP)}
            >
              <svg viewBox="0 0 24 24" className="image-viewer-glyph" aria-hidden="true" focusable="false">
                <path d="M6 12h12" />
              </svg>
            </button>
            <output className="image-viewer-zoom" aria-live="polite" aria-label={t('imageViewer.zoom')}>
              {percent === null ? '' : `${percent}%`}
            </output>
            <button
              type="button"
              className="image-viewer-button"
              aria-label={t('imageViewer.zoomIn')}
              title={t('imageViewer.zoomInTitle')}
              disabled={view.zoom >= MAX_ZOOM}
              onClick={() => zoomTo(view.zoom * ZOOM_STEP)}
            >
              <svg viewBox="0 0 24 24" className="image-viewer-glyph" aria-hidden="true" focusable="false">
                <path d="M6 12h12M12 6v12" />
              </svg>
            </button>
            <button
              type="button"
              className="image-viewer-button image-viewer-text-button"
              title={t('imageViewer.fitTitle')}
              disabled={view.zoom === 1}
              onClick={() => setView(fitted)}
            >
              {t('imageViewer.fit')}
            </button>
            {canSave ? (
              <a
                className="image-viewer-button image-viewer-text-button"
                href={image.src}
                download={image.name}
              >
                {t('imageViewer.save')}
              </a>
            ) : null}
            <button
              ref={closeButton}
              type="button"
              className="image-viewer-button"
              aria-label={t('imageViewer.close')}
              title={t('imageViewer.closeTitle')}
              onClick={onClose}
            >
              <svg viewBox="0 0 24 24" className="image-viewer-glyph" aria-hidden="true" focusable="false">
                <path d="M6 6l12 12M18 6 6 18" />
              </svg>
            </button>
          </div>
        </header>
        <div
          ref={stage}
          className={`image-viewer-stage${view.zoom > 1 ? ' is-zoomed' : ''}`}
          onWheel={onWheel}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerCancel={endDrag}
        >
          <img
            ref={picture}
            key={image.key}
            src={image.src}
            alt={image.name}
            draggable={false}
            className="image-viewer-image"
            style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.zoom})` }}
            onLoad={(event) => {
              const shown = event.currentTarget;
              if (shown.naturalWidth > 0) setFitShare(shown.clientWidth / shown.naturalWidth);
            }}
          />
          {images.length > 1 ? (
            <>
              <button
                type="button"
                className="image-viewer-button image-viewer-step is-previous"
                aria-label={t('imageViewer.previous')}
                title={t('imageViewer.previousTitle')}
                disabled={!hasPrevious}
                onClick={() => onIndex(index - 1)}
              >
                <svg viewBox="0 0 24 24" className="image-viewer-glyph" aria-hidden="true" focusable="false">
                  <path d="m15 6-6 6 6 6" />
                </svg>
              </button>
              <button
                type="button"
                className="image-viewer-button image-viewer-step is-next"
                aria-label={t('imageViewer.next')}
                title={t('imageViewer.nextTitle')}
                disabled={!hasNext}
                onClick={() => onIndex(index + 1)}
              >
                <svg viewBox="0 0 24 24" className="image-viewer-glyph" aria-hidden="true" focusable="false">
                  <path d="m9 6 6 6-6 6" />
                </svg>
              </button>
            </>
          ) : null}
        </div>
        <p className="image-viewer-help">{t('imageViewer.help')}</p>
      </div>
    </Modal>
  );
}
