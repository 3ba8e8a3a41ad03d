import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import { call, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';
import { Modal } from '../ui/Modal';

/** Asks before a base is forgotten: its index goes, the user's files stay. */
export function RemoveBaseDialog({
  name,
  onClose,
  onRemoved,
}: {
  name: string | null;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const { t } = useTranslation('knowledge');
  const ids = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const remove = async () => {
    if (name === null) return;
    setBusy(true);
    setError(null);
    try {
      await call('kb.remove', { name });
      onRemoved();
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={name !== null}
      labelledBy={`${ids}-title`}
      describedBy={`${ids}-body`}
      onClose={() => {
        setError(null);
        onClose();
      }}
    >
      <div className="stack">
        <div>
          <h2 id={`${ids}-title`}>{t('remove.title', { name })}</h2>
          <p id={`${ids}-body`} className="muted">
            {t('remove.body')}
          </p>
        </div>
        {error ? <ErrorNote error={error} /> : null}
        <div className="button-row dialog-actions">
          <button
            type="button"
            className="button"
            onClick={onClose}
            // biome-ignore lint/a11y/noAutofocus: the safe choice has the focus when the question opens
            autoFocus
          >
            {t('actions.cancel', { ns: 'common' })}
          </button>
          <button
            type="button"
            className="button button-danger"
            onClick={() => void remove()}
            disabled={busy}
          >
            {busy ? t('remove.removing') : t('remove.confirm')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
