import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/chat';
import type { ModelsState } from '../../../shared/chat-channels';
import type { AppError } from '../../../shared/errors';
import type { Profile } from '../../../shared/profiles';
import { conversationTitle } from '../ui/format';
import { ModelPicker } from './ModelPicker';
import { Glyph, IconButton } from './widgets';

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

type Props = {
  conversation: Conversation;
  models: ModelsState | null;
  profile: Profile | null;
  onConversation: (conversation: Conversation) => void;
  onError: (error: AppError) => void;
  settingsOpen: boolean;
  /** Resolves true once the new title is saved. */
  onRename: (title: string) => Promise<boolean>;
  onTogglePin: () => void;
  onExport: (format: 'markdown' | 'json') => void;
  onDelete: () => void;
  onToggleSettings: () => void;
};

/** The open conversation's title (renamed in place), its model, and what can be done with it. */
export function ChatHeader({
  conversation,
  models,
  profile,
  onConversation,
  onError,
  settingsOpen,
  onRename,
  onTogglePin,
  onExport,
  onDelete,
  onToggleSettings,
}: Props) {
  const { t } = useTranslation('chat');
  const [renaming, setRenaming] = useState(false);
  return (
    <header className="chat-header">
      {renaming ? (
        <RenameForm
          title={conversation.title}
          onSave={(title) => void onRename(title).then((saved) => saved && setRenaming(false))}
          onCancel={() => setRenaming(false)}
        />
      ) : (
        <div className="chat-title">
          <h2 title={conversationTitle(conversation.title)}>{conversationTitle(conversation.title)}</h2>
          <ModelPicker
            conversation={conversation}
            models={models}
            profile={profile}
            onConversation={onConversation}
            onError={onError}
          />
        </div>
      )}
      <div className="chat-tools">
        <IconButton label={t('header.rename')} onClick={() => setRenaming(true)}>
          <Glyph>
            <path d="M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4" />
          </Glyph>
        </IconButton>
        <IconButton label={conversation.pinned ? t('header.unpin') : t('header.pin')} onClick={onTogglePin}>
          <Glyph>
            <path d="M9 4h6l-1 6 4 3v2H6v-2l4-3zM12 15v6" />
            {conversation.pinned ? <path d="M4 4l16 16" /> : null}
          </Glyph>
        </IconButton>
        <IconButton label={t('header.exportMarkdown')} onClick={() => onExport('markdown')}>
          <Glyph>
            <path d="M4 7h16v10H4z" />
            <path d="M7 14v-4l2 2 2-2v4M15 10v4M13.5 12.5 15 14l1.5-1.5" />
          </Glyph>
        </IconButton>
        <IconButton label={t('header.exportJson')} onClick={() => onExport('json')}>
          <Glyph>
            <path d="M9 4c-2 0-2 1.5-2 3s0 3-2 5c2 2 2 3.5 2 5s0 3 2 3M15 4c2 0 2 1.5 2 3s0 3 2 5c-2 2-2 3.5-2 5s0 3-2 3" />
          </Glyph>
        </IconButton>
        <IconButton label={t('header.delete')} onClick={onDelete}>
          <Glyph>
            <path d="M5 7h14M10 7V5h4v2M7 7l1 12h8l1-12M10.5 11v5M13.5 11v5" />
          </Glyph>
        </IconButton>
        <span className="tool-divider" aria-hidden="true" />
        <IconButton label={t('header.settings')} onClick={onToggleSettings} expanded={settingsOpen}>
          <Glyph>
            <path d="M4 7h10M18 7h2M4 17h2M10 17h10" />
            <circle cx="16" cy="7" r="2" />
            <circle cx="8" cy="17" r="2" />
          </Glyph>
        </IconButton>
      </div>
    </header>
  );
}
