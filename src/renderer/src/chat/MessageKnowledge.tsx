import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/chat';
import { useKnowledgeBases } from './KnowledgePicker';

/**
 * Above the composer, when there are knowledge bases: which ones the next message uses. `chosen` null follows the
 * chat's settings; a list (possibly empty) is this message's own choice, cleared once it is sent.
 */
export function MessageKnowledge({
  conversation,
  chosen,
  onChoose,
}: {
  conversation: Conversation;
  chosen: string[] | null;
  onChoose: (bases: string[] | null) => void;
}) {
  const { t, i18n } = useTranslation('chat');
  const { bases } = useKnowledgeBases();
  if (!bases || bases.length === 0) return null;
  const fromChat = conversation.params.knowledgeBases ?? [];
  const current = chosen ?? fromChat.filter((id) => bases.some((base) => base.id === id));
  const names = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(
    bases.filter((base) => current.includes(base.id)).map((base) => base.name),
  );
  const summary =
    chosen === null
      ? current.length === 0
        ? t('knowledge.chatChoiceNone')
        : t('knowledge.chatChoiceNames', { names })
      : chosen.length === 0
        ? t('knowledge.noneForMessage')
        : names;
  const toggle = (id: string, on: boolean) =>
    onChoose(on ? [...current.filter((item) => item !== id), id] : current.filter((item) => item !== id));

  return (
    <details className="message-knowledge" data-testid="message-knowledge">
      <summary>
        {t('knowledge.forMessage')}: <strong>{summary}</strong>
      </summary>
      <div className="message-knowledge-list">
        {bases.map((base) => (
          <label key={base.id} className="check">
            <input
              type="checkbox"
              checked={current.includes(base.id)}
              onChange={(event) => toggle(base.id, event.target.checked)}
            />
            <span>{base.name}</span>
          </label>
        ))}
        {chosen !== null ? (
          <button type="button" className="text-button" onClick={() => onChoose(null)}>
            {t('knowledge.chatChoice')}
          </button>
        ) : null}
      </div>
    </details>
  );
}
