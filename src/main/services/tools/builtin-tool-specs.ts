/**
 * What HubDesk's own tools look like to a model: names, descriptions, input schemas, and the zod rules their
 * arguments are checked with. The schemas use only keywords all four chat families accept (type, description,
 * properties, required, enum, items, minimum, maximum, minLength, maxLength, minItems, maxItems): no `format`,
 * `default`, `additionalProperties` or `$schema`, which Gemini's function declarations refuse; and `required` only
 * where something is (an empty list is invalid before JSON Schema draft 6, which OpenAPI 3.0 and so Gemini follow).
 */
import { z } from 'zod';
import { videoStatuses, videoVendors } from '../../../shared/videos/job';

export const SEARCH_LIMIT_MAX = 50;
export const LIST_LIMIT_MAX = 100;
export const CONVERSATION_LIMIT_MAX = 100;
export const libraryKinds = ['messages', 'transcripts', 'videos'] as const;
export const searchModes = ['keyword', 'meaning', 'both'] as const;

const id = z.string().trim().min(1).max(200);
const query = z.string().trim().min(1).max(500);
const seconds = z.number().min(0).max(1_000_000);
const segment = z.number().int().min(0).max(10_000_000);
/** A date (`2026-11-24`) or a date and time (`2026-11-24T09:00:00Z`), as ms since the epoch. */
const dateLike = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be a date like 2026-11-24')
  .transform((text, context) => {
    const ms = Date.parse(text);
    if (Number.isNaN(ms) || !isCalendarDay(text.slice(0, 10))) {
      context.addIssue({ code: 'custom', message: 'is not a real date' });
      return z.NEVER;
    }
    return ms;
  });

/** False for a day the calendar does not have, which Date.parse rolls over (2026-02-31 → March 3). */
function isCalendarDay(day: string): boolean {
  const [year, month, date] = day.split('-').map(Number);
  if (year === undefined || month === undefined || date === undefined) return false;
  const parsed = new Date(Date.UTC(year, month - 1, date));
  return parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === date;
}

export const searchLibraryArgs = z.strictObject({
  query,
  kinds: z.array(z.enum(libraryKinds)).min(1).max(3).optional(),
  mode: z.enum(searchModes).optional(),
  limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).optional(),
  after: dateLike.optional(),
  before: dateLike.optional(),
});
export const readTranscriptArgs = z.strictObject({
  id,
  from_seconds: seconds.optional(),
  to_seconds: seconds.optional(),
  from_segment: segment.optional(),
  to_segment: segment.optional(),
});
export const listTranscriptsArgs = z.strictObject({
  query: query.optional(),
  limit: z.number().int().min(1).max(LIST_LIMIT_MAX).optional(),
});
export const listVideosArgs = z.strictObject({
  status: z.enum(videoStatuses).optional(),
  vendor: z.enum(videoVendors).optional(),
  query: query.optional(),
  limit: z.number().int().min(1).max(LIST_LIMIT_MAX).optional(),
});
export const readConversationArgs = z.strictObject({
  id,
  limit: z.number().int().min(1).max(CONVERSATION_LIMIT_MAX).optional(),
});

export const searchDocumentsArgs = z.strictObject({
  query,
  base: z.string().trim().min(1).max(100).optional(),
});

export type SearchLibraryArgs = z.infer<typeof searchLibraryArgs>;
export type ReadTranscriptArgs = z.infer<typeof readTranscriptArgs>;
export type ListTranscriptsArgs = z.infer<typeof listTranscriptsArgs>;
export type ListVideosArgs = z.infer<typeof listVideosArgs>;
export type ReadConversationArgs = z.infer<typeof readConversationArgs>;
export type SearchDocumentsArgs = z.infer<typeof searchDocumentsArgs>;

export const builtinToolNames = [
  'search_library',
  'read_transcript',
  'list_transcripts',
  'list_videos',
  'read_conversation',
  'search_documents',
] as const;
export type BuiltinToolName = (typeof builtinToolNames)[number];

export interface BuiltinToolSpec {
  name: BuiltinToolName;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  args: z.ZodType;
}

const limitSchema = (max: number, what: string, fallback: number) => ({
  type: 'integer',
  minimum: 1,
  maximum: max,
  description: `At most this many ${what} (1–${max}; ${fallback} when left out).`,
});
const dateSchema = (edge: string) => ({
  type: 'string',
  description: `Only items created ${edge} this moment: a date like 2026-11-24 (midnight UTC) or an ISO date and time.`,
});

