import './chat.css';
import i18next from 'i18next';
import { type FormEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { ConversationSummary, ImageUpload, SearchHit } from '../../../shared/chat';
import type { ModelsState } from '../../../shared/chat-channels';
import type { AppError } from '../../../shared/errors';
import { findModel } from '../../../shared/models';
import { useCommand } from '../commands';
import { call, HubClientError, toAppError } from '../hub';
import { type ChatTarget, onPendingTarget, takePendingChat } from '../navigation';
import { SearchResults } from '../search/SearchResults';
import { ErrorNote } from '../settings/errors';
import { ChatSettings } from './ChatSettings';
import { Composer } from './Composer';
import { ConversationList, useConversationList } from './ConversationList';
import { downloadText } from './files';
import { conversationTitle } from './format';
import { LinkConfirmProvider } from './LinkConfirm';
import type { MessageActions } from './MessageItem';
import { MessageList } from './MessageList';
import { useOnline } from './useOnline';
import { useThread } from './useThread';

const LAST_OPEN_KEY = 'hubdesk.chat.lastConversation';
const SETTINGS_OPEN_KEY = 'hubdesk.chat.settingsOpen';
const UNDO_MS = 8000;

/** The shortcut of New chat, as the title of its button shows it. */
const NEW_CHAT_KEYS = 'Ctrl+N';

function offlineError(): AppError {
  return { kind: 'network', message: i18next.t('chat:page.offlineNotSent') };
}

function Glyph({ children }: { children: ReactNode }) {
  return (
    <svg viewBox="0 0 24 24" className="glyph" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

function IconButton({
  label,
  onClick,
  children,
  pressed,
  expanded,
  disabled,
}: {
  label: string;
  onClick: () => void;
  children: ReactNode;
  pressed?: boolean;
  expanded?: boolean;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={label}
      title={label}
      aria-pressed={pressed}
      aria-expanded={expanded}
      onClick={onClick}
      disabled={disabled}
    >
      {children}
    </button>
  );
}

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage can be unavailable (private mode); remembering the last chat is only a convenience.
  }
}

function RenameForm({
  title,
  onSave,
  onCancel,
}: {
  title: string;
  onSave: (title: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('chat');
  const [value, setValue] = useState(title);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) onSave(value.trim());
  };
  return (
    <form className="rename-form" onSubmit={submit}>
      <input
        aria-label={t('rename.label')}
        value={value}
        maxLength={200}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            onCancel();
          }
        }}
        // biome-ignore lint/a11y/noAutofocus: the field appears because the user pressed Rename
        autoFocus
      />
      <button type="submit" className="button button-primary" disabled={!value.trim()}>
        {t('rename.save')}
      </button>
      <button type="button" className="button" onClick={onCancel}>
        {t('rename.cancel')}
      </button>
    </form>
  );
}

