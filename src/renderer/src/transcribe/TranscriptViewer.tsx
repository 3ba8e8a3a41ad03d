import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { AudioSource, TranscriptExportFormat, TranscriptSegment } from '../../../shared/transcription';
import { call, toAppError } from '../hub';
import { currentLanguage } from '../i18n';
import { transcriptAudioUrl } from '../media';
import { navigate } from '../navigation';
import { copyText, downloadText } from '../ui/download';
import { ElsewhereFile } from '../ui/ElsewhereFile';
import { ErrorNote } from '../ui/errors';
import { formatBytes } from '../ui/format';
import { useAudioCost } from './cost';
import { ExportButtons } from './ExportButtons';
import { FindBar, useTranscriptFind } from './FindBar';
import { Glyph, icons } from './Glyph';
import { wordedError } from './reasons';
import { type SegmentActions, SegmentRow } from './SegmentRow';
import { formatDuration, segmentAtTime } from './time';
import { chatContextMessage, chatTitle, plainText } from './transcript-text';
import { useSegmentAlternatives } from './useSegmentAlternatives';
import { useTranscript } from './useTranscript';

function formatDate(at: number): string {
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** The open transcript: playback, segments that can be edited, find, export, copy and "Send to chat". */
export function TranscriptViewer({ transcriptId, onClose }: { transcriptId: string; onClose: () => void }) {
  const { t } = useTranslation('transcribe');
  const { transcript, setTranscript, error } = useTranscript(transcriptId);
  const alternatives = useSegmentAlternatives(transcriptId);
  const resolveAlternative = alternatives.resolve;
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [note, setNote] = useState('');
  const [current, setCurrent] = useState(-1);
  const [editing, setEditing] = useState<number | null>(null);
  const [busy, setBusy] = useState<'copy' | 'chat' | null>(null);
  const [audioFailed, setAudioFailed] = useState(false);
  /** Where the audio plays from; null: neither a kept copy nor the original is there; undefined: not known yet. */
  const [source, setSource] = useState<AudioSource | null | undefined>(undefined);
  const [nudge, setNudge] = useState(0);
  const audio = useRef<HTMLAudioElement>(null);
  const list = useRef<HTMLOListElement>(null);

  const segments = transcript?.segments ?? [];
  const cost = useAudioCost(transcript?.model, transcript?.durationSec);
  const audioUrl = source ? transcriptAudioUrl(transcriptId) : null;

  const checkAudio = useCallback(async () => {
    const answer = await call('transcripts.audio', { id: transcriptId }).catch(() => ({ from: null }));
    setSource(answer.from);
    setAudioFailed(false);
  }, [transcriptId]);

  useEffect(() => {
    void checkAudio();
  }, [checkAudio]);

  useEffect(() => {
    if (!note) return;
    const timer = setTimeout(() => setNote(''), 2500);
    return () => clearTimeout(timer);
  }, [note]);

  const find = useTranscriptFind(segments);
  const { activeMatch } = find;

  const scrollToSegment = useCallback((index: number, block: ScrollLogicalPosition) => {
    const row = list.current?.querySelector(`[data-segment-index="${index}"]`);
    row?.scrollIntoView({ block, behavior: 'smooth' });
  }, []);

  useEffect(() => {
    if (activeMatch) scrollToSegment(activeMatch.segmentIndex, 'center');
  }, [activeMatch, scrollToSegment]);

  // The segment being heard stays in view while the audio plays, unless the user is editing.
  useEffect(() => {
    const element = audio.current;
    if (current < 0 || editing !== null || !element || element.paused) return;
    scrollToSegment(segments[current]?.index ?? current, 'nearest');
  }, [current, editing, segments, scrollToSegment]);

  const latest = useRef({ segments, audioUrl });
  latest.current = { segments, audioUrl };

  const actions = useMemo<SegmentActions>(() => {
    const putSegment = (saved: TranscriptSegment) =>
      setTranscript((value) =>
        value
          ? {
              ...value,
              segments: value.segments.map((segment) => (segment.index === saved.index ? saved : segment)),
            }
          : value,
      );
    return {
      play: (segment: TranscriptSegment) => {
        const position = latest.current.segments.findIndex((item) => item.index === segment.index);
        setCurrent(position);
        const element = audio.current;
        if (!latest.current.audioUrl || !element) {
          setNudge((value) => value + 1);
          return;
        }
        element.currentTime = segment.start;
        void element.play().catch(() => undefined);
      },
      startEdit: (index: number) => setEditing(index),
      stopEdit: () => setEditing(null),
      save: async (index: number, text: string) => {
        putSegment(await call('transcripts.updateSegment', { id: transcriptId, segmentIndex: index, text }));
        setEditing(null);
      },
      resolveAlternative: async (alternative, use) => {
        putSegment(await resolveAlternative(alternative, use));
      },
    };
  }, [transcriptId, setTranscript, resolveAlternative]);

  const onTime = () => {
    const element = audio.current;
    if (element) setCurrent(segmentAtTime(latest.current.segments, element.currentTime));
  };

  const exportAs = async (format: TranscriptExportFormat) => {
    setActionError(null);
    try {
      const file = await call('transcripts.export', { id: transcriptId, format });
      downloadText(file.fileName, file.mimeType, file.content);
      setNote(t('viewer.saved', { name: file.fileName }));
    } catch (cause) {
      setActionError(wordedError(toAppError(cause)));
    }
  };

  const copyAll = async () => {
    setActionError(null);
    setBusy('copy');
    try {
      await copyText(plainText(segments));
      setNote(t('viewer.copied'));
    } catch (cause) {
      setActionError(wordedError(toAppError(cause)));
    } finally {
      setBusy(null);
    }
  };

  const sendToChat = async () => {
    if (!transcript) return;
    setActionError(null);
    setBusy('chat');
    try {
      // The transcript goes in the new chat's message box, not a hidden prompt: the user sees what the model will
      // get, adds a question under it and sends it as the first message.
      const conversation = await call('conversations.create', {});
      await call('drafts.set', { conversationId: conversation.id, text: chatContextMessage(transcript) });
      // The title is a convenience: the conversation is usable without it.
      await call('conversations.update', {
        id: conversation.id,
        patch: { title: chatTitle(transcript.fileName) },
      }).catch(() => undefined);
      navigate('chat', { conversationId: conversation.id });
    } catch (cause) {
      setActionError(wordedError(toAppError(cause)));
      setBusy(null);
    }
  };

  const keepCopy = async () => {
    setActionError(null);
    try {
      setTranscript(await call('transcripts.keepCopy', { id: transcriptId }));
      await checkAudio();
      setNote(t('viewer.keptCopy'));
    } catch (cause) {
      setActionError(wordedError(toAppError(cause)));
    }
  };

  if (error) {
    return (
      <section className="tx-viewer" aria-label={t('viewer.region')}>
        <div className="tx-viewer-message">
          <ErrorNote error={error} />
          <button type="button" className="button" onClick={onClose}>
            {t('actions.close', { ns: 'common' })}
          </button>
        </div>
      </section>
    );
  }
  if (!transcript) {
    return (
      <section className="tx-viewer" aria-label={t('viewer.region')} aria-busy="true">
        <p className="tx-viewer-message muted">{t('viewer.loading')}</p>
      </section>
    );
  }

  const facts = [
    transcript.model,
    transcript.language ? t('viewer.language', { language: transcript.language }) : null,
    formatDuration(transcript.durationSec),
    formatBytes(transcript.sizeBytes),
    cost,
    t('viewer.segments', { count: segments.length }),
    formatDate(transcript.createdAt),
  ].filter((fact): fact is string => fact !== null);
  const editedCount = segments.filter((segment) => segment.edited).length;
  const empty = plainText(segments).length === 0;

  return (
    <section className="tx-viewer" aria-label={t('viewer.region')}>
      <header className="tx-viewer-head">
        <div className="tx-viewer-title">
          <h2 title={transcript.sourcePath}>{transcript.fileName}</h2>
          <p className="tx-viewer-facts">
            {facts.join(' · ')}
            {editedCount > 0 ? (
              <span className="tx-edited">{t('viewer.edited', { count: editedCount })}</span>
            ) : null}
          </p>
        </div>
        <div className="tx-viewer-actions">
          <button
            type="button"
            className="button tx-tool"
            onClick={() => void copyAll()}
            disabled={empty || busy !== null}
          >
            <Glyph>{icons.copy}</Glyph>
            {t('viewer.copyAll')}
          </button>
          <button
            type="button"
            className="button button-primary tx-tool"
            onClick={() => void sendToChat()}
            disabled={empty || busy !== null}
          >
            {busy === 'chat' ? <span className="spinner" aria-hidden="true" /> : <Glyph>{icons.chat}</Glyph>}
            {t('viewer.sendToChat')}
          </button>
          <button
            type="button"
            className="tx-icon-button"
            aria-label={t('viewer.closeTranscript')}
            title={t('actions.close', { ns: 'common' })}
            onClick={onClose}
          >
            <Glyph>{icons.close}</Glyph>
          </button>
        </div>
      </header>

      <div className="tx-player">
        {audioUrl && !audioFailed ? (
          <>
            {/* biome-ignore lint/a11y/useMediaCaption: the transcript below is the caption */}
            <audio
              key={source}
              ref={audio}
              src={audioUrl}
              controls
              preload="metadata"
              aria-label={t('viewer.audioOf', { name: transcript.fileName })}
              onTimeUpdate={onTime}
              onSeeked={onTime}
              onError={() => setAudioFailed(true)}
            />
            {source === 'original' ? (
              <div className="tx-source">
                <p>
                  <Trans
                    t={t}
                    i18nKey="viewer.playingOriginal"
                    values={{ path: transcript.sourcePath }}
                    components={{ path: <span className="tx-path" /> }}
                  />
                </p>
                <button type="button" className="text-button" onClick={() => void keepCopy()}>
                  {t('viewer.keepCopy')}
                </button>
              </div>
            ) : null}
          </>
        ) : source !== undefined ? (
          <div key={nudge} className={`tx-keep${nudge > 0 ? ' is-nudged' : ''}`} role="status">
            <Glyph className="tx-keep-glyph">{icons.library}</Glyph>
            <p>
              <Trans
                t={t}
                i18nKey={
                  audioFailed
                    ? source === 'copy'
                      ? 'viewer.audioFailed'
                      : 'viewer.originalFailed'
                    : transcript.audioPath
                      ? 'viewer.copyMissing'
                      : 'viewer.originalMissing'
                }
                values={{ path: transcript.sourcePath }}
                components={{ strong: <strong />, path: <span className="tx-path" /> }}
              />
            </p>
          </div>
        ) : null}
        {transcript.audioPath ? null : (
          <ElsewhereFile
            owner={transcript.id}
            kind="audio"
            onPlaced={() =>
              void call('transcripts.get', { id: transcript.id })
                .then(setTranscript)
                .catch(() => undefined)
            }
          />
        )}
      </div>

      <div className="tx-toolbar">
        <FindBar
          query={find.query}
          onQuery={find.setQuery}
          count={find.matches.length}
          active={find.active}
          onStep={find.step}
          inputRef={find.input}
        />
        <ExportButtons onExport={(format) => void exportAs(format)} />
      </div>

      {actionError ? (
        <div className="tx-viewer-error">
          <ErrorNote error={actionError} />
          <button type="button" className="text-button" onClick={() => setActionError(null)}>
            {t('viewer.dismiss')}
          </button>
        </div>
      ) : null}
      {!transcript.timestamps ? (
        <p className="tx-no-times">
          <Glyph className="tx-warn-glyph">{icons.warn}</Glyph>
          {t('viewer.noTimestamps', { model: transcript.model })}
        </p>
      ) : null}

      <div className="tx-segments-scroll">
        {segments.length === 0 ? (
          <p className="tx-viewer-message muted">{t('viewer.noSpeech')}</p>
        ) : (
          <ol className="tx-segments" ref={list}>
            {segments.map((segment, position) => (
              <SegmentRow
                key={segment.index}
                segment={segment}
                current={position === current}
                editing={editing === segment.index}
                ranges={find.rangesBySegment.get(segment.index)}
                activeStart={activeMatch?.segmentIndex === segment.index ? activeMatch.start : null}
                showTimes={transcript.timestamps}
                alternatives={alternatives.bySegment.get(segment.index)}
                actions={actions}
              />
            ))}
          </ol>
        )}
      </div>

      <output className={`tx-note${note ? ' is-shown' : ''}`}>{note}</output>
    </section>
  );
}
