import type { RefObject } from 'react';
import type { TranscriptionCapabilities } from '../../../shared/transcription';
import { Glyph, icons } from './Glyph';
import { formatBytes } from './time';

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
  const limit = formatBytes(capabilities?.maxUploadBytes ?? 25 * 1024 * 1024);
  const ffmpegMissing = capabilities !== null && !capabilities.ffmpeg.available;
  return (
    <section
      className={`tx-drop${dragging ? ' is-dragging' : ''}`}
      aria-label="Drop audio files"
      aria-describedby="tx-drop-hint"
    >
      <span className="tx-drop-icon" aria-hidden="true">
        <Glyph>{icons.wave}</Glyph>
      </span>
      <p className="tx-drop-title">{dragging ? 'Drop to transcribe' : 'Drop audio or video files here'}</p>
      <p className="tx-drop-or">
        or{' '}
        <label className="tx-pick">
          choose files…
          <input
            ref={inputRef}
            className="tx-visually-hidden"
            type="file"
            multiple
            accept={ACCEPT}
            aria-label="Add audio files"
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
            <span className="spinner" aria-hidden="true" /> Adding {adding} {adding === 1 ? 'file' : 'files'}…
          </span>
        ) : ffmpegMissing ? (
          `MP3, M4A, WAV, FLAC, OGG, WebM, MP4 · up to ${limit} each`
        ) : (
          `MP3, M4A, WAV, FLAC, OGG, WebM, MP4 · longer than ${limit}? Split automatically`
        )}
      </p>
      {ffmpegMissing ? (
        <div className="tx-ffmpeg" role="note">
          <Glyph className="tx-warn-glyph">{icons.warn}</Glyph>
          <p>
            <strong>ffmpeg was not found,</strong> so files over {limit} cannot be split and will be refused.
            Install ffmpeg (and put it on your PATH), then restart HubDesk.
          </p>
        </div>
      ) : null}
    </section>
  );
}
