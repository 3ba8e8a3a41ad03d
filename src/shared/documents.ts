/** Documents dropped into the chat composer: what main keeps of each, and how their size in tokens is estimated. */
import { z } from 'zod';
import type { Message } from './chat';
import { formatBytes } from './sizes';

/** A document's file may be at most this large (the window sends its bytes to main). */
export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;
/** Past this much extracted text a document belongs in a knowledge base, not in one message. */
export const MAX_DOCUMENT_CHARS = 2_000_000;
export const MAX_DOCUMENTS_PER_MESSAGE = 10;

/**
 * Han, kana and Hangul: tokenizers give such a character about one token of its own, where Latin text averages
 * about four characters per token.
 */
const WIDE_CHARACTERS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/**
 * How many tokens a text costs, approximately: one per CJK character, one per four other characters (rounded up).
 * Real tokenizers differ by model and by ±25% on ordinary prose, so the figure is shown as "about"; main and the
 * window use this same function so the chip and the stored message agree.
 */
export function estimateTokens(text: string): number {
  if (text === '') return 0;
  const wide = text.match(WIDE_CHARACTERS)?.length ?? 0;
  const narrow = text.length - wide;
  return wide + Math.ceil(narrow / 4);
}

/** A document kept with a message: its extracted text as a file in the library folder, by relative path. */
export const documentRefSchema = z.object({
  path: z
    .string()
    .regex(/^attachments\/documents\/[\w-]+\.txt$/, 'is not a document of the library')
    .max(200),
  name: z.string().min(1).max(300),
  /** The size of the file that was dropped, in bytes. */
  size: z.number().int().min(0),
  /** Pages of a PDF; null for other documents. */
  pages: z.number().int().min(1).nullable(),
  /** Characters of the text sent, and its token estimate (estimateTokens). */
  chars: z.number().int().min(0),
  tokens: z.number().int().min(0),
});
export type DocumentRef = z.infer<typeof documentRefSchema>;

/** A document as one line of an export (English, like the rest of it): name, size, pages, token estimate. */
export function documentLine(document: DocumentRef): string {
  const pages = document.pages ? `, ${document.pages} ${document.pages === 1 ? 'page' : 'pages'}` : '';
  return `${document.name} (${formatBytes(document.size)}${pages}, about ${document.tokens.toLocaleString('en')} tokens)`;
}

/** A file dropped, pasted or picked in the composer, as the window hands it to main. */
export const documentUploadSchema = z.object({
  name: z.string().trim().min(1).max(300),
  dataBase64: z
    .string()
    .max(Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 4, 'is larger than 25 MB')
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64'),
});
export type DocumentUpload = z.infer<typeof documentUploadSchema>;

/**
 * Why a document cannot go with a message: a file type HubDesk does not read, a file or a text too big for one
 * message, a PDF without a text layer (a scan), an empty file, or a file that could not be read (damaged, not
 * what its name says).
 */
export const documentProblems = [
  'unsupported',
  'too-big',
  'too-much-text',
  'no-text',
  'empty',
  'unreadable',
] as const;
export type DocumentProblem = (typeof documentProblems)[number];

export const documentReadingSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), document: documentRefSchema }),
  z.object({
    ok: z.literal(false),
    name: z.string(),
    problem: z.enum(documentProblems),
    /** What the reader said, for an unreadable file (in English, shown after the person's wording). */
    detail: z.string().optional(),
  }),
]);
export type DocumentReading = z.infer<typeof documentReadingSchema>;

/**
 * Whether a message's estimate fits the model's context window: `unknown` when the catalogue does not know the
 * window, `over` when the estimate exceeds it.
 */
/**
 * What the conversation so far costs the next request, in tokens: the last reply's prompt and answer as the
 * provider counted them (0 before any reply with usage). Its history is what the next message is added to.
 */
export function conversationTokens(messages: readonly Pick<Message, 'role' | 'usage'>[]): number {
  for (let at = messages.length - 1; at >= 0; at--) {
    const usage = messages[at]?.role === 'assistant' ? messages[at]?.usage : null;
    if (usage?.inputTokens !== undefined) return usage.inputTokens + (usage.outputTokens ?? 0);
  }
  return 0;
}

export function contextFit(tokens: number, contextWindow: number | undefined): 'fits' | 'over' | 'unknown' {
  if (contextWindow === undefined) return 'unknown';
  return tokens > contextWindow ? 'over' : 'fits';
}
