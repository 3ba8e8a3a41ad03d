import { useTranslation } from 'react-i18next';
import type { TranscriptExportFormat } from '../../../shared/transcription';
import { Glyph, icons } from './Glyph';

const exportFormats: { format: TranscriptExportFormat; label: string }[] = [
  { format: 'txt', label: 'TXT' },
  { format: 'srt', label: 'SRT' },
  { format: 'vtt', label: 'VTT' },
  { format: 'json', label: 'JSON' },
];

/** Export the transcript as TXT, SRT, VTT or JSON. */
export function ExportButtons({ onExport }: { onExport: (format: TranscriptExportFormat) => void }) {
  const { t } = useTranslation('transcribe');
  return (
    <div className="tx-export">
      <span className="tx-export-label">
        <Glyph>{icons.download}</Glyph>
        {t('viewer.export')}
      </span>
      {exportFormats.map(({ format, label }) => (
        <button
          key={format}
          type="button"
          className="tx-export-button"
          aria-label={t('viewer.exportAs', { format: label })}
          title={t('viewer.exportAs', { format: label })}
          onClick={() => onExport(format)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
