import { badRequest, sendError } from './errors';
import { type Ctx, header, sendJson, sendText } from './http';
import { commentPing, jsonEvent, sendStream } from './sse';
import { estimateTokens, fnv1a } from './text';

export const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
const EXTENSIONS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'];
const FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt'];
const SEGMENT_SECONDS = 3;
/** Assumed bitrate of compressed audio when the duration cannot be read from a WAV header: 128 kbit/s. */
const BYTES_PER_SECOND = 16_000;
const SENTENCES = [
  'Hello everyone, welcome to the demo.',
  'Today we are testing the fake proxy.',
  'The quick brown fox jumps over the lazy dog.',
  'Every segment lasts about three seconds.',
  'The same file always gives the same words.',
  'Numbers like one, two and three are spoken clearly.',
  'Thank you for listening.',
];

interface Segment {
  start: number;
  end: number;
  text: string;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Seconds of audio: exact for PCM WAV, else estimated from the size. */
export function audioDuration(data: Buffer): number {
  if (
    data.length >= 44 &&
    data.toString('ascii', 0, 4) === 'RIFF' &&
    data.toString('ascii', 8, 12) === 'WAVE'
  ) {
    let byteRate = 0;
    for (let at = 12; at + 8 <= data.length; ) {
      const id = data.toString('ascii', at, at + 4);
      const size = data.readUInt32LE(at + 4);
      if (id === 'fmt ' && at + 16 <= data.length) byteRate = data.readUInt32LE(at + 16);
      if (id === 'data' && byteRate > 0) return round2(Math.min(size, data.length - at - 8) / byteRate);
      at += 8 + size + (size % 2);
    }
  }
  return round2(Math.max(0.5, data.length / BYTES_PER_SECOND));
}

/** One segment per ~3 s: the first names the file, the rest are sentences picked by a hash of name and size. */
export function transcriptSegments(fileName: string, size: number, duration: number): Segment[] {
  const count = Math.max(1, Math.ceil(duration / SEGMENT_SECONDS));
  const seed = fnv1a(`${fileName}:${size}`);
  return Array.from({ length: count }, (_, i) => ({
    start: i * SEGMENT_SECONDS,
    end: round2(Math.min(duration, (i + 1) * SEGMENT_SECONDS)),
    text: i === 0 ? `Transcript of ${fileName}.` : (SENTENCES[(seed + i) % SENTENCES.length] ?? ''),
  }));
}

function wordsOf(segment: Segment) {
  const words = segment.text.split(' ');
  const step = (segment.end - segment.start) / words.length;
  return words.map((word, i) => ({
    word,
    start: round2(segment.start + i * step),
    end: round2(segment.start + (i + 1) * step),
  }));
}

function timestamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.round(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/** POST /v1/audio/transcriptions (multipart/form-data) */
export async function transcriptions(ctx: Ctx): Promise<void> {
  const contentType = header(ctx.req, 'content-type') ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    return badRequest(
      ctx,
      `Invalid Content-Type header (${contentType || 'none'}), expected multipart/form-data.`,
    );
  }
  if (ctx.body.length > MAX_AUDIO_BYTES + 1024 * 1024) {
    return sendError(
      ctx,
      413,
      `Maximum content size limit (${MAX_AUDIO_BYTES}) exceeded (${ctx.body.length} bytes read)`,
    );
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(ctx.body), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    return badRequest(ctx, 'Could not parse multipart form');
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string') {
    return badRequest(ctx, "Missing required parameter: 'file'.", 'file');
  }
  const model = form.get('model');
  if (typeof model !== 'string' || model === '') {
    return badRequest(ctx, 'you must provide a model parameter', 'model');
  }
  if (file.size > MAX_AUDIO_BYTES) {
    return sendError(
      ctx,
      413,
      `Maximum content size limit (${MAX_AUDIO_BYTES}) exceeded (${file.size} bytes read)`,
    );
  }
  const extension = /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? '';
  if (!EXTENSIONS.includes(extension)) {
    return badRequest(
      ctx,
      `Invalid file format. Supported formats: [${EXTENSIONS.map((e) => `'${e}'`).join(', ')}]`,
      'file',
    );
  }
  const format = String(form.get('response_format') ?? 'json');
  if (!FORMATS.includes(format)) {
    return badRequest(ctx, `Invalid value for response_format: '${format}'.`, 'response_format');
  }
  const gpt4o = model.startsWith('gpt-4o');
  if (gpt4o && format !== 'json') {
    return badRequest(
      ctx,
      `response_format '${format}' is not compatible with model '${model}'. Use 'json'.`,
      'response_format',
    );
  }

  const data = Buffer.from(await file.arrayBuffer());
  const duration = audioDuration(data);
  const segments = transcriptSegments(file.name, data.length, duration);
  const text = segments.map((segment) => segment.text).join(' ');
  const usage = gpt4o
    ? {
        type: 'tokens',
        input_tokens: Math.ceil(duration * 10),
        output_tokens: estimateTokens(text),
        total_tokens: Math.ceil(duration * 10) + estimateTokens(text),
      }
    : { type: 'duration', seconds: Math.ceil(duration) };

  if (gpt4o && form.get('stream') === 'true') {
    const events = [
      ...text.split(/(?<= )/).map((delta) => jsonEvent({ type: 'transcript.text.delta', delta })),
      jsonEvent({ type: 'transcript.text.done', text, usage }),
    ];
    return sendStream(ctx, { events, errorEvents: () => [], ping: commentPing });
  }
  switch (format) {
    case 'text':
      return sendText(ctx, 200, `${text}\n`, 'text/plain; charset=utf-8');
    case 'srt':
      return sendText(
        ctx,
        200,
        segments
          .map((s, i) => `${i + 1}\n${timestamp(s.start, ',')} --> ${timestamp(s.end, ',')}\n${s.text}\n`)
          .join('\n'),
        'text/plain; charset=utf-8',
      );
    case 'vtt':
      return sendText(
        ctx,
        200,
        `WEBVTT\n\n${segments.map((s) => `${timestamp(s.start, '.')} --> ${timestamp(s.end, '.')}\n${s.text}\n`).join('\n')}`,
        'text/plain; charset=utf-8',
      );
    case 'verbose_json': {
      const wordsOnTop =
        header(ctx.req, 'x-fake-words') === 'top' || ctx.url.searchParams.get('words') === 'top';
      const language = form.get('language');
      const rich = segments.map((segment, id) => ({
        id,
        seek: Math.round(segment.start * 100),
        start: segment.start,
        end: segment.end,
        text: ` ${segment.text}`,
        tokens: Array.from(segment.text.split(' '), (_, i) => 50364 + id * 100 + i),
        temperature: 0,
        avg_logprob: -0.21,
        compression_ratio: 1.12,
        no_speech_prob: 0.01,
        ...(wordsOnTop ? {} : { words: wordsOf(segment) }),
      }));
      return sendJson(ctx, 200, {
        task: 'transcribe',
        language: typeof language === 'string' && language !== '' ? language : 'en',
        duration,
        text,
        segments: rich,
        ...(wordsOnTop ? { words: segments.flatMap(wordsOf) } : {}),
        usage,
      });
    }
    default:
      return sendJson(ctx, 200, { text, usage });
  }
}
