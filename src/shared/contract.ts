/**
 * The one contract between the renderer and main (docs/architecture.md §Rules 2).
 * Every invoke channel with its request and response schema, and every event with its payload.
 * Preload, routes, the renderer client and the test transports are all typed from this file.
 */
import { z } from 'zod';
import { appearanceChannels, appearanceEvents } from './appearance';
import type { ChannelMap } from './channel-map';
import { chatChannels, chatEvents } from './chat-channels';
import { chatKnowledgeChannels } from './chat-knowledge';
import { costsChannels, costsEvents } from './costs-channels';
import { desktopChannels, desktopEvents, dialogChannels } from './desktop';
import { menuEvents } from './desktop-menu';
import { doctorChannels } from './doctor';
import { type AppError, appErrorSchema } from './errors';
import { languageChannels, languageEvents } from './i18n';
import { knowledgeEvents } from './knowledge';
import { knowledgeChannels } from './knowledge-channels';
import { profileChannels, profileEvents } from './profiles';
import { searchChannels, searchEvents } from './search';
import { sourceEditorChannels, sourceEditorEvents } from './source-editor';
import { spellcheckChannels, spellcheckEvents } from './spellcheck';
import { syncChannels, syncEvents } from './sync';
import { toolsChannels, toolsEvents } from './tools-channels';
import { transcriptionChannels, transcriptionEvents } from './transcription';
import { videoChannels, videoEvents } from './videos/channels';

export const appInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  databasePath: z.string(),
  libraryDir: z.string(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** A link the page may hand to the OS browser: a plain https URL, without a user name or password. */
export const externalLinkSchema = z
  .string()
  .max(8192)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && !url.username && !url.password && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an https link without a user name or password');

export const appChannels = {
  'app.info': { request: z.object({}).strict(), response: appInfoSchema },
  /**
   * Opens a link from a reply in the OS browser, after the user has seen its full URL and confirmed. The only way
   * a link leaves the app: the window's own navigation and window.open open nothing. `opened` is false where main
   * has no OS browser to hand it to (the browser harness), so the page opens it itself.
   */
  'app.openLink': {
    request: z.object({ url: externalLinkSchema }).strict(),
    response: z.object({ opened: z.boolean() }),
  },
} as const satisfies ChannelMap;

/** Every invoke channel of the app: each domain declares its own group in its shared file. */
export const channels = {
  ...appChannels,
  ...profileChannels,
  ...chatChannels,
  ...chatKnowledgeChannels,
  ...transcriptionChannels,
  ...videoChannels,
  ...searchChannels,
  ...desktopChannels,
  ...dialogChannels,
  ...languageChannels,
  ...spellcheckChannels,
  ...appearanceChannels,
  ...doctorChannels,
  ...toolsChannels,
  ...knowledgeChannels,
  ...sourceEditorChannels,
  ...costsChannels,
  ...syncChannels,
} as const;

export const events = {
  ...profileEvents,
  ...chatEvents,
  ...transcriptionEvents,
  ...videoEvents,
  ...searchEvents,
  ...desktopEvents,
  ...menuEvents,
  ...languageEvents,
  ...spellcheckEvents,
  ...appearanceEvents,
  ...toolsEvents,
  ...knowledgeEvents,
  ...sourceEditorEvents,
  ...costsEvents,
  ...syncEvents,
} as const;

export type Channel = keyof typeof channels;
export type EventName = keyof typeof events;
export type RequestOf<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<(typeof channels)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof channels)[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const channelNames = Object.keys(channels) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}
export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}

/**
 * Every invoke resolves to this envelope: errors are values (docs/architecture.md §Rules 8),
 * never thrown across IPC.
 */
export type InvokeResult<T> = { ok: true; value: T } | { ok: false; error: AppError };
export const invokeResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: appErrorSchema }),
]);

/**
 * What preload exposes as `window.hub`: one function per contract channel (no generic invoke),
 * and a subscription that accepts only contract events.
 */
export type HubBridge = {
  invoke: { [C in Channel]: (request: RequestOf<C>) => Promise<InvokeResult<ResponseOf<C>>> };
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * The path of a file the user dropped or picked, for main to read (Electron's webUtils.getPathForFile).
   * The renderer never reads such files itself.
   */
  pathForFile(file: Blob & { readonly name: string }): Promise<string>;
};
