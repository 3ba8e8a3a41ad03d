// Past 400 lines: one message row whole (text, reasoning, tools, images, sources, edit, error, meta) and its memo.
import { Fragment, type KeyboardEvent, memo, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImageRef, ThreadMessage, ToolCall } from '../../../shared/chat';
import type { KbSource } from '../../../shared/chat-knowledge';
import { tokenCost } from '../../../shared/costs';
import type { AppError } from '../../../shared/errors';
import { modelLabel } from '../../../shared/model-names';
import { adviceFor, messageFor, toAppError } from '../hub';
import { libraryUrl } from '../media';
import { costText, usePriceBook } from '../prices';
import { fullDate, shortDate } from '../ui/format';
import { RetryNotice } from '../ui/RetryNotice';
import { openImage } from './ConversationImages';
import { MessageDocuments } from './DocumentChips';
import { metaParts } from './format';
import { MarkdownText } from './markdown';
import { ReasoningBlock } from './ReplyProgress';
import { SourcesBlock, SourcesProvider } from './Sources';
import { useSendKeys } from './send-key';
import type { ChatSlots } from './slots';
import { ToolCallCard } from './ToolCallCard';
import { replySegments } from './tool-format';
import type { LiveReply } from './useThread';

export type MessageActions = {
  editAndSend: (messageId: string, text: string) => Promise<void>;
  regenerate: (messageId: string) => Promise<void>;
  selectBranch: (messageId: string) => Promise<void>;
  /** Asks the model to go on from the end of the branch (a reply cut at the token limit), as a new prompt. */
  continueReply: () => Promise<void>;
};

type Props = {
  message: ThreadMessage;
  actions: MessageActions;
  /** A reply is streaming in this conversation: editing and regenerating wait for it. */
  busy: boolean;
  highlighted: boolean;
  /** The last message of the branch. */
  last: boolean;
  Related: ChatSlots['Related'];
  /** The reply's request waits to be retried (shown until the next delta). */
  retrying?: LiveReply['retrying'];
};

function ToolCalls({ messageId, calls }: { messageId: string; calls: ToolCall[] }) {
  return (
    <div className="tool-calls">
      {calls.map((toolCall) => (
        <ToolCallCard key={toolCall.id || toolCall.name} messageId={messageId} toolCall={toolCall} />
      ))}
    </div>
  );
}

