import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { SegmentAlternative, TranscriptSegment } from '../../../shared/transcription';
import { toAppError } from '../hub';
import { formatClock } from '../ui/format';
import { highlightParts } from './find';
import { Glyph, icons } from './Glyph';
import { wordedError } from './reasons';
import { SegmentAlternativeNote } from './SegmentAlternativeNote';

export type SegmentActions = {
  play: (segment: TranscriptSegment) => void;
  startEdit: (index: number) => void;
  stopEdit: () => void;
  save: (index: number, text: string) => Promise<void>;
  resolveAlternative: (alternative: SegmentAlternative, use: boolean) => Promise<void>;
};

function SegmentEditor({ segment, actions }: { segment: TranscriptSegment; actions: SegmentActions }) {
  const { t } = useTranslation('transcribe');
  const [text, setText] = useState(segment.text);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const element = area.current;
    if (!element) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
  }, []);

  const save = async () => {
    if (text === segment.text) {
      actions.stopEdit();
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await actions.save(segment.index, text);
    } catch (cause) {
      setError(wordedError(toAppError(cause)));
      setSaving(false);
    }
  };

  return (
    <form
      className="tx-editor"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <textarea
        ref={area}
        aria-label={t('segment.text')}
        value={text}
        rows={Math.min(8, Math.max(2, Math.ceil(text.length / 80)))}
        maxLength={100_000}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            actions.stopEdit();
          } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void save();
          }
        }}
      />
      {error ? <p className="field-error">{error.message}</p> : null}
      <div className="tx-editor-actions">
        <span className="tx-editor-hint">{t('segment.hint')}</span>
        <button type="button" className="button tx-small" onClick={actions.stopEdit} disabled={saving}>
          {t('actions.cancel', { ns: 'common' })}
        </button>
        <button type="submit" className="button button-primary tx-small" disabled={saving}>
          {saving ? t('segment.saving') : t('segment.save')}
        </button>
      </div>
    </form>
  );
}

/** One segment: its start time (which plays from there), its text with find matches, and its editor. */
export const SegmentRow = memo(function SegmentRow({
  segment,
  current,
  editing,
  ranges,
  activeStart,
  showTimes,
  alternatives,
  actions,
}: {
  segment: TranscriptSegment;
  current: boolean;
  editing: boolean;
  ranges: readonly { start: number; end: number }[] | undefined;
  activeStart: number | null;
  showTimes: boolean;
  /** Corrections of this segment that lost to a concurrent one on another computer. */
  alternatives: readonly SegmentAlternative[] | undefined;
  actions: SegmentActions;
}) {
  const { t } = useTranslation('transcribe');
  const clock = formatClock(segment.start);
  const parts = highlightParts(segment.text, ranges ?? [], activeStart);
  return (
    <li
      className={`tx-segment${current ? ' is-current' : ''}${editing ? ' is-editing' : ''}`}
      data-segment-index={segment.index}
      aria-current={current ? 'true' : undefined}
    >
      <button
        type="button"
        className="tx-time"
        aria-label={t('segment.playFrom', { time: clock })}
        title={
          showTimes
            ? t('segment.playRange', { start: clock, end: formatClock(segment.end) })
            : t('segment.playFrom', { time: clock })
        }
        onClick={() => actions.play(segment)}
      >
        <Glyph className="tx-time-play">{icons.play}</Glyph>
        <span>{clock}</span>
      </button>
      <div className="tx-segment-body">
        {editing ? (
          <SegmentEditor segment={segment} actions={actions} />
        ) : (
          <p className="tx-segment-text">
            {parts.map((part, index) =>
              part.match === 'none' ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: parts are rebuilt from the text each render
                <span key={index}>{part.text}</span>
              ) : (
                <mark
                  // biome-ignore lint/suspicious/noArrayIndexKey: parts are rebuilt from the text each render
                  key={index}
                  className={part.match === 'active' ? 'tx-mark is-active' : 'tx-mark'}
                >
                  {part.text}
                </mark>
              ),
            )}
            {segment.text.trim() === '' ? (
              <span className="tx-empty-text">{t('segment.noSpeech')}</span>
            ) : null}
            {segment.edited ? <span className="tx-edited">{t('segment.edited')}</span> : null}
          </p>
        )}
        {editing
          ? null
          : alternatives?.map((alternative) => (
              <SegmentAlternativeNote
                key={alternative.version}
                alternative={alternative}
                resolve={actions.resolveAlternative}
              />
            ))}
      </div>
      {editing ? null : (
        <button
          type="button"
          className="tx-icon-button tx-edit"
          aria-label={t('segment.edit')}
          title={t('segment.edit')}
          onClick={() => actions.startEdit(segment.index)}
        >
          <Glyph>{icons.edit}</Glyph>
        </button>
      )}
    </li>
  );
});