export const builtinToolSpecs: readonly BuiltinToolSpec[] = [
  {
    name: 'search_library',
    title: 'Search HubDesk',
    description:
      "Searches the user's HubDesk library: past chat messages, audio/video transcripts and the prompts of " +
      'generated videos. Keyword mode matches every word; meaning mode finds passages about the same thing in ' +
      'other words; both (the default) blends the two. Each hit has its kind, title, date, a snippet with the ' +
      'matched words in **bold**, and the ids to open it: read_transcript with transcript_id (start at ' +
      'start_seconds), read_conversation with conversation_id. Meaning search needs the network and an index; ' +
      'when it cannot run, the result holds keyword hits and says why. Dates are UTC; the result gives the time ' +
      'now, and after/before narrow the search to a period such as last week.',
    inputSchema: {
      type: 'object',
      properties: {
        query: {
          type: 'string',
          minLength: 1,
          maxLength: 500,
          description: 'What to look for: words, or a question for meaning search.',
        },
        kinds: {
          type: 'array',
          items: { type: 'string', enum: [...libraryKinds] },
          minItems: 1,
          maxItems: 3,
          description: 'Which kinds of items to search; all three when left out.',
        },
        mode: {
          type: 'string',
          enum: [...searchModes],
          description: 'keyword, meaning, or both (the default).',
        },
        limit: limitSchema(SEARCH_LIMIT_MAX, 'hits', 10),
        after: dateSchema('at or after'),
        before: dateSchema('before'),
      },
      required: ['query'],
    },
    args: searchLibraryArgs,
  },
  {
    name: 'read_transcript',
    title: 'Read a transcript',
    description:
      'Returns the text of one transcript, one line per segment with its [hh:mm:ss] start time. Give a range ' +
      'in seconds (from_seconds, to_seconds) or in segment numbers (from_segment, to_segment, both included) ' +
      'to read part of it; without one it starts at the beginning. Long transcripts are cut at about 40,000 ' +
      'characters: the result then says so and where to continue (next_from_seconds).',
    inputSchema: {
      type: 'object',
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 200, description: 'The transcript_id.' },
        from_seconds: { type: 'number', minimum: 0, description: 'Start of the range, in seconds.' },
        to_seconds: { type: 'number', minimum: 0, description: 'End of the range, in seconds.' },
        from_segment: { type: 'integer', minimum: 0, description: 'First segment number of the range.' },
        to_segment: {
          type: 'integer',
          minimum: 0,
          description: 'Last segment number of the range (included).',
        },
      },
      required: ['id'],
    },
    args: readTranscriptArgs,
  },
  {
    name: 'list_transcripts',
    title: 'List transcripts',
    description:
      "Lists the user's transcripts, newest first: id, file name, date, duration, language and number of " +
      'segments. Use query to keep only those whose file name holds every word.',
    inputSchema: {
      type: 'object',
      properties: {
        query: {
          type: 'string',
          minLength: 1,
          maxLength: 500,
          description: 'Words the file name must hold.',
        },
        limit: limitSchema(LIST_LIMIT_MAX, 'transcripts', 20),
      },
    },
    args: listTranscriptsArgs,
  },
  {
    name: 'list_videos',
    title: 'List videos',
    description:
      'Lists the videos the user generated (Sora, Seedance, Kling, Veo), newest first: id, vendor, model, ' +
      'status, date, prompt, and whether the file is downloaded. Filter by status, vendor, or words the prompt ' +
      'must hold.',
    inputSchema: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: [...videoStatuses], description: 'Only videos in this state.' },
        vendor: { type: 'string', enum: [...videoVendors], description: 'Only videos of this vendor.' },
        query: { type: 'string', minLength: 1, maxLength: 500, description: 'Words the prompt must hold.' },
        limit: limitSchema(LIST_LIMIT_MAX, 'videos', 20),
      },
    },
    args: listVideosArgs,
  },
  {
    name: 'read_conversation',
    title: 'Read a conversation',
    description:
      'Returns the messages of one past chat conversation (the branch the user last looked at), oldest first, ' +
      'each with its role and date. By default the last 20 messages; long messages are cut.',
    inputSchema: {
      type: 'object',
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 200, description: 'The conversation_id.' },
        limit: limitSchema(CONVERSATION_LIMIT_MAX, 'of the newest messages', 20),
      },
      required: ['id'],
    },
    args: readConversationArgs,
  },
  {
    name: 'search_documents',
    title: 'Search my documents',
    description:
      "Searches the user's own documents: the folders and files in their HubDesk knowledge bases (PDF, Word, " +
      'Markdown, text, HTML, code). Returns the best passages, numbered, each with its file, page or line, ' +
      'heading and full path. Mention the file (and page or line) of what you use. Give base to search one ' +
      'knowledge base by its name; all of them are searched when it is left out, and an unknown name lists them.',
    inputSchema: {
      type: 'object',
      properties: {
        query: {
          type: 'string',
          minLength: 1,
          maxLength: 500,
          description: 'What to look for: words, or a question.',
        },
        base: {
          type: 'string',
          minLength: 1,
          maxLength: 100,
          description: 'The name of one knowledge base to search; every base when left out.',
        },
      },
      required: ['query'],
    },
    args: searchDocumentsArgs,
  },
];
