import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModelsState } from '../../../shared/chat-channels';
import type { AppError } from '../../../shared/errors';
import { type ChatApi, chatApiLabels, chatApis, type ModelInfo } from '../../../shared/models';
import { call, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';

const reasoningKinds: ModelInfo['reasoning'][] = ['none', 'effort', 'budget', 'always'];
/** The example in the model id field: a real, dated id. */
const EXAMPLE_MODEL_ID = 'gpt-4.1-2025-04-14';

/** A model the catalogue does not know: its id, the API it is served through, and what it can do. */
export function AddModelForm({
  onAdded,
  onCancel,
}: {
  onAdded: (state: ModelsState, id: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('chat');
  const [modelId, setModelId] = useState('');
  const [api, setApi] = useState<ChatApi>('openai-chat');
  const [vision, setVision] = useState(false);
  const [reasoning, setReasoning] = useState<ModelInfo['reasoning']>('none');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { id: useId(), api: useId(), reasoning: useId(), vision: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const state = await call('models.addCustom', { id: modelId.trim(), api, vision, reasoning });
      onAdded(state, modelId.trim());
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="add-model" onSubmit={submit}>
      <p className="label">{t('settings.add.title')}</p>
      <div className="field">
        <label htmlFor={ids.id} className="field-label">
          {t('settings.add.id')}
        </label>
        <input
          id={ids.id}
          value={modelId}
          onChange={(event) => setModelId(event.target.value)}
          placeholder={t('settings.add.idPlaceholder', { example: EXAMPLE_MODEL_ID })}
          spellCheck={false}
          // biome-ignore lint/a11y/noAutofocus: the form opens because the user asked to add a model
          autoFocus
        />
      </div>
      <div className="field">
        <label htmlFor={ids.api} className="field-label">
          {t('settings.add.api')}
        </label>
        <select id={ids.api} value={api} onChange={(event) => setApi(event.target.value as ChatApi)}>
          {chatApis.map((item) => (
            <option key={item} value={item}>
              {chatApiLabels[item]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.reasoning} className="field-label">
          {t('settings.add.reasoning')}
        </label>
        <select
          id={ids.reasoning}
          value={reasoning}
          onChange={(event) => setReasoning(event.target.value as ModelInfo['reasoning'])}
        >
          {reasoningKinds.map((item) => (
            <option key={item} value={item}>
              {t(`settings.reasoning.${item}`)}
            </option>
          ))}
        </select>
      </div>
      <label className="check" htmlFor={ids.vision}>
        <input
          id={ids.vision}
          type="checkbox"
          checked={vision}
          onChange={(event) => setVision(event.target.checked)}
        />
        {t('settings.add.vision')}
      </label>
      {error ? <ErrorNote error={error} /> : null}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy || !modelId.trim()}>
          {t('settings.add.submit')}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          {t('settings.add.cancel')}
        </button>
      </div>
    </form>
  );
}
