/**
 * POST /v1/audio/transcriptions (docs/proxy-api.md §4.2): the multipart fields per model,
 * and every answer's shape parsed.
 */
import type { TranscriptionModel, TranscriptWord } from '../../shared/transcription';
import { HubError } from '../base/errors';
import type { UploadBody } from './api-call';
import type { HttpClient } from './http-client';
import { multipartUpload } from './multipart';
import type { RetryNotice } from './retry';

export interface TranscribeFileRequest {
  path: string;
  /** The name sent to the API; its extension must be one the API accepts. */
  fileName: string;
  contentType: string;
  size: number;
  model: TranscriptionModel;
  language?: string | undefined;
  prompt?: string | undefined;
  temperature?: number | undefined;
  signal?: AbortSignal;
  onProgress?: UploadBody['onProgress'];
  /** Told before the upload is sent again after a 429 or a server error (to show "retrying in N s"). */
  onRetry?: (notice: RetryNotice) => void;
}

export interface ParsedSegment {
  start: number;
  end: number;
  text: string;
  words: TranscriptWord[];
}

export interface ParsedTranscription {
  text: string;
  language: string | null;
  durationSec: number | null;
  /** False when the answer had no timestamps (json, text): then `segments` is one segment with start = end = 0. */
  timestamps: boolean;
  segments: ParsedSegment[];
}

export type ResponseFormat = 'verbose_json' | 'json';

/** whisper-1 gives word and segment timestamps (verbose_json); the gpt-4o models accept json only. */
export function responseFormatFor(model: TranscriptionModel): ResponseFormat {
  return model === 'whisper-1' ? 'verbose_json' : 'json';
}

/** The text fields of the form, in the order TikHub's own example sends them. */
export function transcriptionFields(request: {
  model: TranscriptionModel;
  language?: string | undefined;
  prompt?: string | undefined;
  temperature?: number | undefined;
}): [string, string][] {
  const format = responseFormatFor(request.model);
  const fields: [string, string][] = [['model', request.model]];
  if (request.prompt) fields.push(['prompt', request.prompt]);
  fields.push(['response_format', format]);
  if (request.temperature !== undefined) fields.push(['temperature', String(request.temperature)]);
  if (request.language) fields.push(['language', request.language]);
  if (format === 'verbose_json') {
    fields.push(['timestamp_granularities[]', 'word'], ['timestamp_granularities[]', 'segment']);
  }
  return fields;
}

/** Uploads one file (streamed from disk, with progress) and returns its transcription. */
export async function transcribeFile(
  client: HttpClient,
  request: TranscribeFileRequest,
): Promise<ParsedTranscription> {
  const upload = multipartUpload(
    transcriptionFields(request),
    {
      field: 'file',
      fileName: request.fileName,
      contentType: request.contentType,
      path: request.path,
      size: request.size,
    },
    request.onProgress,
  );
  const result = await client.text({
    endpoint: 'openai.transcriptions',
    upload,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onRetry ? { onRetry: request.onRetry } : {}),
  });
  return parseTranscription(result.text, result.contentType);
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function parseWords(value: unknown): TranscriptWord[] {
  if (!Array.isArray(value)) return [];
  const words: TranscriptWord[] = [];
  for (const item of value) {
    const word = asObject(item);
    const start = num(word?.start);
    const end = num(word?.end);
    if (!word || typeof word.word !== 'string' || start === null || end === null) continue;
    words.push({ word: word.word.trim(), start, end: Math.max(start, end) });
  }
  return words;
}

/** Top-level words (upstream's verbose_json) go to the segment their middle falls in. */
function assignWords(segments: ParsedSegment[], words: TranscriptWord[]): void {
  let at = 0;
  for (const word of words) {
    const middle = (word.start + word.end) / 2;
    while (at < segments.length - 1 && middle >= (segments[at]?.end ?? 0)) at++;
    segments[at]?.words.push(word);
  }
}

function fromJson(body: Json): ParsedTranscription {
  const text = typeof body.text === 'string' ? body.text.trim() : '';
  const language = typeof body.language === 'string' && body.language ? body.language : null;
  const durationSec = num(body.duration);
  if (!Array.isArray(body.segments)) {
    return {
      text,
      language,
      durationSec,
      timestamps: false,
      segments: text ? [{ start: 0, end: durationSec ?? 0, text, words: [] }] : [],
    };
  }
  const segments: ParsedSegment[] = [];
  for (const item of body.segments) {
    const segment = asObject(item);
    const start = num(segment?.start);
    const end = num(segment?.end);
    if (!segment || start === null || end === null) continue;
    segments.push({
      start,
      end: Math.max(start, end),
      text: typeof segment.text === 'string' ? segment.text.trim() : '',
      words: parseWords(segment.words),
    });
  }
  segments.sort((a, b) => a.start - b.start);
  const topWords = parseWords(body.words);
  if (topWords.length > 0 && segments.every((segment) => segment.words.length === 0)) {
    assignWords(segments, topWords);
  }
  return { text, language, durationSec, timestamps: true, segments };
}

function subtitleSeconds(stamp: string): number {
  const match = /(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})/.exec(stamp);
  if (!match) return 0;
  const [, h = '0', m = '0', s = '0', ms = '0'] = match;
  return Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms.padEnd(3, '0')) / 1000;
}

/** SRT or VTT cues (a server may answer with them although the app asks for JSON). */
function fromSubtitles(body: string): ParsedTranscription {
  const segments: ParsedSegment[] = [];
  for (const block of body.replace(/\r\n/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n');
    const timing = lines.findIndex((line) => line.includes('-->'));
    if (timing < 0) continue;
    const [from = '', to = ''] = (lines[timing] ?? '').split('-->');
    const text = lines
      .slice(timing + 1)
      .join(' ')
      .trim();
    segments.push({ start: subtitleSeconds(from), end: subtitleSeconds(to), text, words: [] });
  }
  return {
    text: segments.map((segment) => segment.text).join(' '),
    language: null,
    durationSec: null,
    timestamps: true,
    segments,
  };
}

/** Any answer of the endpoint: verbose_json (words nested or top-level), json, text, srt or vtt. */
export function parseTranscription(body: string, contentType = ''): ParsedTranscription {
  const trimmed = body.trim();
  if (contentType.includes('json') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new HubError({
        kind: 'server',
        message: 'The proxy sent a transcription that is not valid JSON.',
        reason: { code: 'transcriptionNotJson', values: {} },
      });
    }
    const object = asObject(parsed);
    if (!object || (typeof object.text !== 'string' && !Array.isArray(object.segments))) {
      throw new HubError({
        kind: 'server',
        message: 'The proxy sent a transcription without any text.',
        reason: { code: 'transcriptionNoText', values: {} },
      });
    }
    return fromJson(object);
  }
  if (/^WEBVTT/.test(trimmed) || /^\d+\s*\n[\d:,.]+\s*-->/.test(trimmed.replace(/\r\n/g, '\n'))) {
    return fromSubtitles(trimmed);
  }
  return {
    text: trimmed,
    language: null,
    durationSec: null,
    timestamps: false,
    segments: trimmed ? [{ start: 0, end: 0, text: trimmed, words: [] }] : [],
  };
}
