/** What each of HubDesk's own tools does with checked arguments: a text for the model and the same as JSON. */
import type { OpenConversation } from '../../../shared/chat-channels';
import { english } from '../../../shared/locales';
import {
  type EverythingHit,
  type MeaningReason,
  meaningReasonKey,
  type SearchKind,
} from '../../../shared/search';
import type { ToolResult } from '../../../shared/tools';
import type { Transcript, TranscriptSummary } from '../../../shared/transcription';
import { type VideoJob, videoVendorLabels } from '../../../shared/videos/job';
import type { SearchService } from '../search/search-service';
import type {
  ListTranscriptsArgs,
  ListVideosArgs,
  ReadConversationArgs,
  ReadTranscriptArgs,
  SearchLibraryArgs,
} from './builtin-tool-specs';
import {
  clockTime,
  cutText,
  errorResult,
  isoDate,
  MAX_RESULT_CHARS,
  readableSnippet,
  textResult,
} from './builtin-tool-text';
import { readTranscriptRange } from './builtin-transcript-range';

export interface BuiltinLibrary {
  search: Pick<SearchService, 'search'>;
  openConversation(id: string): OpenConversation;
  transcript(id: string): Transcript;
  transcripts(filter: { query?: string | undefined; limit: number }): TranscriptSummary[];
  videos(filter: ListVideosArgs & { limit: number }): VideoJob[];
  /** The time now, so a model that reads hit dates can tell what "last week" was. */
  now(): number;
}

const kindOf = { messages: 'message', transcripts: 'segment', videos: 'video' } as const satisfies Record<
  string,
  SearchKind
>;
/** With a date filter, this many candidates per hit asked for are searched before filtering. */
const DATED_CANDIDATES_PER_HIT = 5;
const MESSAGE_CHARS = 8_000;
const PROMPT_CHARS = 600;

export async function searchLibrary(
  library: BuiltinLibrary,
  args: SearchLibraryArgs,
  signal?: AbortSignal,
): Promise<ToolResult> {
  const { after, before } = args;
  if (after !== undefined && before !== undefined && after >= before) {
    return errorResult('Invalid arguments for search_library: "after" must be earlier than "before".');
  }
  const limit = args.limit ?? 10;
  const mode = args.mode ?? 'both';
  const dated = after !== undefined || before !== undefined;
  const result = await library.search.search({
    query: args.query,
    kinds: args.kinds?.map((kind) => kindOf[kind]),
    limit: dated ? limit * DATED_CANDIDATES_PER_HIT : limit,
    mode,
    signal,
  });
  const hits = result.hits
    .filter(
      (hit) => (after === undefined || hit.date >= after) && (before === undefined || hit.date < before),
    )
    .slice(0, limit)
    .map(toolHit);
  const fellBack = mode !== 'keyword' ? result.meaningUnavailable : undefined;
  const note = fellBack ? `Only keyword search ran, not meaning search. ${reasonText(fellBack)}` : null;
  const searchedAt = isoDate(library.now());
  const lines = [
    hits.length > 0
      ? `${hits.length} hit${hits.length === 1 ? '' : 's'} for "${args.query}" (${searchedBy(mode, result.meaningUsed)}, now ${searchedAt}):`
      : `No hits for "${args.query}" (now ${searchedAt}).`,
    ...hits.map((hit, index) => `${index + 1}. ${hitLine(hit)}\n   ${hit.snippet}`),
    ...(note ? [`Note: ${note}`] : []),
  ];
  return textResult(lines.join('\n'), {
    query: args.query,
    mode,
    searched_at: searchedAt,
    meaning_used: result.meaningUsed,
    ...(fellBack ? { meaning_unavailable: { code: fellBack.code, message: note } } : {}),
    hits,
  });
}

function searchedBy(mode: SearchLibraryArgs['mode'], meaningUsed: boolean): string {
  if (!meaningUsed) return 'keyword search';
  return mode === 'meaning' ? 'meaning search' : 'keyword and meaning search';
}

type ToolHit =
  | (HitBase & { kind: 'message'; conversation_id: string; message_id: string; role: 'user' | 'assistant' })
  | (HitBase & { kind: 'transcript'; transcript_id: string; segment: number; start_seconds: number })
  | (HitBase & { kind: 'video'; video_id: string });
interface HitBase {
  title: string;
  date: string;
  snippet: string;
  matched_by: EverythingHit['matchedBy'];
}

function toolHit(hit: EverythingHit): ToolHit {
  const base = {
    title: hit.title,
    date: isoDate(hit.date),
    snippet: readableSnippet(hit.snippet),
    matched_by: hit.matchedBy,
  };
  if (hit.kind === 'message') {
    return {
      kind: 'message',
      ...base,
      conversation_id: hit.target.conversationId,
      message_id: hit.target.messageId,
      role: hit.role,
    };
  }
  if (hit.kind === 'segment') {
    return {
      kind: 'transcript',
      ...base,
      transcript_id: hit.target.transcriptId,
      segment: hit.target.segmentIndex,
      start_seconds: hit.target.startSec,
    };
  }
  return { kind: 'video', ...base, video_id: hit.target.videoId };
}

