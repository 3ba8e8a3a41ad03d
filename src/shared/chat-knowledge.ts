/** Chat over the user's knowledge bases (issue 17): the sources a reply was given, and the window's two asks. */
import { z } from 'zod';
import type { ChannelMap } from './channel-map';

/** A passage sent to the model with a prompt, as stored on the reply: `[n]` in its text refers to it. */
export const kbSourceSchema = z.object({
  /** The number the model was given, from 1. */
  n: z.number().int().min(1),
  baseId: z.string(),
  /** The file's full path on this computer: what a citation opens. */
  path: z.string(),
  page: z.number().int().nullable(),
  line: z.number().int().nullable(),
  heading: z.string(),
  snippet: z.string(),
});
export type KbSource = z.infer<typeof kbSourceSchema>;

export const kbSourcesSchema = z.array(kbSourceSchema);

/** What opening a source needs: a stored path, and its page (PDFs open at it) or line. */
export type OpenableSource = Pick<KbSource, 'path' | 'page' | 'line'>;

/** The file name of a source's path, Windows or POSIX. */
export function sourceFileName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}

/** How many knowledge bases one chat or one message may use. */
export const MAX_CHAT_BASES = 20;

export const chatKnowledgeChannels = {
  /**
   * Opens the file of source `n` of a stored reply through the OS, at its page where the handler supports it. The
   * path is the one stored with the reply, never one the page sends. `opened` is false where main has no OS shell.
   */
  'chat.openSource': {
    request: z
      .object({ messageId: z.string().trim().min(1).max(100), n: z.number().int().min(1).max(1000) })
      .strict(),
    response: z.object({ opened: z.boolean() }),
  },
} as const satisfies ChannelMap;