export function ChatScreen() {
  const { t } = useTranslation('chat');
  const online = useOnline();
  const conversations = useConversationList();
  // A message asked for by another page (the search palette, "Related") is shown once its thread has loaded.
  const [arrival] = useState(takePendingChat);
  const [selectedId, setSelectedId] = useState<string | null>(
    () => arrival?.conversationId ?? readStored(LAST_OPEN_KEY),
  );
  const thread = useThread(selectedId);
  const [models, setModels] = useState<ModelsState | null>(null);
  const [query, setQuery] = useState('');
  const [jump, setJump] = useState<{ messageId: string; nonce: number } | null>(null);
  const pendingJump = useRef<string | null>(arrival?.messageId ?? null);
  const [settingsOpen, setSettingsOpen] = useState(() => readStored(SETTINGS_OPEN_KEY) === '1');
  const [renaming, setRenaming] = useState(false);
  const [deleted, setDeleted] = useState<{ id: string; title: string } | null>(null);
  const [pageError, setPageError] = useState<AppError | null>(null);
  const [offlineDismissed, setOfflineDismissed] = useState(false);
  const composerInput = useRef<HTMLTextAreaElement>(null);
  /** The conversation whose composer should take the focus once shown ('any': the next one shown). */
  const focusComposerOf = useRef<string | null>(null);
  const importInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    call('models.list', {})
      .then(setModels)
      .catch((cause: unknown) => setPageError(toAppError(cause)));
  }, []);

  useEffect(() => {
    if (online) setOfflineDismissed(false);
  }, [online]);

  // Keep the selection valid: the remembered chat if it still exists, else the newest one.
  const list = conversations.list;
  useEffect(() => {
    if (!list) return;
    if (selectedId && list.some((item) => item.id === selectedId)) return;
    if (selectedId && thread.loading) return;
    setSelectedId(list[0]?.id ?? null);
  }, [list, selectedId, thread.loading]);

  useEffect(() => {
    if (selectedId) store(LAST_OPEN_KEY, selectedId);
    setRenaming(false);
  }, [selectedId]);

  const current = thread.thread;
  const conversation = current?.conversation ?? null;

  // Main names a new chat after its first message; the list hears of it first.
  const listedTitle = list?.find((item) => item.id === conversation?.id)?.title;
  const { replaceConversation } = thread;
  useEffect(() => {
    if (conversation && listedTitle && listedTitle !== conversation.title) {
      replaceConversation({ ...conversation, title: listedTitle });
    }
  }, [conversation, listedTitle, replaceConversation]);
  const model = findModel(conversation?.model ?? 'gpt-4.1-mini', models?.custom ?? []);
  const streamingHere =
    thread.activeStream !== null ||
    (current?.messages.some((message) => message.status === 'streaming') ?? false);

  // A search hit in another conversation (or another branch) is shown once that conversation has loaded.
  useEffect(() => {
    const target = pendingJump.current;
    if (!target || !current) return;
    pendingJump.current = null;
    if (current.messages.some((message) => message.id === target)) {
      setJump({ messageId: target, nonce: Date.now() });
      return;
    }
    thread
      .selectBranch(target)
      .then(() => setJump({ messageId: target, nonce: Date.now() }))
      .catch((cause: unknown) => setPageError(toAppError(cause)));
  }, [current, thread]);

  const openHit = (hit: Pick<SearchHit, 'conversationId' | 'messageId'>) => {
    if (
      hit.conversationId === selectedId &&
      current?.messages.some((message) => message.id === hit.messageId)
    ) {
      setJump({ messageId: hit.messageId, nonce: Date.now() });
      return;
    }
    pendingJump.current = hit.messageId;
    if (hit.conversationId === selectedId && selectedId) void thread.reload(selectedId);
    setSelectedId(hit.conversationId);
  };

  const openTarget = (target: ChatTarget) => {
    if (target.messageId) {
      openHit({ conversationId: target.conversationId, messageId: target.messageId });
      return;
    }
    setJump(null);
    pendingJump.current = null;
    setSelectedId(target.conversationId);
  };
  const latestOpenTarget = useRef(openTarget);
  latestOpenTarget.current = openTarget;
  useEffect(
    () =>
      onPendingTarget(() => {
        const target = takePendingChat();
        if (target) latestOpenTarget.current(target);
      }),
    [],
  );

  const select = (id: string) => {
    setJump(null);
    pendingJump.current = null;
    setSelectedId(id);
  };

  const newChat = useCallback(async () => {
    setPageError(null);
    if (current && current.messages.length === 0) {
      composerInput.current?.focus();
      return;
    }
    try {
      const created = await call(
        'conversations.create',
        conversation ? { model: conversation.model, api: conversation.api } : {},
      );
      await conversations.refresh();
      setJump(null);
      setSelectedId(created.id);
      focusComposerOf.current = created.id;
    } catch (cause) {
      setPageError(toAppError(cause));
    }
  }, [current, conversation, conversations]);

  const stop = useCallback(() => {
    const stream = thread.activeStream;
    if (stream)
      void thread.cancel(stream.streamId).catch((cause: unknown) => setPageError(toAppError(cause)));
  }, [thread]);

  // The app's shortcuts and menu reach this page as commands (App maps the keys; see shared/shortcuts.ts).
  useCommand('new-chat', () => void newChat());
  useCommand('stop', stop);
  useCommand('focus-composer', () => {
    if (composerInput.current) composerInput.current.focus();
    else focusComposerOf.current = 'any';
  });
  // Focus asked for before the composer was there (a page just shown, a conversation just created): once it is.
  const shownId = current?.conversation.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the conversation shown changing is the trigger
  useEffect(() => {
    const wanted = focusComposerOf.current;
    if (!wanted || !composerInput.current || (wanted !== 'any' && wanted !== shownId)) return;
    focusComposerOf.current = null;
    composerInput.current.focus();
  }, [shownId]);

  // The message list gets one object for its whole life, so finished rows never re-render for a new callback.
  const latestThread = useRef(thread);
  latestThread.current = thread;
  const onlineRef = useRef(online);
  onlineRef.current = online;
  const actions = useMemo<MessageActions>(
    () => ({
      editAndSend: async (messageId, text) => {
        if (!onlineRef.current) throw new HubClientError(offlineError());
        await latestThread.current.send(text, [], messageId);
      },
      regenerate: async (messageId) => {
        if (!onlineRef.current) throw new HubClientError(offlineError());
        await latestThread.current.regenerate(messageId);
      },
      selectBranch: (messageId) => latestThread.current.selectBranch(messageId),
    }),
    [],
  );

  const send = useCallback((text: string, images: ImageUpload[]) => thread.send(text, images), [thread]);

  const rename = async (title: string) => {
    if (!conversation) return;
    try {
      thread.replaceConversation(
        await call('conversations.update', { id: conversation.id, patch: { title } }),
      );
      setRenaming(false);
      void conversations.refresh();
    } catch (cause) {
      setPageError(toAppError(cause));
    }
  };

  const togglePin = async () => {
    if (!conversation) return;
    try {
      thread.replaceConversation(
        await call('conversations.update', { id: conversation.id, patch: { pinned: !conversation.pinned } }),
      );
      void conversations.refresh();
    } catch (cause) {
      setPageError(toAppError(cause));
    }
  };

  const remove = async () => {
    if (!conversation) return;
    const items = list ?? [];
    const index = items.findIndex((item) => item.id === conversation.id);
    const neighbour: ConversationSummary | undefined = items[index + 1] ?? items[index - 1];
    try {
      await call('conversations.delete', { id: conversation.id });
      setDeleted({ id: conversation.id, title: conversation.title });
      setSelectedId(neighbour?.id ?? null);
      await conversations.refresh();
    } catch (cause) {
      setPageError(toAppError(cause));
    }
  };

  const undoDelete = async () => {
    if (!deleted) return;
    try {
      const restored = await call('conversations.restore', { id: deleted.id });
      setDeleted(null);
      await conversations.refresh();
      setSelectedId(restored.id);
    } catch (cause) {
      setPageError(toAppError(cause));
    }
  };

  useEffect(() => {
    if (!deleted) return;
    const timer = setTimeout(() => setDeleted(null), UNDO_MS);
    return () => clearTimeout(timer);
  }, [deleted]);

  const exportAs = async (format: 'markdown' | 'json') => {
    if (!conversation) return;
    try {
      const file = await call('conversations.export', { id: conversation.id, format });
      downloadText(file.fileName, file.mimeType, file.content);
    } catch (cause) {
      setPageError(toAppError(cause));
    }
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setPageError(null);
    try {
      const imported = await call('conversations.import', { content: await file.text() });
      await conversations.refresh();
      setJump(null);
      setSelectedId(imported.id);
    } catch (cause) {
      setPageError(toAppError(cause));
    }
  };

  const toggleSettings = () => {
    setSettingsOpen((open) => {
      store(SETTINGS_OPEN_KEY, open ? '0' : '1');
      return !open;
    });
  };

  const showOfflineBanner = !online && !offlineDismissed;

  return (
    <LinkConfirmProvider>
      <div className={`chat-page${settingsOpen && conversation ? ' with-settings' : ''}`}>
        <section className="chat-sidebar" aria-label={t('sidebar.title')}>
          <div className="chat-sidebar-head">
            <h1 className="chat-sidebar-title">{t('sidebar.title')}</h1>
            <div className="chat-sidebar-actions">
              <IconButton label={t('sidebar.import')} onClick={() => importInput.current?.click()}>
                <Glyph>
                  <path d="M12 4v11M7.5 10.5 12 15l4.5-4.5M5 19h14" />
                </Glyph>
              </IconButton>
              <input
                ref={importInput}
                type="file"
                accept=".json,application/json"
                hidden
                onChange={(event) => {
                  void importFile(event.target.files?.[0]);
                  event.target.value = '';
                }}
              />
              <button
                type="button"
                className="button button-primary new-chat"
                onClick={() => void newChat()}
                title={t('sidebar.newChatTitle', { keys: NEW_CHAT_KEYS })}
              >
                <Glyph>
                  <path d="M12 5v14M5 12h14" />
                </Glyph>
                {t('sidebar.newChat')}
              </button>
            </div>
          </div>
          <div className="search-box">
            <Glyph>
              <circle cx="11" cy="11" r="6" />
              <path d="m20 20-4.2-4.2" />
            </Glyph>
            <input
              type="search"
              aria-label={t('sidebar.search')}
              placeholder={t('sidebar.search')}
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape' && query) {
                  event.preventDefault();
                  setQuery('');
                }
              }}
            />
          </div>
          <div className="chat-sidebar-scroll">
            {query.trim() ? (
              <SearchResults query={query} onOpen={openHit} />
            ) : list ? (
              <ConversationList list={list} selectedId={selectedId} onSelect={select} />
            ) : conversations.error ? (
              <div className="list-note">
                <ErrorNote error={conversations.error} />
              </div>
            ) : (
              <p className="list-note">{t('sidebar.loading')}</p>
            )}
          </div>
        </section>

        <section className="chat-main" aria-label={conversation?.title ?? t('page.label')}>
          {showOfflineBanner ? (
            <div className="offline-banner" role="status">
              <span className="offline-dot" aria-hidden="true" />
              <p>
                <Trans t={t} i18nKey="page.offlineBanner" components={{ strong: <strong /> }} />
              </p>
              <button type="button" className="text-button" onClick={() => setOfflineDismissed(true)}>
                {t('page.dismiss')}
              </button>
            </div>
          ) : null}

          {conversation ? (
            <header className="chat-header">
              {renaming ? (
                <RenameForm
                  title={conversation.title}
                  onSave={(title) => void rename(title)}
                  onCancel={() => setRenaming(false)}
                />
              ) : (
                <div className="chat-title">
                  <h2 title={conversationTitle(conversation.title)}>
                    {conversationTitle(conversation.title)}
                  </h2>
                  <button
                    type="button"
                    className="model-chip"
                    onClick={() => setSettingsOpen(true)}
                    title={t('header.changeModel')}
                  >
                    {conversation.model}
                  </button>
                </div>
              )}
              <div className="chat-tools">
                <IconButton label={t('header.rename')} onClick={() => setRenaming(true)}>
                  <Glyph>
                    <path d="M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4" />
                  </Glyph>
                </IconButton>
                <IconButton
                  label={conversation.pinned ? t('header.unpin') : t('header.pin')}
                  onClick={() => void togglePin()}
                >
                  <Glyph>
                    <path d="M9 4h6l-1 6 4 3v2H6v-2l4-3zM12 15v6" />
                    {conversation.pinned ? <path d="M4 4l16 16" /> : null}
                  </Glyph>
                </IconButton>
                <IconButton label={t('header.exportMarkdown')} onClick={() => void exportAs('markdown')}>
                  <Glyph>
                    <path d="M4 7h16v10H4z" />
                    <path d="M7 14v-4l2 2 2-2v4M15 10v4M13.5 12.5 15 14l1.5-1.5" />
                  </Glyph>
                </IconButton>
                <IconButton label={t('header.exportJson')} onClick={() => void exportAs('json')}>
                  <Glyph>
                    <path d="M9 4c-2 0-2 1.5-2 3s0 3-2 5c2 2 2 3.5 2 5s0 3 2 3M15 4c2 0 2 1.5 2 3s0 3 2 5c-2 2-2 3.5-2 5s0 3-2 3" />
                  </Glyph>
                </IconButton>
                <IconButton label={t('header.delete')} onClick={() => void remove()}>
                  <Glyph>
                    <path d="M5 7h14M10 7V5h4v2M7 7l1 12h8l1-12M10.5 11v5M13.5 11v5" />
                  </Glyph>
                </IconButton>
                <span className="tool-divider" aria-hidden="true" />
                <IconButton label={t('header.settings')} onClick={toggleSettings} expanded={settingsOpen}>
                  <Glyph>
                    <path d="M4 7h10M18 7h2M4 17h2M10 17h10" />
                    <circle cx="16" cy="7" r="2" />
                    <circle cx="8" cy="17" r="2" />
                  </Glyph>
                </IconButton>
              </div>
            </header>
          ) : null}

          {pageError ? (
            <div className="page-error">
              <ErrorNote error={pageError} />
              <button type="button" className="text-button" onClick={() => setPageError(null)}>
                {t('page.dismiss')}
              </button>
            </div>
          ) : null}
          {thread.error ? (
            <div className="page-error">
              <ErrorNote error={thread.error} />
            </div>
          ) : null}

          {current && current.messages.length > 0 ? (
            <MessageList
              key={`log-${current.conversation.id}`}
              messages={current.messages}
              live={thread.live}
              actions={actions}
              busy={streamingHere}
              jump={jump}
            />
          ) : (
            <div className="chat-empty">
              {current ? (
                <>
                  <h3>{t('empty.title')}</h3>
                  <p className="muted">
                    <Trans
                      t={t}
                      i18nKey="empty.body"
                      values={{ model: model.id }}
                      components={{ strong: <strong /> }}
                    />
                  </p>
                </>
              ) : thread.loading || (list === null && !conversations.error) ? (
                <p className="muted">{t('page.loading')}</p>
              ) : (
                <>
                  <h3>{t('empty.noneTitle')}</h3>
                  <p className="muted">{t('empty.noneBody')}</p>
                  <button type="button" className="button button-primary" onClick={() => void newChat()}>
                    {t('empty.start')}
                  </button>
                </>
              )}
            </div>
          )}

          {conversation ? (
            <Composer
              key={`composer-${conversation.id}`}
              conversationId={conversation.id}
              model={model}
              online={online}
              streaming={thread.activeStream !== null}
              onSend={send}
              onStop={stop}
              inputRef={composerInput}
            />
          ) : null}

          {deleted ? (
            <div className="toast" aria-live="polite">
              <span>
                <Trans
                  t={t}
                  i18nKey="page.deleted"
                  values={{ title: deleted.title }}
                  components={{ strong: <strong /> }}
                />
              </span>
              <button type="button" className="text-button" onClick={() => void undoDelete()}>
                {t('page.undo')}
              </button>
            </div>
          ) : null}
        </section>

        {settingsOpen && conversation ? (
          <ChatSettings
            conversation={conversation}
            models={models}
            onConversation={(updated) => {
              thread.replaceConversation(updated);
              void conversations.refresh();
            }}
            onModels={setModels}
            onClose={toggleSettings}
          />
        ) : null}
      </div>
    </LinkConfirmProvider>
  );
}