function hitLine(hit: ToolHit): string {
  if (hit.kind === 'message') {
    return `message (${hit.role}) in conversation "${hit.title}", ${hit.date}; conversation_id: ${hit.conversation_id}, message_id: ${hit.message_id}`;
  }
  if (hit.kind === 'transcript') {
    return `transcript "${hit.title}", ${hit.date}, at ${clockTime(hit.start_seconds)} (segment ${hit.segment}); transcript_id: ${hit.transcript_id}, start_seconds: ${hit.start_seconds}`;
  }
  return `video prompt (${hit.title}), ${hit.date}; video_id: ${hit.video_id}`;
}

function reasonText(reason: MeaningReason): string {
  return english.search.reasons[meaningReasonKey(reason)].replace('{{detail}}', reason.detail ?? '');
}

export function readTranscript(library: BuiltinLibrary, args: ReadTranscriptArgs): ToolResult {
  const bySeconds = args.from_seconds !== undefined || args.to_seconds !== undefined;
  const bySegments = args.from_segment !== undefined || args.to_segment !== undefined;
  if (bySeconds && bySegments) {
    return errorResult(
      'Invalid arguments for read_transcript: give the range in seconds or in segments, not both.',
    );
  }
  const [from, to] = bySeconds ? [args.from_seconds, args.to_seconds] : [args.from_segment, args.to_segment];
  if (from !== undefined && to !== undefined && from > to) {
    return errorResult('Invalid arguments for read_transcript: the range ends before it starts.');
  }
  return readTranscriptRange(library.transcript(args.id), {
    unit: bySegments ? 'segment' : 'second',
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  });
}

export function listTranscripts(library: BuiltinLibrary, args: ListTranscriptsArgs): ToolResult {
  const transcripts = library.transcripts({ query: args.query, limit: args.limit ?? 20 }).map((item) => ({
    id: item.id,
    file_name: item.fileName,
    date: isoDate(item.createdAt),
    duration_seconds: item.durationSec,
    language: item.language,
    segment_count: item.segmentCount,
  }));
  const lines = [
    transcripts.length > 0
      ? `${transcripts.length} transcript${transcripts.length === 1 ? '' : 's'}, newest first:`
      : args.query
        ? `No transcript's file name holds "${args.query}".`
        : 'There are no transcripts yet.',
    ...transcripts.map(
      (item) =>
        `- "${item.file_name}", ${item.date}, ${item.duration_seconds === null ? 'length unknown' : clockTime(item.duration_seconds)}, ` +
        `${item.language ?? 'language unknown'}, ${item.segment_count} segments; id: ${item.id}`,
    ),
  ];
  return textResult(lines.join('\n'), { transcripts });
}

export function listVideos(library: BuiltinLibrary, args: ListVideosArgs): ToolResult {
  const videos = library.videos({ ...args, limit: args.limit ?? 20 }).map((job) => ({
    id: job.id,
    vendor: job.vendor,
    model: job.model,
    status: job.status,
    date: isoDate(job.createdAt),
    prompt: cutText(job.prompt, PROMPT_CHARS),
    downloaded: job.localFile !== null,
    ...(job.progress !== null && !['succeeded', 'failed'].includes(job.status)
      ? { progress: job.progress }
      : {}),
    ...(job.error ? { error: job.error.message } : {}),
    ...(job.parentId ? { remix_of: job.parentId } : {}),
  }));
  const filters = [
    args.status,
    args.vendor && videoVendorLabels[args.vendor],
    args.query && `"${args.query}"`,
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    videos.length > 0
      ? `${videos.length} video${videos.length === 1 ? '' : 's'}${filters ? ` (${filters})` : ''}, newest first:`
      : `No videos${filters ? ` match ${filters}` : ' yet'}.`,
    ...videos.map(
      (video) =>
        `- ${videoVendorLabels[video.vendor]} ${video.model}, ${video.status}` +
        `${video.progress !== undefined ? ` ${video.progress}%` : ''}, ${video.date}, ` +
        `${video.downloaded ? 'downloaded' : 'not downloaded'}; id: ${video.id}` +
        `${video.error ? `\n  error: ${video.error}` : ''}\n  prompt: ${video.prompt}`,
    ),
  ];
  return textResult(lines.join('\n'), { videos });
}

export function readConversation(library: BuiltinLibrary, args: ReadConversationArgs): ToolResult {
  const { conversation, messages } = library.openConversation(args.id);
  const wanted = messages.slice(-(args.limit ?? 20));
  const shown: { role: string; date: string; status: string; text: string }[] = [];
  let budget = MAX_RESULT_CHARS;
  for (const message of [...wanted].reverse()) {
    const text = cutText(message.text, MESSAGE_CHARS);
    if (text.length > budget && shown.length > 0) break;
    budget -= text.length;
    shown.unshift({ role: message.role, date: isoDate(message.createdAt), status: message.status, text });
  }
  const left = messages.length - shown.length;
  const lines = [
    `Conversation "${conversation.title}" (id ${conversation.id}, model ${conversation.model}): ` +
      `${messages.length} message${messages.length === 1 ? '' : 's'} in this branch` +
      (left > 0 ? `; the ${shown.length} newest shown, ${left} older left out.` : '.'),
    ...shown.map(
      (message) =>
        `[${message.role}, ${message.date}${message.status === 'complete' ? '' : `, ${message.status}`}] ${message.text}`,
    ),
  ];
  return textResult(lines.join('\n'), {
    conversation: {
      id: conversation.id,
      title: conversation.title,
      model: conversation.model,
      message_count: messages.length,
    },
    messages: shown,
    older_left_out: left,
  });
}
