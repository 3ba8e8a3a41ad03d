import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/chat';
import type { ResponseOf } from '../../../shared/contract';
import type { AppError } from '../../../shared/errors';
import { call, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';

/** The same list the Knowledge page shows: chat needs only each base's id, name and file count. */
export type KnowledgeBases = ResponseOf<'kb.list'>;

/** The knowledge bases there are, read once per mount. */
export function useKnowledgeBases(): { bases: KnowledgeBases | null; error: AppError | null } {
  const [bases, setBases] = useState<KnowledgeBases | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    let live = true;
    call('kb.list', {})
      .then((list) => live && setBases(list))
      .catch((cause: unknown) => live && setError(toAppError(cause)));
    return () => {
      live = false;
    };
  }, []);
  return { bases, error };
}

/** Which knowledge bases a chat sends passages of with each message (Chat settings). */
export function KnowledgePicker({
  conversation,
  onSave,
}: {
  conversation: Conversation;
  /** Saves the chat's bases (undefined: none). */
  onSave: (knowledgeBases: string[] | undefined) => void;
}) {
  const { t } = useTranslation('chat');
  const { bases, error } = useKnowledgeBases();
  const stored = conversation.params.knowledgeBases ?? [];
  /** The ticks as the user left them, shown at once while the save is under way. */
  const [ticked, setTicked] = useState<string[] | null>(null);
  const chosen = ticked ?? stored;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the stored list changed: it is what the ticks show
  useEffect(() => setTicked(null), [conversation.id, stored.join('\n')]);

  const toggle = (id: string, on: boolean) => {
    const next = on ? [...chosen.filter((item) => item !== id), id] : chosen.filter((item) => item !== id);
    setTicked(next);
    onSave(next.length > 0 ? next : undefined);
  };
  const removed = bases ? chosen.filter((id) => !bases.some((base) => base.id === id)) : [];

  return (
    <fieldset className="params knowledge-picker" data-testid="knowledge-picker">
      <legend className="label">{t('knowledge.title')}</legend>
      <p className="hint">{t('knowledge.hint')}</p>
      {(bases ?? []).map((base) => (
        <label key={base.id} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(base.id)}
            onChange={(event) => toggle(base.id, event.target.checked)}
          />
          <span>
            {base.name} <span className="muted">· {t('knowledge.fileCount', { count: base.files })}</span>
          </span>
        </label>
      ))}
      {removed.map((id) => (
        <label key={id} className="check">
          <input type="checkbox" checked onChange={() => toggle(id, false)} />
          <span className="muted">{t('knowledge.removed')}</span>
        </label>
      ))}
      {bases === null && !error ? <p className="muted">{t('knowledge.loading')}</p> : null}
      {bases?.length === 0 ? <p className="muted">{t('knowledge.none')}</p> : null}
      {error ? <ErrorNote error={error} /> : null}
    </fieldset>
  );
}
