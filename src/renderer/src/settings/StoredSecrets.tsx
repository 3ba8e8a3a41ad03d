import { useTranslation } from 'react-i18next';
import type { StoredSecret } from './tool-server-input';

type Props = {
  /** The field's label, e.g. "Environment variables". */
  label: string;
  secrets: StoredSecret[];
  onChange: (secrets: StoredSecret[]) => void;
  /** Ids of the field's error or hint. */
  describedBy: string | undefined;
};

/**
 * Headers or environment variables main keeps: each by name, its value "set" but never shown, with Replace (a new
 * value) and Remove (undone with Keep).
 */
export function StoredSecrets({ label, secrets, onChange, describedBy }: Props) {
  const { t } = useTranslation('settings');
  if (secrets.length === 0) return null;
  const change = (name: string, patch: Partial<StoredSecret>) =>
    onChange(secrets.map((secret) => (secret.name === name ? { ...secret, ...patch } : secret)));

  return (
    <ul className="stored-secrets" aria-label={t('tools.edit.storedLabel', { field: label })}>
      {secrets.map((secret) => {
        const inputId = `stored-${label}-${secret.name}`.replace(/[^A-Za-z0-9_-]/g, '-');
        return (
          <li key={secret.name} className={secret.removed ? 'is-removed' : undefined}>
            <code>{secret.name}</code>{' '}
            <span className="muted">
              {secret.removed
                ? t('tools.edit.removed')
                : secret.replacement === null
                  ? t('tools.edit.valueSet')
                  : t('tools.edit.valueNew')}
            </span>
            {secret.replacement !== null && !secret.removed ? (
              <input
                id={inputId}
                aria-label={t('tools.edit.newValueOf', { name: secret.name })}
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={secret.replacement}
                aria-describedby={describedBy}
                onChange={(event) => change(secret.name, { replacement: event.target.value })}
              />
            ) : null}
            <span className="button-row stored-secret-actions">
              {secret.removed ? (
                <button
                  type="button"
                  className="text-button"
                  onClick={() => change(secret.name, { removed: false })}
                  aria-label={t('tools.edit.keepOf', { name: secret.name })}
                >
                  {t('tools.edit.keep')}
                </button>
              ) : (
                <>
                  <button
                    type="button"
                    className="text-button"
                    onClick={() =>
                      change(secret.name, { replacement: secret.replacement === null ? '' : null })
                    }
                    aria-label={
                      secret.replacement === null
                        ? t('tools.edit.replaceOf', { name: secret.name })
                        : t('tools.edit.keepOf', { name: secret.name })
                    }
                  >
                    {secret.replacement === null ? t('tools.edit.replace') : t('tools.edit.keep')}
                  </button>
                  <button
                    type="button"
                    className="text-button"
                    onClick={() => change(secret.name, { removed: true, replacement: null })}
                    aria-label={t('tools.edit.removeOf', { name: secret.name })}
                  >
                    {t('tools.edit.remove')}
                  </button>
                </>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
