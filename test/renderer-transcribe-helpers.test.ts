import '../src/renderer/src/i18n';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { findMatches, highlightParts, stepMatch } from '../src/renderer/src/transcribe/find';
import {
  applyJobChange,
  applyProgress,
  canRetry,
  mergeJobs,
  uploadPercent,
} from '../src/renderer/src/transcribe/jobs';
import { languageProblem, parseDraft, toRequestOptions } from '../src/renderer/src/transcribe/options';
import { wordedError } from '../src/renderer/src/transcribe/reasons';
import { formatDuration, segmentAtTime } from '../src/renderer/src/transcribe/time';
import { chatContextMessage, chatTitle, plainText } from '../src/renderer/src/transcribe/transcript-text';
import { formatBytes, formatClock } from '../src/renderer/src/ui/format';
import type { Transcript, TranscriptionJob, TranscriptSegment } from '../src/shared/transcription';

function segment(index: number, start: number, end: number, text: string): TranscriptSegment {
  return { index, start, end, text, edited: false, words: [] };
}

const segments = [
  segment(0, 0, 2.5, 'Hello everyone.'),
  segment(1, 3, 6, 'Welcome to the demo of the proxy.'),
  segment(2, 6, 9.2, 'The end.'),
];

function job(id: string, patch: Partial<TranscriptionJob> = {}): TranscriptionJob {
  return {
    id,
    fileName: `${id}.wav`,
    sourcePath: `/audio/${id}.wav`,
    sizeBytes: 1000,
    durationSec: null,
    options: { model: 'whisper-1', keepCopy: false },
    state: 'queued',
    error: null,
    progress: { uploadedBytes: 0, totalBytes: 1000, part: 1, partCount: 1 },
    transcriptId: null,
    createdAt: 1,
    updatedAt: 1,
    ...patch,
  };
}

function transcript(patch: Partial<Transcript> = {}): Transcript {
  return {
    id: 't1',
    jobId: 'j1',
    fileName: 'meeting.m4a',
    sourcePath: '/audio/meeting.m4a',
    audioPath: null,
    sizeBytes: 1000,
    durationSec: 9.2,
    model: 'whisper-1',
    language: 'en',
    timestamps: true,
    segments,
    createdAt: 1,
    updatedAt: 1,
    ...patch,
  };
}

describe('times and sizes as the page shows them', () => {
  it('writes clock positions as mm:ss, and hh:mm:ss from one hour on', () => {
    expect(formatClock(0)).toBe('00:00');
    expect(formatClock(3.99)).toBe('00:03');
    expect(formatClock(65)).toBe('01:05');
    expect(formatClock(3599.5)).toBe('59:59');
    expect(formatClock(3723)).toBe('01:02:03');
    expect(formatClock(Number.NaN)).toBe('00:00');
  });

  it('writes lengths and sizes for people', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBeNull();
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
    expect(formatBytes(61_000_000)).toBe('58.2 MB');
  });
});

describe('the segment being heard', () => {
  it('is the one whose time span holds the position', () => {
    expect(segmentAtTime(segments, 0)).toBe(0);
    expect(segmentAtTime(segments, 4)).toBe(1);
    expect(segmentAtTime(segments, 6)).toBe(2);
    expect(segmentAtTime(segments, 9.1)).toBe(2);
  });

  it('stays on the last one heard in a pause, and is none before the first or after the last', () => {
    expect(segmentAtTime(segments, 2.8)).toBe(0);
    expect(segmentAtTime([segment(0, 1, 2, 'a')], 0.5)).toBe(-1);
    expect(segmentAtTime(segments, 12)).toBe(-1);
    expect(segmentAtTime([], 1)).toBe(-1);
  });
});

