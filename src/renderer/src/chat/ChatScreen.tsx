import './chat.css';
import './thread.css';
import './markdown.css';
import './composer.css';
import './chat-settings.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { Conversation, ImageUpload, ThreadMessage } from '../../../shared/chat';
import type { ModelsState } from '../../../shared/chat-channels';
import { conversationTokens, type DocumentRef } from '../../../shared/documents';
import type { AppError } from '../../../shared/errors';
import { modelLabel } from '../../../shared/model-names';
import { findModel } from '../../../shared/models';
import { useCommand } from '../commands';
import { call, toAppError, useHubEvent } from '../hub';
import { PageError } from '../ui/errors';
import { useOnline } from '../ui/useOnline';
import { ChatHeader } from './ChatHeader';
import { ChatSettings } from './ChatSettings';
import { ChatSidebar, CollapsedChatSidebar } from './ChatSidebar';
import { Composer } from './Composer';
import { ConversationImages } from './ConversationImages';
import { useConversationList } from './ConversationList';
import type { ListActions } from './ConversationMenu';
import { FindBar, useConversationFind } from './FindBar';
import { LinkConfirmProvider } from './LinkConfirm';
import { MessageKnowledge } from './MessageKnowledge';
import { MessageList } from './MessageList';
import { OfflineBanner } from './OfflineBanner';
import { carryOverRecentModels } from './recent-models';
import { LIST_COLLAPSED_KEY, readStored, SETTINGS_OPEN_KEY, store } from './remembered';
import type { ChatSlots } from './slots';
import { useActiveProfile } from './useActiveProfile';
import { useChatSelection } from './useChatSelection';
import { useComposerFocus } from './useComposerFocus';
import { useConversationCommands } from './useConversationCommands';
import { useMessageActions } from './useMessageActions';

const noMessages: ThreadMessage[] = [];

