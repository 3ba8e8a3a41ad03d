import { describe, expect, it } from 'vitest';
import { parseTranscription, transcriptionFields } from '../src/main/api/transcription';
import { exportFileName, exportTranscript, formatTimestamp } from '../src/main/services/transcription/export';
import { describeContent, detectMedia, planCuts } from '../src/main/services/transcription/media';
import { placeSegments } from '../src/main/services/transcription/stitch';
import type { Transcript } from '../src/shared/transcription';

const transcript: Transcript = {
  id: 't1',
  jobId: 'j1',
  fileName: 'talk.final.mp3',
  sourcePath: '/tmp/talk.final.mp3',
  audioPath: null,
  sizeBytes: 1000,
  durationSec: 3725.5,
  model: 'whisper-1',
  language: 'en',
  timestamps: true,
  segments: [
    { index: 0, start: 0, end: 2.5, text: 'Hello there.', edited: false, words: [] },
    { index: 1, start: 2.5, end: 2.5, text: '   ', edited: true, words: [] },
    {
      index: 2,
      start: 3661.007,
      end: 3725.5,
      text: 'A <b> & c --> d\n\nsecond line',
      edited: true,
      words: [],
    },
  ],
  createdAt: 1,
  updatedAt: 2,
};

describe('transcript export', () => {
  it('writes SRT with cues numbered from 1 and comma milliseconds, skipping emptied segments', () => {
    const srt = exportTranscript(transcript, 'srt');
    expect(srt.fileName).toBe('talk.final.srt');
    expect(srt.content).toBe(
      '1\n00:00:00,000 --> 00:00:02,500\nHello there.\n\n' +
        '2\n01:01:01,007 --> 01:02:05,500\nA <b> & c --> d\nsecond line\n',
    );
    // Every cue: a number, a timing line in the SRT form, then text; cues separated by one blank line.
    for (const cue of srt.content.trim().split('\n\n')) {
      const [number, timing] = cue.split('\n');
      expect(number).toMatch(/^\d+$/);
      expect(timing).toMatch(/^\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}$/);
    }
  });

  it('writes VTT with the WEBVTT header, dot milliseconds and escaped text', () => {
    const vtt = exportTranscript(transcript, 'vtt');
    expect(vtt.mimeType).toContain('text/vtt');
    expect(vtt.content.startsWith('WEBVTT\n\n')).toBe(true);
    expect(vtt.content).toContain('00:00:00.000 --> 00:00:02.500\nHello there.\n');
    expect(vtt.content).toContain('01:01:01.007 --> 01:02:05.500\nA &lt;b> &amp; c --&gt; d\nsecond line\n');
    expect(vtt.content.split('-->').length - 1).toBe(2);
  });

  it('writes TXT and JSON from the edited text', () => {
    expect(exportTranscript(transcript, 'txt').content).toBe('Hello there.\nA <b> & c --> d\nsecond line\n');
    const json = JSON.parse(exportTranscript(transcript, 'json').content) as {
      segments: { text: string; edited: boolean }[];
      language: string;
    };
    expect(json.language).toBe('en');
    expect(json.segments[2]).toMatchObject({ text: 'A <b> & c --> d\n\nsecond line', edited: true });
  });

  it('formats timestamps past a day and names files safely', () => {
    expect(formatTimestamp(0.0004, ',')).toBe('00:00:00,000');
    expect(formatTimestamp(90061.25, '.')).toBe('25:01:01.250');
    expect(exportFileName('a/b:c.wav', 'srt')).toBe('a_b_c.srt');
    expect(exportFileName('.wav', 'txt')).toBe('transcript.txt');
  });
});

