import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { SegmentAlternative } from '../../../shared/transcription';
import { toAppError } from '../hub';
import { wordedError } from './reasons';

/** A segment's correction that lost to a concurrent one on another computer: use it instead, or dismiss it. */
export function SegmentAlternativeNote({
  alternative,
  resolve,
}: {
  alternative: SegmentAlternative;
  resolve: (alternative: SegmentAlternative, use: boolean) => Promise<void>;
}) {
  const { t } = useTranslation('transcribe');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const act = async (use: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await resolve(alternative, use);
    } catch (cause) {
      setError(wordedError(toAppError(cause)));
      setBusy(false);
    }
  };

  return (
    <div className="tx-alternative" role="note">
      <p className="tx-alternative-text">{t('alternative.text', { text: alternative.text })}</p>
      <div className="tx-alternative-actions">
        <button type="button" className="button tx-small" disabled={busy} onClick={() => void act(true)}>
          {t('alternative.use')}
        </button>
        <button type="button" className="text-button" disabled={busy} onClick={() => void act(false)}>
          {t('alternative.dismiss')}
        </button>
      </div>
      {error ? <p className="field-error">{error.message}</p> : null}
    </div>
  );
}
