import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModelsState } from '../../../shared/chat-channels';
import type { AppError } from '../../../shared/errors';
import { modelLabel } from '../../../shared/model-names';
import { DEFAULT_MODEL_ID } from '../../../shared/models';
import type { Profile } from '../../../shared/profiles';
import { call, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';

const NONE = '';

/** The model new chats on this profile start with (also set from a chat's model picker). */
export function DefaultModelField({
  profile,
  onSaved,
}: {
  profile: Profile;
  onSaved: (profile: Profile) => void;
}) {
  const { t } = useTranslation('settings');
  const ids = { select: useId(), hint: useId() };
  const [models, setModels] = useState<ModelsState | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    call('models.list', {})
      .then(setModels)
      .catch((cause: unknown) => setError(toAppError(cause)));
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: another profile starts without the note
  useEffect(() => setSaved(false), [profile.id]);

  const known = (models?.models ?? []).map((model) => model.id);
  const current = profile.defaultModel;
  const choices = current !== null && !known.includes(current) ? [current, ...known] : known;

  const save = async (value: string) => {
    setError(null);
    setSaved(false);
    try {
      const updated = await call('profiles.update', {
        id: profile.id,
        patch: { defaultModel: value === NONE ? null : value },
      });
      onSaved(updated);
      setSaved(true);
    } catch (cause) {
      setError(toAppError(cause));
    }
  };

  return (
    <div className="profile-row">
      <label htmlFor={ids.select} className="label">
        {t('profile.defaultModel')}
      </label>
      <div className="profile-picker">
        <select
          id={ids.select}
          value={current ?? NONE}
          aria-describedby={ids.hint}
          onChange={(event) => void save(event.target.value)}
        >
          <option value={NONE}>
            {t('profile.defaultModelNone', { model: modelLabel(DEFAULT_MODEL_ID) })}
          </option>
          {choices.map((id) => (
            <option key={id} value={id}>
              {modelLabel(id)}
            </option>
          ))}
        </select>
        <span className="saved-note" aria-live="polite">
          {saved ? t('profile.defaultModelSaved') : ''}
        </span>
      </div>
      <p id={ids.hint} className="hint">
        {t('profile.defaultModelHint')}
      </p>
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}
