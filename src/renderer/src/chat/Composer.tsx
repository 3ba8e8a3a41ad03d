import {
  type ClipboardEvent,
  type DragEvent,
  type KeyboardEvent,
  type RefObject,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { ImageUpload } from '../../../shared/chat';
import type { DocumentRef } from '../../../shared/documents';
import type { AppError } from '../../../shared/errors';
import { modelLabel } from '../../../shared/model-names';
import type { ModelInfo } from '../../../shared/models';
import { adviceFor, call, messageFor, toAppError } from '../hub';
import { ComposerDocuments, ContextEstimate } from './DocumentChips';
import { imageRefusal, isImageFile, type PendingImage, readImage } from './files';
import { useSendKeys } from './send-key';
import { ShownInThread } from './unsent-message';
import { messageTokens, useComposerDocuments } from './useComposerDocuments';

type Props = {
  conversationId: string;
  model: ModelInfo;
  online: boolean;
  /** The stream to stop, when a reply is being written in this conversation. */
  streaming: boolean;
  onSend: (text: string, images: ImageUpload[], documents: DocumentRef[]) => Promise<void>;
  onStop: () => void;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** What the conversation so far adds to the next request, in tokens. */
  conversationTokens: number;
};

const DRAFT_DELAY_MS = 400;
const MAX_IMAGES = 10;
/** The key of Stop, as its title shows it (Send's follows the setting: useSendKeys). */
const STOP_KEYS = 'Escape';

/** Keeps the composer text per conversation in main, so it survives switching and restarts. */
function useDraft(conversationId: string) {
  const [text, setText] = useState('');
  const [loaded, setLoaded] = useState(false);
  const pending = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (pending.current === null) return;
    const value = pending.current;
    pending.current = null;
    void call('drafts.set', { conversationId, text: value }).catch(() => {});
  }, [conversationId]);

  useEffect(() => {
    let live = true;
    setLoaded(false);
    call('drafts.get', { conversationId })
      .then((draft) => {
        // Typing before the draft arrived wins over the stored draft.
        if (live && pending.current === null) setText(draft.text);
      })
      .catch(() => {})
      .finally(() => live && setLoaded(true));
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', flush);
    return () => {
      live = false;
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', flush);
      flush();
    };
  }, [conversationId, flush]);

  const change = useCallback(
    (value: string) => {
      setText(value);
      pending.current = value;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(flush, DRAFT_DELAY_MS);
    },
    [flush],
  );

  return { text, loaded, change, flush };
}

