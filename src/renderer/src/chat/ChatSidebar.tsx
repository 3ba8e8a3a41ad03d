import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary, SearchHit } from '../../../shared/chat';
import type { AppError } from '../../../shared/errors';
import { commandShortcuts } from '../../../shared/shortcuts';
import { keysText } from '../appearance';
import { ErrorNote } from '../ui/errors';
import { ConversationList } from './ConversationList';
import type { ListActions } from './ConversationMenu';
import type { ChatSlots } from './slots';
import { Glyph, IconButton } from './widgets';

/** The shortcut of New chat, as the title of its button shows it. */
const NEW_CHAT_KEYS = 'Ctrl+N';
const CONVERSATIONS_KEYS = keysText(commandShortcuts['toggle-conversations']);

type Props = {
  list: ConversationSummary[] | null;
  listError: AppError | null;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Pin, export and delete from a conversation's menu in the list. */
  actions: ListActions;
  onRename: (id: string, title: string) => Promise<boolean>;
  onOpenHit: (hit: SearchHit) => void;
  onNewChat: () => void;
  onImport: (file: File) => void;
  SearchResults: ChatSlots['SearchResults'];
  onCollapse: () => void;
};

/** The conversation list narrowed away (Ctrl/⌘+Shift+B): a strip with the buttons that bring it back or start a chat. */
export function CollapsedChatSidebar({
  onExpand,
  onNewChat,
}: {
  onExpand: () => void;
  onNewChat: () => void;
}) {
  const { t } = useTranslation('chat');
  return (
    <section className="chat-sidebar chat-sidebar-collapsed" aria-label={t('sidebar.title')}>
      <IconButton
        label={t('listToggle.expand', { keys: CONVERSATIONS_KEYS })}
        expanded={false}
        onClick={onExpand}
      >
        <Glyph>
          <rect x="3.5" y="4.5" width="17" height="15" rx="2" />
          <path d="M9 4.5v15m4-9.5 2 2-2 2" />
        </Glyph>
      </IconButton>
      <IconButton label={t('sidebar.newChat')} onClick={onNewChat}>
        <Glyph>
          <path d="M12 5v14M5 12h14" />
        </Glyph>
      </IconButton>
    </section>
  );
}

/** The conversations, or the keyword hits for what is typed in the search box; import and New chat above. */
export function ChatSidebar({
  list,
  listError,
  selectedId,
  onSelect,
  actions,
  onRename,
  onOpenHit,
  onNewChat,
  onImport,
  SearchResults,
  onCollapse,
}: Props) {
  const { t } = useTranslation('chat');
  const [query, setQuery] = useState('');
  const importInput = useRef<HTMLInputElement>(null);
  return (
    <section className="chat-sidebar" aria-label={t('sidebar.title')}>
      <div className="chat-sidebar-head">
        <h1 className="chat-sidebar-title">{t('sidebar.title')}</h1>
        <div className="chat-sidebar-actions">
          <IconButton label={t('sidebar.import')} onClick={() => importInput.current?.click()}>
            <Glyph>
              <path d="M12 15V4M7.5 8.5 12 4l4.5 4.5M5 19h14" />
            </Glyph>
          </IconButton>
          <input
            ref={importInput}
            type="file"
            accept=".json,application/json"
            hidden
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) onImport(file);
              event.target.value = '';
            }}
          />
          <button
            type="button"
            className="button button-primary new-chat"
            onClick={onNewChat}
            title={t('sidebar.newChatTitle', { keys: NEW_CHAT_KEYS })}
          >
            <Glyph>
              <path d="M12 5v14M5 12h14" />
            </Glyph>
            <span className="new-chat-label">{t('sidebar.newChat')}</span>
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
          <SearchResults query={query} onOpen={onOpenHit} />
        ) : list ? (
          <ConversationList
            list={list}
            selectedId={selectedId}
            onSelect={onSelect}
            actions={actions}
            onRename={onRename}
          />
        ) : listError ? (
          <div className="list-note">
            <ErrorNote error={listError} />
          </div>
        ) : (
          <p className="list-note">{t('sidebar.loading')}</p>
        )}
      </div>
      <div className="chat-sidebar-foot">
        <button
          type="button"
          className="text-button list-toggle"
          title={`${t('listToggle.collapse')} (${CONVERSATIONS_KEYS})`}
          onClick={onCollapse}
        >
          <Glyph>
            <rect x="3.5" y="4.5" width="17" height="15" rx="2" />
            <path d="M9 4.5v15m6-9.5-2 2 2 2" />
          </Glyph>
          {t('listToggle.collapse')}
        </button>
      </div>
    </section>
  );
}
