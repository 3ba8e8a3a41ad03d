import { type FormEvent, useId, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import { DEFAULT_BASE_URL, type Profile, type ProfilesState } from '../../../shared/profiles';
import { call, toAppError } from '../hub';
import { ErrorNote, FieldError, fieldMessage, isFieldError } from '../ui/errors';
import { DefaultModelField } from './DefaultModelField';
import { withProfile } from './profileState';

type Mode = 'idle' | 'adding' | 'renaming' | 'deleting';

type Props = {
  state: ProfilesState;
  selected: Profile | null;
  onSelect: (id: string) => void;
  onState: (state: ProfilesState) => void;
};

/** Choose which profile to edit, and add, rename, delete or activate profiles. */
export function ProfileSection({ state, selected, onSelect, onState }: Props) {
  const { t } = useTranslation('settings');
  const [mode, setMode] = useState<Mode>('idle');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const ids = { picker: useId(), name: useId(), nameError: useId() };

  const isActive = selected !== null && selected.id === state.activeId;

  function begin(next: Mode) {
    setMode(next);
    setError(null);
    setName(next === 'renaming' && selected ? selected.name : '');
  }

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      setMode('idle');
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  }

  const submitName = (event: FormEvent) => {
    event.preventDefault();
    if (mode === 'adding') {
      void run(async () => {
        const created = await call('profiles.create', {
          name,
          baseUrl: selected?.baseUrl ?? DEFAULT_BASE_URL,
        });
        onState(withProfile(state, created));
        onSelect(created.id);
      });
    } else if (mode === 'renaming' && selected) {
      void run(async () => {
        const updated = await call('profiles.update', { id: selected.id, patch: { name } });
        onState(withProfile(state, updated));
      });
    }
  };

  const remove = () => {
    if (!selected) return;
    void run(async () => {
      const next = await call('profiles.delete', { id: selected.id });
      onState(next);
      if (next.activeId) onSelect(next.activeId);
    });
  };

  const activate = () => {
    if (!selected) return;
    void run(async () => onState(await call('profiles.setActive', { id: selected.id })));
  };

  const nameError = fieldMessage(error, 'name', t('profile.name'));

  return (
    <section className="card">
      <div className="card-header">
        <h2>{t('profile.title')}</h2>
        <p className="muted">{t('profile.description')}</p>
      </div>

      {state.profiles.length > 0 ? (
        <div className="profile-row">
          <label htmlFor={ids.picker} className="label">
            {t('profile.picker')}
          </label>
          <div className="profile-picker">
            <select
              id={ids.picker}
              value={selected?.id ?? ''}
              onChange={(event) => {
                onSelect(event.target.value);
                setMode('idle');
                setError(null);
              }}
            >
              {state.profiles.map((profile) => (
                <option key={profile.id} value={profile.id}>
                  {profile.id === state.activeId
                    ? t('profile.optionActive', { name: profile.name })
                    : profile.name}
                </option>
              ))}
            </select>
            {isActive ? (
              <span className="badge badge-good">{t('profile.active')}</span>
            ) : (
              <button type="button" className="button" onClick={activate} disabled={busy || !selected}>
                {t('profile.makeActive')}
              </button>
            )}
          </div>
        </div>
      ) : (
        <p className="muted">{t('profile.none')}</p>
      )}

      {selected && mode === 'idle' ? (
        <DefaultModelField profile={selected} onSaved={(updated) => onState(withProfile(state, updated))} />
      ) : null}

      {mode === 'adding' || mode === 'renaming' ? (
        <form className="inline-form" onSubmit={submitName}>
          <label htmlFor={ids.name} className="label">
            {mode === 'adding' ? t('profile.newName') : t('profile.name')}
          </label>
          <div className="input-row">
            <input
              id={ids.name}
              value={name}
              onChange={(event) => setName(event.target.value)}
              aria-invalid={isFieldError(error, 'name') || undefined}
              aria-describedby={nameError ? ids.nameError : undefined}
              maxLength={80}
              placeholder={mode === 'adding' ? t('profile.namePlaceholder') : undefined}
              // biome-ignore lint/a11y/noAutofocus: the field appears because the user just asked for it
              autoFocus
            />
            <button type="submit" className="button button-primary" disabled={busy}>
              {mode === 'adding' ? t('profile.create') : t('profile.saveName')}
            </button>
            <button type="button" className="button" onClick={() => begin('idle')} disabled={busy}>
              {t('actions.cancel', { ns: 'common' })}
            </button>
          </div>
          <FieldError id={ids.nameError} message={nameError} />
          {mode === 'adding' ? (
            <p className="hint">{t('profile.startsWith', { url: selected?.baseUrl ?? DEFAULT_BASE_URL })}</p>
          ) : null}
        </form>
      ) : null}

      {mode === 'deleting' && selected ? (
        <div className="confirm">
          <p>
            <Trans
              t={t}
              i18nKey="profile.confirmDelete"
              values={{ name: selected.name }}
              components={{ strong: <strong /> }}
            />
          </p>
          <div className="button-row">
            <button type="button" className="button button-danger" onClick={remove} disabled={busy}>
              {t('profile.delete')}
            </button>
            <button type="button" className="button" onClick={() => begin('idle')} disabled={busy}>
              {t('actions.cancel', { ns: 'common' })}
            </button>
          </div>
        </div>
      ) : null}

      {mode === 'idle' ? (
        <div className="button-row">
          <button type="button" className="button" onClick={() => begin('adding')} disabled={busy}>
            {t('profile.add')}
          </button>
          {selected ? (
            <>
              <button type="button" className="button" onClick={() => begin('renaming')} disabled={busy}>
                {t('profile.rename')}
              </button>
              <button type="button" className="button button-quiet-danger" onClick={() => begin('deleting')}>
                {t('profile.deleteEllipsis')}
              </button>
            </>
          ) : null}
        </div>
      ) : null}

      {error && !nameError ? <ErrorNote error={error} /> : null}
    </section>
  );
}