export function Composer({
  conversationId,
  model,
  online,
  streaming,
  onSend,
  onStop,
  inputRef,
  conversationTokens,
}: Props) {
  const { t } = useTranslation('chat');
  const draft = useDraft(conversationId);
  const [images, setImages] = useState<PendingImage[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [sending, setSending] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = { input: useId(), hint: useId(), notice: useId() };
  const sendKeys = useSendKeys();
  const canAttach = model.vision;
  const visionReason = t('composer.noVision', { model: modelLabel(model.id) });
  const showProblems = useCallback((problems: string[]) => setNotice(problems.join('\n')), []);
  const documents = useComposerDocuments(showProblems);
  const tokens = documents.ready.length > 0 ? messageTokens(draft.text, documents.ready) : 0;

  // A notice about the previous model (e.g. "does not read images") no longer applies after a change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the model changes
  useEffect(() => setNotice(null), [model.id]);

  const shownImages = useRef(images);
  shownImages.current = images;
  useEffect(
    () => () => {
      for (const image of shownImages.current) URL.revokeObjectURL(image.previewUrl);
    },
    [],
  );

  const addFiles = async (files: File[]) => {
    if (files.length === 0) return;
    setError(null);
    setNotice(null);
    const documentFiles = files.filter((file) => !isImageFile(file));
    if (documentFiles.length > 0) void documents.add(documentFiles);
    const imageFiles = files.filter(isImageFile);
    if (imageFiles.length === 0) return;
    if (!canAttach) {
      setNotice(visionReason);
      return;
    }
    const problems: string[] = [];
    const accepted: PendingImage[] = [];
    for (const file of imageFiles) {
      const refusal = imageRefusal(file);
      if (refusal) {
        problems.push(refusal);
        continue;
      }
      try {
        accepted.push(await readImage(file));
      } catch (cause) {
        problems.push(t('composer.unreadable', { name: file.name, message: messageFor(toAppError(cause)) }));
      }
    }
    setImages((current) => {
      const room = Math.max(0, MAX_IMAGES - current.length);
      if (accepted.length > room) problems.push(t('composer.tooManyImages', { max: MAX_IMAGES }));
      return [...current, ...accepted.slice(0, room)];
    });
    if (problems.length > 0) setNotice(problems.join(' '));
  };

  const removeImage = (key: string) => {
    setImages((current) => {
      const gone = current.find((image) => image.key === key);
      if (gone) URL.revokeObjectURL(gone.previewUrl);
      return current.filter((image) => image.key !== key);
    });
  };

  const send = async () => {
    if (sending || streaming || documents.reading) return;
    const text = draft.text;
    if (!text.trim() && images.length === 0 && documents.ready.length === 0) return;
    if (!online) {
      setNotice(t('composer.offline'));
      return;
    }
    if (images.length > 0 && !canAttach) {
      setNotice(visionReason);
      return;
    }
    setSending(true);
    setError(null);
    setNotice(null);
    // The message shows in the list at once, so the box empties at once; refused, the text comes back.
    draft.change('');
    try {
      await onSend(
        text,
        images.map(({ name, mimeType, dataBase64 }) => ({ name, mimeType, dataBase64 })),
        documents.ready,
      );
      documents.clear();
      draft.flush();
      for (const image of images) URL.revokeObjectURL(image.previewUrl);
      setImages([]);
    } catch (cause) {
      if (inputRef.current?.value === '') draft.change(text);
      // A message refused where it was shown says why there, once.
      if (!(cause instanceof ShownInThread)) setError(toAppError(cause));
    } finally {
      setSending(false);
      inputRef.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (sendKeys.isSend(event)) {
      event.preventDefault();
      void send();
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...event.clipboardData.files];
    if (files.length === 0) return;
    event.preventDefault();
    void addFiles(files);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    setDragging(false);
    void addFiles([...event.dataTransfer.files]);
  };

  const empty = !draft.text.trim() && images.length === 0 && documents.documents.length === 0;

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping files is a shortcut; "Attach files" does the same
    <div
      className={`composer${dragging ? ' is-dragging' : ''}`}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      {notice ? (
        <p className="composer-notice" id={ids.notice} role="alert">
          {notice}
        </p>
      ) : null}
      {error ? (
        <div className="error-note composer-error" role="alert">
          <p className="error-message">{messageFor(error)}</p>
          {error.providerMessage && !messageFor(error).includes(error.providerMessage) ? (
            <p className="error-provider">
              {t('errors.proxySaid', { ns: 'common', message: error.providerMessage })}
            </p>
          ) : null}
          <p className="error-advice">{t('composer.kept', { advice: adviceFor(error) })}</p>
        </div>
      ) : null}
      <div className="composer-box">
        {images.length > 0 ? (
          <ul className="composer-images" aria-label={t('composer.attachedImages')}>
            {images.map((image) => (
              <li key={image.key} className="thumb">
                <img src={image.previewUrl} alt={image.name} />
                <button
                  type="button"
                  className="thumb-remove"
                  aria-label={t('composer.removeImage', { name: image.name })}
                  title={t('composer.removeImage', { name: image.name })}
                  onClick={() => removeImage(image.key)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <ComposerDocuments documents={documents.documents} onRemove={documents.remove} />
        <label htmlFor={ids.input} className="visually-hidden">
          {t('composer.label')}
        </label>
        <textarea
          id={ids.input}
          ref={inputRef}
          className="composer-input"
          value={draft.text}
          placeholder={
            draft.loaded
              ? t('composer.placeholder', { model: modelLabel(model.id) })
              : t('composer.loadingDraft')
          }
          rows={1}
          onChange={(event) => {
            draft.change(event.target.value);
            if (notice) setNotice(null);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          aria-describedby={ids.hint}
        />
        {documents.ready.length > 0 ? (
          <ContextEstimate tokens={tokens} conversation={conversationTokens} model={model} />
        ) : null}
        <div className="composer-bar">
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            onChange={(event) => {
              void addFiles([...(event.target.files ?? [])]);
              event.target.value = '';
            }}
          />
          <button
            type="button"
            className="icon-button"
            aria-label={t('composer.attach')}
            title={
              canAttach
                ? t('composer.attachTitle')
                : t('composer.attachDocumentsTitle', { model: modelLabel(model.id) })
            }
            onClick={() => fileInput.current?.click()}
          >
            <svg viewBox="0 0 24 24" className="glyph" aria-hidden="true" focusable="false">
              <path d="m20 11.5-8.1 8.1a5 5 0 0 1-7.1-7.1l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8" />
            </svg>
          </button>
          <span className="composer-hint" id={ids.hint}>
            {canAttach ? sendKeys.hint : sendKeys.hintTextOnly(modelLabel(model.id))}
          </span>
          {streaming ? (
            <button
              type="button"
              className="button button-stop"
              onClick={onStop}
              title={t('composer.stopTitle', { keys: STOP_KEYS })}
            >
              <span className="stop-square" aria-hidden="true" />
              {t('composer.stop')}
            </button>
          ) : (
            <button
              type="button"
              className="button button-primary"
              onClick={() => void send()}
              disabled={sending || empty || documents.reading}
              title={online ? t('composer.sendTitle', { keys: sendKeys.keys }) : t('composer.offlineTitle')}
              aria-describedby={!online ? ids.notice : undefined}
            >
              {sending ? <span className="spinner" aria-hidden="true" /> : null}
              {t('composer.send')}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
