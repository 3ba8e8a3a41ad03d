/** A transcript as TXT, SRT, VTT or JSON, from the edited text. Pure functions. */
import type { Transcript, TranscriptExportFormat } from '../../../shared/transcription';

export interface ExportedFile {
  fileName: string;
  mimeType: string;
  content: string;
}

/** `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (VTT); hours grow past 99 when they must. */
export function formatTimestamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

interface Cue {
  start: number;
  end: number;
  text: string;
}

/** Segments with text, as cues whose end is never before their start; blank lines inside a cue would end it. */
function cuesOf(transcript: Transcript): Cue[] {
  return transcript.segments
    .map((segment) => ({
      start: segment.start,
      end: Math.max(segment.start, segment.end),
      text: segment.text
        .replace(/\r\n?/g, '\n')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length > 0)
        .join('\n'),
    }))
    .filter((cue) => cue.text.length > 0);
}

export function toTxt(transcript: Transcript): string {
  return `${cuesOf(transcript)
    .map((cue) => cue.text)
    .join('\n')}\n`;
}

/** SubRip: cues numbered from 1, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, a blank line after each. */
export function toSrt(transcript: Transcript): string {
  return cuesOf(transcript)
    .map(
      (cue, i) =>
        `${i + 1}\n${formatTimestamp(cue.start, ',')} --> ${formatTimestamp(cue.end, ',')}\n${cue.text}\n`,
    )
    .join('\n');
}

/** WebVTT: the `WEBVTT` header, `.` milliseconds; `&`, `<` and `-->` in the text escaped as the spec asks. */
export function toVtt(transcript: Transcript): string {
  const cues = cuesOf(transcript).map((cue) => {
    const text = cue.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/-->/g, '--&gt;');
    return `${formatTimestamp(cue.start, '.')} --> ${formatTimestamp(cue.end, '.')}\n${text}\n`;
  });
  return `WEBVTT\n\n${cues.join('\n')}`;
}

export function toJson(transcript: Transcript): string {
  return `${JSON.stringify(
    {
      fileName: transcript.fileName,
      model: transcript.model,
      language: transcript.language,
      durationSec: transcript.durationSec,
      timestamps: transcript.timestamps,
      text: cuesOf(transcript)
        .map((cue) => cue.text)
        .join(' '),
      segments: transcript.segments.map((segment) => ({
        start: segment.start,
        end: segment.end,
        text: segment.text,
        edited: segment.edited,
        words: segment.words,
      })),
    },
    null,
    2,
  )}\n`;
}

const MIME_TYPES: Record<TranscriptExportFormat, string> = {
  txt: 'text/plain; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  json: 'application/json',
};

/** The source's name without its extension, plus the format's: `talk.mp3` → `talk.srt`. */
export function exportFileName(sourceName: string, format: TranscriptExportFormat): string {
  const base = sourceName.replace(/\.[^./\\]+$/, '').replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_') || 'transcript';
  return `${base}.${format}`;
}

export function exportTranscript(transcript: Transcript, format: TranscriptExportFormat): ExportedFile {
  const content =
    format === 'txt'
      ? toTxt(transcript)
      : format === 'srt'
        ? toSrt(transcript)
        : format === 'vtt'
          ? toVtt(transcript)
          : toJson(transcript);
  return { fileName: exportFileName(transcript.fileName, format), mimeType: MIME_TYPES[format], content };
}