describe('find in transcript', () => {
  it('finds every occurrence regardless of case, in reading order', () => {
    const matches = findMatches(segments, 'THE');
    expect(matches).toEqual([
      { segmentIndex: 1, start: 11, end: 14 },
      { segmentIndex: 1, start: 23, end: 26 },
      { segmentIndex: 2, start: 0, end: 3 },
    ]);
    expect(findMatches(segments, '   ')).toEqual([]);
  });

  it('splits a text into plain parts and marks, with the active match told apart', () => {
    const text = 'Welcome to the demo of the proxy.';
    const ranges = findMatches([segment(0, 0, 1, text)], 'the');
    const parts = highlightParts(text, ranges, 23);
    expect(parts.map((part) => part.text).join('')).toBe(text);
    expect(parts.filter((part) => part.match !== 'none').map((part) => part.match)).toEqual([
      'match',
      'active',
    ]);
    expect(highlightParts('', [], null)).toEqual([{ text: '', match: 'none' }]);
  });

  it('steps through matches and wraps around at both ends', () => {
    expect(stepMatch(0, 3, 1)).toBe(1);
    expect(stepMatch(2, 3, 1)).toBe(0);
    expect(stepMatch(0, 3, -1)).toBe(2);
    expect(stepMatch(-1, 3, -1)).toBe(2);
    expect(stepMatch(0, 0, 1)).toBe(-1);
  });
});

describe('the job list kept current by events', () => {
  it('adds, replaces and removes jobs, newest first', () => {
    let jobs = applyJobChange([], { id: 'a', job: job('a', { createdAt: 1 }) });
    jobs = applyJobChange(jobs, { id: 'b', job: job('b', { createdAt: 2 }) });
    expect(jobs.map((item) => item.id)).toEqual(['b', 'a']);
    jobs = applyJobChange(jobs, { id: 'a', job: job('a', { createdAt: 1, state: 'failed', updatedAt: 5 }) });
    expect(jobs.find((item) => item.id === 'a')?.state).toBe('failed');
    expect(applyJobChange(jobs, { id: 'a', job: null }).map((item) => item.id)).toEqual(['b']);
  });

  it('never lets an older snapshot replace a newer one', () => {
    const jobs = [job('a', { state: 'done', updatedAt: 10 })];
    expect(
      applyJobChange(jobs, { id: 'a', job: job('a', { state: 'uploading', updatedAt: 4 }) })[0]?.state,
    ).toBe('done');
  });

  it('moves upload progress, but never pulls a finished job back', () => {
    const jobs = [job('a', { state: 'uploading' }), job('b', { state: 'cancelled' })];
    const progress = {
      uploadedBytes: 500,
      totalBytes: 1000,
      part: 1,
      partCount: 2,
      state: 'uploading' as const,
    };
    const moved = applyProgress(jobs, { ...progress, jobId: 'a' });
    expect(uploadPercent(moved[0] ?? job('x'))).toBe(50);
    expect(moved[0]?.progress.partCount).toBe(2);
    expect(applyProgress(jobs, { ...progress, jobId: 'b' })[1]?.state).toBe('cancelled');
  });

  it('merges the jobs an add returned without duplicating those an event already brought', () => {
    const added = job('a', { createdAt: 3 });
    const jobs = mergeJobs(applyJobChange([job('old')], { id: 'a', job: added }), [added]);
    expect(jobs.map((item) => item.id)).toEqual(['a', 'old']);
  });

  it('reports upload percent within 0–100, even for an empty total', () => {
    expect(
      uploadPercent(job('a', { progress: { uploadedBytes: 0, totalBytes: 0, part: 1, partCount: 1 } })),
    ).toBe(0);
    expect(
      uploadPercent(job('a', { progress: { uploadedBytes: 2000, totalBytes: 1000, part: 1, partCount: 1 } })),
    ).toBe(100);
  });
});

describe('options for new files', () => {
  it('accepts an empty language or a two-letter code, and leaves out empty options', () => {
    expect(languageProblem('')).toBeNull();
    expect(languageProblem('EN')).toBeNull();
    expect(languageProblem('english')).toMatch(/two-letter/);
    expect(
      toRequestOptions({
        model: 'gpt-4o-transcribe',
        language: ' FR ',
        prompt: '  ',
        temperature: 0,
        keepCopy: true,
      }),
    ).toEqual({ model: 'gpt-4o-transcribe', language: 'fr', keepCopy: true });
    expect(
      toRequestOptions({
        model: 'whisper-1',
        language: '',
        prompt: 'Kubernetes',
        temperature: 0.3,
        keepCopy: false,
      }),
    ).toEqual({ model: 'whisper-1', prompt: 'Kubernetes', temperature: 0.3, keepCopy: false });
  });

  it('reads stored options back, replacing what no longer makes sense', () => {
    expect(parseDraft('{"model":"whisper-9","temperature":7,"language":"de","keepCopy":true}')).toEqual({
      model: 'whisper-1',
      language: 'de',
      prompt: '',
      temperature: 0,
      keepCopy: true,
    });
    expect(parseDraft('not json').model).toBe('whisper-1');
  });
});