function AttachedImages({ messageId, images }: { messageId: string; images: ImageRef[] }) {
  const { t } = useTranslation('chat');
  // An image synced from another computer may not be here yet: it says so instead of showing a broken picture.
  const [missing, setMissing] = useState<ReadonlySet<string>>(new Set());
  return (
    <ul className="message-images">
      {images.map((image) => (
        <li key={image.path}>
          {missing.has(image.path) ? (
            <span className="message-image-missing">
              {t('elsewhere.image', { ns: 'sync', name: image.name })}
            </span>
          ) : (
            <button
              type="button"
              className="message-image-button"
              aria-label={t('message.viewImage', { name: image.name })}
              onClick={() => openImage(messageId, image.path)}
            >
              <img
                src={libraryUrl(image.path)}
                alt={image.name}
                className="message-image"
                loading="lazy"
                onError={() => setMissing((known) => new Set(known).add(image.path))}
              />
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

function BranchSwitch({ message, actions }: { message: ThreadMessage; actions: MessageActions }) {
  const { t } = useTranslation('chat');
  const index = message.siblingIds.indexOf(message.id);
  const total = message.siblingIds.length;
  const previous = index > 0 ? message.siblingIds[index - 1] : undefined;
  const next = index >= 0 && index < total - 1 ? message.siblingIds[index + 1] : undefined;
  return (
    <span className="branch-switch">
      <button
        type="button"
        className="icon-button small"
        aria-label={t('message.previousBranch')}
        title={t('message.previousBranch')}
        disabled={!previous}
        onClick={() => previous && void actions.selectBranch(previous)}
      >
        ‹
      </button>
      <span className="branch-count">
        {index + 1}/{total}
      </span>
      <button
        type="button"
        className="icon-button small"
        aria-label={t('message.nextBranch')}
        title={t('message.nextBranch')}
        disabled={!next}
        onClick={() => next && void actions.selectBranch(next)}
      >
        ›
      </button>
    </span>
  );
}

function FailedNote({ error }: { error: AppError }) {
  const { t } = useTranslation('chat');
  return (
    <div className="error-note message-error">
      <p className="error-message">{messageFor(error)}</p>
      {error.providerMessage && !messageFor(error).includes(error.providerMessage) ? (
        <p className="error-provider">
          {t('errors.proxySaid', { ns: 'common', message: error.providerMessage })}
        </p>
      ) : null}
      <p className="error-advice">{adviceFor(error)}</p>
    </div>
  );
}

/** The edit box is at least this tall, and at most this share of the window (it scrolls beyond). */
const EDIT_MIN_PX = 80;
const EDIT_MAX_SHARE = 0.6;
/** The box's padding and border around the text, top and bottom together. */
const EDIT_PADDING_PX = 16;

function EditBox({
  message,
  actions,
  onDone,
  height,
}: {
  message: ThreadMessage;
  actions: MessageActions;
  onDone: () => void;
  /** The height of the message as it was shown: the box keeps it (within bounds). */
  height: number | null;
}) {
  const { t } = useTranslation('chat');
  const [text, setText] = useState(message.text);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const id = useId();
  const sendKeys = useSendKeys();

  const submit = async () => {
    if (!text.trim() || sending) return;
    setSending(true);
    setError(null);
    try {
      await actions.editAndSend(message.id, text);
      onDone();
    } catch (cause) {
      setError(toAppError(cause));
      setSending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (sendKeys.isSend(event)) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      onDone();
    }
  };

  return (
    <div className="edit-box">
      <label htmlFor={id} className="visually-hidden">
        {t('edit.label')}
      </label>
      <textarea
        id={id}
        className="edit-input"
        value={text}
        rows={Math.min(12, Math.max(3, text.split('\n').length))}
        style={
          height === null
            ? undefined
            : { height: Math.min(Math.max(height, EDIT_MIN_PX), window.innerHeight * EDIT_MAX_SHARE) }
        }
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        // biome-ignore lint/a11y/noAutofocus: the box appears because the user just pressed Edit
        autoFocus
      />
      {message.images.length > 0 ? <p className="hint">{t('edit.imagesStay')}</p> : null}
      {message.documents.length > 0 ? <p className="hint">{t('documents.goWithEdit')}</p> : null}
      {error ? <FailedNote error={error} /> : null}
      <div className="button-row edit-actions">
        <button type="button" className="button" onClick={onDone} disabled={sending}>
          {t('edit.cancel')}
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => void submit()}
          disabled={sending || !text.trim()}
        >
          {t('edit.saveAndSend')}
        </button>
      </div>
    </div>
  );
}

const noSources: readonly KbSource[] = [];

function MessageItemView({ message, actions, busy, highlighted, last, Related, retrying = null }: Props) {
  const { t } = useTranslation('chat');
  const [editing, setEditing] = useState(false);
  const [editHeight, setEditHeight] = useState<number | null>(null);
  const userText = useRef<HTMLParagraphElement>(null);
  const [copied, setCopied] = useState(false);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [showRelated, setShowRelated] = useState(false);
  const streaming = message.status === 'streaming';
  const isUser = message.role === 'user';
  /** Shown before main stored it (being sent, or refused): nothing to edit or relate yet. */
  const unsent = isUser && message.status !== 'complete';
  const prices = usePriceBook();
  const cost =
    isUser || !message.usage || !message.model || !prices
      ? null
      : tokenCost(prices.tokens(message.model), message.usage);
  const meta = isUser ? [] : metaParts(message, cost === null ? undefined : costText(cost));

  const copy = () => {
    void navigator.clipboard?.writeText(message.text).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };

  const run = (action: () => Promise<void>) => {
    setActionError(null);
    action().catch((cause: unknown) => setActionError(toAppError(cause)));
  };

  const waiting = streaming && !message.text && !message.reasoning && message.toolCalls.length === 0;

  return (
    <article
      className={`message message-${message.role}${highlighted ? ' is-highlighted' : ''}`}
      data-message-id={message.id}
      data-role={message.role}
      data-status={message.status}
      aria-label={
        isUser
          ? t('message.you')
          : message.model
            ? t('message.replyFrom', { model: modelLabel(message.model) })
            : t('message.replyFromModel')
      }
    >
      <div className="message-body">
        {isUser ? (
          editing ? (
            <EditBox
              message={message}
              actions={actions}
              onDone={() => setEditing(false)}
              height={editHeight}
            />
          ) : (
            <>
              <div className="user-bubble">
                {message.images.length > 0 ? (
                  <AttachedImages messageId={message.id} images={message.images} />
                ) : null}
                {message.documents.length > 0 ? <MessageDocuments documents={message.documents} /> : null}
                {message.text ? (
                  <p className="user-text" ref={userText}>
                    {message.text}
                  </p>
                ) : null}
              </div>
              {message.status === 'failed' ? (
                <>
                  <p className="badge badge-warn status-chip">{t('message.notSent')}</p>
                  {message.error ? <FailedNote error={message.error} /> : null}
                </>
              ) : null}
            </>
          )
        ) : (
          <SourcesProvider messageId={message.id} sources={message.sources ?? noSources}>
            {message.reasoning ? (
              <ReasoningBlock
                reasoning={message.reasoning}
                streaming={streaming}
                reasoningMs={message.usage?.reasoningMs}
              />
            ) : null}
            {streaming && retrying ? (
              <RetryNotice retrying={retrying} />
            ) : waiting ? (
              <p className="waiting">
                <span className="spinner" aria-hidden="true" /> {t('message.waiting')}
              </p>
            ) : null}
            {replySegments(message.text, message.toolCalls).map((segment, index, segments) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: segments only grow at the end
              <Fragment key={index}>
                {segment.text ? (
                  <MarkdownText
                    text={segment.text}
                    // Text followed by a round of tool calls is finished; only the last text still grows.
                    writing={streaming && index === segments.length - 1 && segment.calls.length === 0}
                  />
                ) : null}
                {segment.calls.length > 0 ? <ToolCalls messageId={message.id} calls={segment.calls} /> : null}
              </Fragment>
            ))}
            {message.status === 'interrupted' && message.error ? (
              <>
                <p className="badge badge-warn status-chip">{t('message.streamBroke')}</p>
                <FailedNote error={message.error} />
              </>
            ) : null}
            {message.status === 'interrupted' && !message.error ? (
              <p className="badge badge-warn status-chip">
                {message.finishReason === 'cancelled'
                  ? t('message.stoppedPartial')
                  : t('message.interruptedPartial')}
              </p>
            ) : null}
            {message.status === 'failed' && message.error ? <FailedNote error={message.error} /> : null}
            {message.status === 'failed' && !message.error ? (
              <p className="badge badge-warn status-chip">{t('message.failed')}</p>
            ) : null}
            <SourcesBlock />
            {last && message.finishReason === 'length' && !streaming ? (
              <p className="continue-row">
                <span className="hint">{t('reply.cutAtLimit')}</span>
                <button
                  type="button"
                  className="button"
                  onClick={() => run(actions.continueReply)}
                  disabled={busy}
                  title={busy ? t('message.busyTitle') : t('reply.continueTitle')}
                >
                  {t('reply.continue')}
                </button>
              </p>
            ) : null}
          </SourcesProvider>
        )}
      </div>

      {actionError ? <FailedNote error={actionError} /> : null}

      {editing ? null : (
        <footer className="message-footer">
          {message.siblingIds.length > 1 ? <BranchSwitch message={message} actions={actions} /> : null}
          <p className="message-meta" data-testid="message-meta" title={fullDate(message.createdAt)}>
            {streaming ? <span className="streaming-dot" aria-hidden="true" /> : null}
            {[...meta, shortDate(message.createdAt)].join(' · ')}
          </p>
          <span className="message-actions">
            <button type="button" className="text-button" onClick={copy} disabled={!message.text}>
              {copied ? t('message.copied') : t('message.copy')}
            </button>
            {isUser ? (
              <button
                type="button"
                className="text-button"
                onClick={() => {
                  const shown = userText.current?.getBoundingClientRect().height;
                  setEditHeight(shown === undefined ? null : shown + EDIT_PADDING_PX);
                  setEditing(true);
                }}
                disabled={busy || unsent}
                title={busy ? t('message.busyTitle') : t('message.editTitle')}
              >
                {t('message.edit')}
              </button>
            ) : (
              <button
                type="button"
                className="text-button"
                onClick={() => run(() => actions.regenerate(message.id))}
                disabled={busy}
                title={busy ? t('message.busyTitle') : t('message.regenerateTitle')}
              >
                {t('message.regenerate')}
              </button>
            )}
            <button
              type="button"
              className="text-button"
              onClick={() => setShowRelated((shown) => !shown)}
              disabled={streaming || unsent || !message.text}
              aria-expanded={showRelated}
              title={t('message.relatedTitle')}
            >
              {t('message.related')}
            </button>
          </span>
        </footer>
      )}
      {showRelated && !editing ? (
        <Related messageId={message.id} onClose={() => setShowRelated(false)} />
      ) : null}
    </article>
  );
}

export const MessageItem = memo(MessageItemView);
