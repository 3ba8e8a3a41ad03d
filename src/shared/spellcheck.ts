/** Spellcheck in the window's text fields: a setting, off by default on Linux, where Chromium downloads its dictionaries from Google. */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';

export const spellcheckStateSchema = z.object({ enabled: z.boolean() });
export type SpellcheckState = z.infer<typeof spellcheckStateSchema>;

/** macOS and Windows check spelling with the OS's own dictionaries; Linux would fetch Hunspell files from Google. */
export function spellcheckDefault(platform: string): boolean {
  return platform !== 'linux';
}

export const spellcheckChannels = {
  'spellcheck.get': { request: z.object({}).strict(), response: spellcheckStateSchema },
  'spellcheck.set': {
    request: z.object({ enabled: z.boolean() }).strict(),
    response: spellcheckStateSchema,
  },
} as const satisfies ChannelMap;

export const spellcheckEvents = {
  /** The setting changed: the shell turns the window's spellchecker on or off. */
  'spellcheck.changed': spellcheckStateSchema,
} as const satisfies EventMap;
