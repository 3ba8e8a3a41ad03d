import type { RefObject } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TranscriptionCapabilities } from '../../../shared/transcription';
import { formatBytes } from '../ui/format';
import { Glyph, icons } from './Glyph';

/** The file picker's filter: what the API takes, by type and by extension. */
export const ACCEPT = 'audio/*,video/*,.flac,.mp3,.mp4,.mpeg,.mpga,.m4a,.ogg,.wav,.webm';

/** Where files are dropped or picked. Drops anywhere on the window are handled by the page; this shows it. */
export function DropZone({
  dragging,
  adding,
  capabilities,
  inputRef,
  onFiles,
}: {
  dragging: boolean;
  adding: number;
  capabilities: TranscriptionCapabilities | null;
  inputRef: RefObject<HTMLInputElement | null>;
  onFiles: (files: File[]) => void;
}) {
  const { t } = useTranslation('transcribe');
  const limit = formatBytes(capabilities?.maxUploadBytes ?? 25 * 1024 * 1024);
  const ffmpegMissing = capabilities !== null && !capabilities.ffmpeg.available;
  return (
    <section
      className={`tx-drop${dragging ? ' is-dragging' : ''}`}
      aria-label={t('drop.region')}
      aria-describedby="tx-drop-hint"
    >
      <span className="tx-drop-icon" aria-hidden="true">
        <Glyph>{icons.wave}</Glyph>
      </span>
      <p className="tx-drop-title">{dragging ? t('drop.dragging') : t('drop.title')}</p>
      <p className="tx-drop-or">
        {t('drop.or')}
        <label className="tx-pick">
          {t('drop.choose')}
          <input
            ref={inputRef}
            className="tx-visually-hidden"
            type="file"
            multiple
            accept={ACCEPT}
            aria-label={t('drop.inputLabel')}
            onChange={(event) => {
              const files = Array.from(event.target.files ?? []);
              event.target.value = '';
              if (files.length > 0) onFiles(files);
            }}
          />
        </label>
      </p>
      <p id="tx-drop-hint" className="tx-drop-hint">
        {adding > 0 ? (
          <span className="tx-adding" role="status">
            <span className="spinner" aria-hidden="true" /> {t('drop.adding', { count: adding })}
          </span>
        ) : ffmpegMissing ? (
          t('drop.limit', { limit })
        ) : (
          t('drop.split', { limit })
        )}
      </p>
      {ffmpegMissing ? (
        <div className="tx-ffmpeg" role="note">
          <Glyph className="tx-warn-glyph">{icons.warn}</Glyph>
          <p>
            <Trans
              t={t}
              i18nKey="drop.ffmpegMissing"
              values={{ limit }}
              components={{ strong: <strong /> }}
            />
          </p>
        </div>
      ) : null}
    </section>
  );
}
