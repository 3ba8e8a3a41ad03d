import i18next from 'i18next';
import type { Transcript, TranscriptSegment } from '../../../shared/transcription';
import { formatClock } from '../ui/format';
import { formatDuration } from './time';

/** A message's limit in `chat.send` (and a draft's in `drafts.set`). */
export const MAX_MESSAGE = 400_000;

/** The transcript as plain text, one segment per paragraph (what "Copy all" puts on the clipboard). */
export function plainText(segments: readonly TranscriptSegment[]): string {
  return segments
    .map((segment) => segment.text.trim())
    .filter((text) => text.length > 0)
    .join('\n\n');
}

function timedLines(transcript: Transcript): string[] {
  return transcript.segments
    .filter((segment) => segment.text.trim().length > 0)
    .map((segment) =>
      transcript.timestamps ? `[${formatClock(segment.start)}] ${segment.text.trim()}` : segment.text.trim(),
    );
}

/**
 * The first message of a conversation about this transcript, in the UI language: what the model gets, shown in the
 * chat's message box for the user to read and finish with a question. A transcript too long for one message is cut
 * at a segment boundary, and the message says so.
 */
export function chatContextMessage(transcript: Transcript, limit = MAX_MESSAGE): string {
  const facts = [
    i18next.t('transcribe:chat.file', { name: transcript.fileName }),
    formatDuration(transcript.durationSec),
    transcript.language ? i18next.t('transcribe:chat.language', { language: transcript.language }) : null,
  ].filter((fact): fact is string => fact !== null);
  const intro = i18next.t('transcribe:chat.intro', {
    facts: facts.join(i18next.t('transcribe:page.separator')),
    model: transcript.model,
  });
  const head = `${intro}\n\n<transcript>\n`;
  const tail = `\n</transcript>\n\n${i18next.t('transcribe:chat.question')} `;
  const cutNote = `\n${i18next.t('transcribe:chat.cut')}`;
  const lines = timedLines(transcript);
  const room = limit - head.length - tail.length;
  let body = lines.join('\n');
  if (body.length > room) {
    const kept: string[] = [];
    let used = cutNote.length;
    for (const line of lines) {
      if (used + line.length + 1 > room) break;
      kept.push(line);
      used += line.length + 1;
    }
    body = kept.join('\n') + cutNote;
  }
  return head + body + tail;
}

/** A conversation title for the transcript, within the 200 characters a title may have. */
export function chatTitle(fileName: string): string {
  const title = i18next.t('transcribe:chat.title', { name: fileName });
  return title.length > 200 ? `${title.slice(0, 199)}…` : title;
}
