import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { type SyncMediaMode, syncMediaModes } from '../../../shared/sync';

/** Eager or on demand: how videos, kept audio, thumbnails and images from the other computers come here. */
export function SyncMediaChoice({
  value,
  disabled,
  onChoose,
}: {
  value: SyncMediaMode;
  disabled?: boolean;
  onChoose: (mode: SyncMediaMode) => void;
}) {
  const { t } = useTranslation('sync');
  const name = useId();
  return (
    <fieldset className="sync-kinds sync-media" disabled={disabled}>
      <legend className="label">{t('media.legend')}</legend>
      {syncMediaModes.map((mode) => (
        <label key={mode} className="sync-choice">
          <input
            type="radio"
            name={name}
            value={mode}
            checked={value === mode}
            onChange={() => onChoose(mode)}
          />
          <span>
            {t(`media.modes.${mode}`)}
            <span className="muted"> — {t(`media.hints.${mode}`)}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