describe('transcript text for copy and chat', () => {
  it('copies the text alone, one segment per paragraph, without empty segments', () => {
    expect(plainText([...segments, segment(3, 10, 11, '  ')])).toBe(
      'Hello everyone.\n\nWelcome to the demo of the proxy.\n\nThe end.',
    );
  });

  it('gives the chat a first message with the transcript, its timestamps, what the file is, and room for a question', () => {
    const message = chatContextMessage(transcript());
    expect(message).toContain('“meeting.m4a”');
    expect(message).toContain('[00:03] Welcome to the demo of the proxy.');
    expect(message).toContain('language: en');
    expect(message).toMatch(/<\/transcript>\n\nMy question: $/);
    expect(chatContextMessage(transcript({ timestamps: false }))).not.toContain('[00:');
  });

  it('cuts a transcript too long for one message at a segment boundary and says so', () => {
    const long = Array.from({ length: 200 }, (_, index) =>
      segment(index, index, index + 1, `Sentence ${index}.`),
    );
    const message = chatContextMessage(transcript({ segments: long }), 1200);
    expect(message.length).toBeLessThanOrEqual(1200);
    expect(message).toContain('[00:00] Sentence 0.');
    expect(message).not.toContain('Sentence 199.');
    expect(message).toMatch(/too long to include\]\n<\/transcript>\n\nMy question: $/);
    expect(chatTitle('x'.repeat(300)).length).toBe(200);
  });
});

describe('transcription errors in the window', () => {
  const notAudio = {
    kind: 'invalid_input' as const,
    message: '“song.mp3” is not an audio or video file (its content is a PNG image), so it was not uploaded.',
    field: 'paths',
    reason: { code: 'notAudio' as const, values: { name: 'song.mp3', content: 'png' } },
  };

  it("words a reason from its code and values in the UI language, and leaves the proxy's errors as they are", async () => {
    try {
      await i18next.changeLanguage('vi');
      expect(wordedError(notAudio).message).toBe(
        '“song.mp3” không phải tệp âm thanh hay video (nội dung của nó là ảnh PNG), nên đã không được tải lên.',
      );
      await i18next.changeLanguage('zh-CN');
      expect(wordedError(notAudio).message).toContain('PNG 图片');
      const proxy = { kind: 'server' as const, message: 'The proxy failed (HTTP 502).', status: 502 };
      expect(wordedError(proxy)).toBe(proxy);
      const unreachable = {
        kind: 'network' as const,
        message: 'Could not reach the proxy: the connection was refused.',
        reason: { code: 'unreachable' as const, values: { cause: 'ECONNREFUSED' } },
      };
      // HubDesk's own reasons outside transcription, worded as every other error.
      expect(wordedError(unreachable).message).toBe('无法连接到代理：连接被拒绝。');
    } finally {
      await i18next.changeLanguage('en');
    }
    expect(wordedError(notAudio).message).toBe(notAudio.message);
  });

  it('offers Retry where trying again can end differently, not for a file that was refused', () => {
    expect(canRetry({ state: 'failed', error: notAudio })).toBe(false);
    expect(canRetry({ state: 'failed', error: { kind: 'network', message: 'cut' } })).toBe(true);
    expect(canRetry({ state: 'failed', error: { kind: 'server', message: 'HTTP 500', status: 500 } })).toBe(
      true,
    );
    expect(canRetry({ state: 'interrupted', error: null })).toBe(true);
    expect(canRetry({ state: 'done', error: null })).toBe(false);
  });
});