describe('transcription responses', () => {
  it('reads verbose_json with words nested in segments (TikHub)', () => {
    const parsed = parseTranscription(
      JSON.stringify({
        language: 'english',
        duration: 4,
        text: 'Hi you. Bye.',
        segments: [
          { start: 0, end: 2, text: ' Hi you.', words: [{ word: 'Hi', start: 0, end: 1 }] },
          { start: 2, end: 4, text: ' Bye.', words: [{ word: 'Bye.', start: 2, end: 3 }] },
        ],
      }),
      'application/json',
    );
    expect(parsed).toMatchObject({ language: 'english', durationSec: 4, timestamps: true });
    expect(parsed.segments.map((s) => [s.text, s.words.length])).toEqual([
      ['Hi you.', 1],
      ['Bye.', 1],
    ]);
  });

  it('reads verbose_json with top-level words (upstream) and puts each word in its segment', () => {
    const parsed = parseTranscription(
      JSON.stringify({
        text: 'a b c',
        segments: [
          { start: 0, end: 2, text: 'a b' },
          { start: 2, end: 4, text: 'c' },
        ],
        words: [
          { word: 'a', start: 0, end: 0.9 },
          { word: 'b', start: 1, end: 1.9 },
          { word: 'c', start: 2.1, end: 3 },
        ],
      }),
    );
    expect(parsed.segments.map((s) => s.words.map((w) => w.word))).toEqual([['a', 'b'], ['c']]);
  });

  it('reads json, text, srt and vtt answers', () => {
    expect(parseTranscription('{"text":" Only text. "}', 'application/json')).toMatchObject({
      text: 'Only text.',
      timestamps: false,
      segments: [{ text: 'Only text.' }],
    });
    expect(parseTranscription('plain words\n', 'text/plain').segments[0]?.text).toBe('plain words');
    const srt = parseTranscription(
      '1\n00:00:01,500 --> 00:00:03,000\nOne\n\n2\n00:00:03,000 --> 00:00:04,250\nTwo\n',
    );
    expect(srt.segments).toEqual([
      { start: 1.5, end: 3, text: 'One', words: [] },
      { start: 3, end: 4.25, text: 'Two', words: [] },
    ]);
    const vtt = parseTranscription('WEBVTT\n\n00:01.000 --> 00:02.000\nHey\n', 'text/vtt');
    expect(vtt.segments).toEqual([{ start: 1, end: 2, text: 'Hey', words: [] }]);
    expect(() => parseTranscription('{"nothing":1}', 'application/json')).toThrow(/without any text/);
  });

  it('asks whisper-1 for verbose_json with word and segment timestamps, gpt-4o models for json only', () => {
    expect(
      transcriptionFields({ model: 'whisper-1', language: 'en', prompt: 'p', temperature: 0.2 }),
    ).toEqual([
      ['model', 'whisper-1'],
      ['prompt', 'p'],
      ['response_format', 'verbose_json'],
      ['temperature', '0.2'],
      ['language', 'en'],
      ['timestamp_granularities[]', 'word'],
      ['timestamp_granularities[]', 'segment'],
    ]);
    expect(transcriptionFields({ model: 'gpt-4o-mini-transcribe' })).toEqual([
      ['model', 'gpt-4o-mini-transcribe'],
      ['response_format', 'json'],
    ]);
  });
});

describe('media helpers', () => {
  it('recognises media by its first bytes, not its name', () => {
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')]);
    expect(detectMedia(wav)?.kind).toBe('wav');
    expect(detectMedia(Buffer.from('ID3\x04\x00rest', 'latin1'))?.kind).toBe('mp3');
    expect(detectMedia(Buffer.from([0xff, 0xfb, 0x90, 0x64]))?.kind).toBe('mp3');
    expect(detectMedia(Buffer.from([0xff, 0xf1, 0x50, 0x80]))?.kind).toBe('aac');
    expect(detectMedia(Buffer.from('\x00\x00\x00\x20ftypM4A \x00', 'latin1'))?.kind).toBe('m4a');
    expect(detectMedia(Buffer.from('Hello, this is text pretending to be an mp3'))).toBeNull();
    expect(describeContent(Buffer.from('Hello, this is text'))).toBe('text');
    expect(describeContent(Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'))).toBe('a PNG image');
  });

  it('plans cuts in the latest silence before each limit, or at the limit without one', () => {
    const silences = [
      { start: 50, end: 52 },
      { start: 90, end: 92 },
      { start: 170, end: 172 },
    ];
    expect(planCuts(250, 100, silences)).toEqual([91, 171]);
    expect(planCuts(250, 100, [])).toEqual([100, 200]);
    expect(planCuts(100, 100, silences)).toEqual([]);
  });

  it('moves a part’s segments to the whole file’s time line and keeps them inside the part', () => {
    const part = { path: 'p', size: 1, offsetSec: 100, durationSec: 10 };
    const placed = placeSegments(
      [{ start: 8, end: 12, text: 'x', words: [{ word: 'x', start: 9, end: 11 }] }],
      part,
      true,
    );
    expect(placed).toEqual([
      { start: 108, end: 110, text: 'x', words: [{ word: 'x', start: 109, end: 110 }] },
    ]);
    expect(placeSegments([{ start: 0, end: 0, text: 'all', words: [] }], part, false)).toEqual([
      { start: 100, end: 110, text: 'all', words: [] },
    ]);
  });
});