export function ChatScreen({ SearchResults, Related }: ChatSlots) {
  const { t } = useTranslation('chat');
  const online = useOnline();
  const conversations = useConversationList();
  const list = conversations.list;
  const [pageError, setPageError] = useState<AppError | null>(null);
  const { selectedId, thread, jump, openHit, select, show } = useChatSelection(list, setPageError);
  const [models, setModels] = useState<ModelsState | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(() => readStored(SETTINGS_OPEN_KEY) === '1');
  const [listCollapsed, setListCollapsed] = useState(() => readStored(LIST_COLLAPSED_KEY) === '1');

  useEffect(() => {
    // The old list is a convenience: if it cannot be carried over, the models still load.
    carryOverRecentModels()
      .catch(() => undefined)
      .then(() => call('models.list', {}))
      .then(setModels)
      .catch((cause: unknown) => setPageError(toAppError(cause)));
  }, []);
  useHubEvent('models.changed', setModels);

  const profile = useActiveProfile();
  const replaceConversation = (updated: Conversation) => {
    thread.replaceConversation(updated);
    void conversations.refresh();
  };

  const current = thread.thread;
  const conversation = current?.conversation ?? null;
  const model = findModel(conversation?.model ?? 'gpt-4.1-mini', models?.custom ?? []);
  const streamingHere =
    thread.activeStream !== null ||
    (current?.messages.some((message) => message.status === 'streaming') ?? false);

  const composer = useComposerFocus(current?.conversation.id);
  const commands = useConversationCommands({
    thread,
    list,
    refreshList: conversations.refresh,
    select,
    show,
    composer,
    defaultModel: profile?.defaultModel ?? null,
    onError: setPageError,
  });
  const actions = useMessageActions(thread, online);
  const listActions: ListActions = {
    togglePin: (item) => void commands.togglePin(item),
    exportAs: (item, format) => void commands.exportAs(format, item.id),
    remove: (item) => void commands.remove(item),
  };
  // An error shown for what was done in one conversation (an import that failed) stays behind when another opens.
  const shownId = useRef(selectedId);
  useEffect(() => {
    if (shownId.current === selectedId) return;
    shownId.current = selectedId;
    setPageError(null);
  }, [selectedId]);
  const { loadOlder, loadNewer } = thread;
  const threadColumn = useRef<HTMLElement>(null);
  const find = useConversationFind(current?.messages ?? noMessages, threadColumn);

  const stop = useCallback(() => {
    const stream = thread.activeStream;
    if (stream)
      void thread.cancel(stream.streamId).catch((cause: unknown) => setPageError(toAppError(cause)));
  }, [thread]);

  // The app's shortcuts and menu reach this page as commands (App maps the keys; see shared/shortcuts.ts).
  useCommand('new-chat', () => void commands.newChat());
  useCommand('stop', stop);
  const toggleList = () => {
    setListCollapsed((collapsed) => {
      store(LIST_COLLAPSED_KEY, collapsed ? '0' : '1');
      return !collapsed;
    });
  };
  useCommand('toggle-conversations', toggleList);

  /** This message's own knowledge bases (null: the chat's), cleared once it is sent. */
  const [messageBases, setMessageBases] = useState<string[] | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: another conversation starts from its own settings
  useEffect(() => setMessageBases(null), [conversation?.id]);
  const send = useCallback(
    (text: string, images: ImageUpload[], documents: DocumentRef[]) =>
      thread
        .send(text, { images, documents }, undefined, messageBases ?? undefined)
        .then(() => setMessageBases(null)),
    [thread, messageBases],
  );

  const toggleSettings = () => {
    setSettingsOpen((open) => {
      store(SETTINGS_OPEN_KEY, open ? '0' : '1');
      return !open;
    });
  };

  return (
    <LinkConfirmProvider>
      <div
        className={`chat-page${settingsOpen && conversation ? ' with-settings' : ''}${listCollapsed ? ' list-collapsed' : ''}`}
      >
        {listCollapsed ? (
          <CollapsedChatSidebar onExpand={toggleList} onNewChat={() => void commands.newChat()} />
        ) : (
          <ChatSidebar
            list={list}
            listError={conversations.error}
            selectedId={selectedId}
            onSelect={select}
            actions={listActions}
            onRename={(id, title) => commands.rename(title, id)}
            onOpenHit={openHit}
            onNewChat={() => void commands.newChat()}
            onImport={(file) => void commands.importFile(file)}
            SearchResults={SearchResults}
            onCollapse={toggleList}
          />
        )}

        <section ref={threadColumn} className="chat-main" aria-label={conversation?.title ?? t('page.label')}>
          <OfflineBanner online={online} />

          {conversation ? (
            <ChatHeader
              key={conversation.id}
              conversation={conversation}
              models={models}
              profile={profile}
              onConversation={replaceConversation}
              onError={setPageError}
              settingsOpen={settingsOpen}
              onRename={commands.rename}
              onTogglePin={() => void commands.togglePin()}
              onExport={(format) => void commands.exportAs(format)}
              onDelete={() => void commands.remove()}
              onToggleSettings={toggleSettings}
            />
          ) : null}

          {pageError ? (
            <PageError
              className="page-error"
              error={pageError}
              dismissLabel={t('page.dismiss')}
              onDismiss={() => setPageError(null)}
            />
          ) : null}
          {thread.error ? <PageError className="page-error" error={thread.error} /> : null}

          {current ? <ConversationImages messages={current.messages} /> : null}
          {find.open && conversation ? (
            <FindBar find={find} onEarlier={current?.hasOlder ? () => void loadOlder() : null} />
          ) : null}

          {current && current.messages.length > 0 ? (
            <MessageList
              key={`log-${current.conversation.id}-${thread.view.key}`}
              messages={current.messages}
              live={thread.live}
              actions={actions}
              busy={streamingHere}
              jump={jump}
              reveal={find.reveal}
              anchor={thread.view.anchor}
              hasOlder={current.hasOlder}
              hasNewer={current.hasNewer}
              onOlder={loadOlder}
              onNewer={loadNewer}
              rowKey={thread.rowKey}
              Related={Related}
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
                      values={{ model: modelLabel(model.id) }}
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
                  <button
                    type="button"
                    className="button button-primary"
                    onClick={() => void commands.newChat()}
                  >
                    {t('empty.start')}
                  </button>
                </>
              )}
            </div>
          )}

          {conversation ? (
            <MessageKnowledge
              key={`knowledge-${conversation.id}`}
              conversation={conversation}
              chosen={messageBases}
              onChoose={setMessageBases}
            />
          ) : null}
          {conversation ? (
            <Composer
              key={`composer-${conversation.id}`}
              conversationId={conversation.id}
              model={model}
              online={online}
              streaming={thread.activeStream !== null}
              onSend={send}
              onStop={stop}
              inputRef={composer.input}
              conversationTokens={conversationTokens(current?.messages ?? [])}
            />
          ) : null}

          {commands.deleted ? (
            <div className="toast" aria-live="polite">
              <span>
                <Trans
                  t={t}
                  i18nKey="page.deleted"
                  values={{ title: commands.deleted.title }}
                  components={{ strong: <strong /> }}
                />
              </span>
              <button type="button" className="text-button" onClick={() => void commands.undoDelete()}>
                {t('page.undo')}
              </button>
            </div>
          ) : null}
        </section>

        {settingsOpen && conversation ? (
          <ChatSettings
            conversation={conversation}
            models={models}
            onConversation={replaceConversation}
            onModels={setModels}
            onClose={toggleSettings}
          />
        ) : null}
      </div>
    </LinkConfirmProvider>
  );
}
