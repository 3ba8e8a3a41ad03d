/**
 * Why something failed, as a code and values: main says it in English (`AppError.message`, for the CLI and the
 * log), the window words it in its language. HubDesk's own codes are worded in `errors:reasons.<code>`,
 * transcription's in `transcribe:reasons.<code>`; a code the window does not know falls back to `message`.
 */
import { z } from 'zod';

/** Why transcription refused a file or stopped (worded in `transcribe:reasons.<code>`). */
export const transcriptionReasonCodes = [
  'notFound',
  'notAFile',
  'unreadable',
  'permissionDenied',
  'empty',
  'notAudio',
  'noAudioTrack',
  'tooBigNoFfmpeg',
  'formatNoFfmpeg',
  'folderHasNoMedia',
  'closedBeforeDone',
  'closedWhileRunning',
  'cancelled',
  'cancelledBeforeStart',
  'probeUnreadable',
  'ffmpegFailed',
  'libraryCannotHold',
  'jobGone',
  'transcriptGone',
  'alreadyTranscribed',
  'noSegment',
] as const;

/** HubDesk's own reasons outside transcription (worded in `errors:reasons.<code>`). */
export const hubReasonCodes = [
  // The proxy answered with an HTTP error: values.status.
  'http400',
  'http401',
  'http403',
  'http404',
  'http407',
  'http408',
  'http409',
  'http410',
  'http413',
  'http416',
  'http422',
  'http429',
  'http502',
  'http503',
  'http504',
  'http529',
  'httpClient',
  'httpServer',
  'httpOther',
  'quota',
  'htmlErrorPage',
  'klingRejected',
  'notJson',
  'answerTooLarge',
  'webPage',
  'jsonInsteadOfStream',
  'notAStream',
  'malformedEvent',
  'streamEventTooLarge',
  'streamTooLarge',
  'transcriptionNotJson',
  'transcriptionNoText',
  'badBaseUrl',
  'badProxyUrl',
  // The network and this computer: values.cause is a system code (ECONNREFUSED, ENOSPC…).
  'unreachable',
  'unreachableCode',
  'streamCut',
  'timeout',
  'connectTimeout',
  'headersTimeout',
  'bodyTimeout',
  'totalTimeout',
  'deadline',
  'streamIdle',
  'proxyLogin',
  'proxyRefused',
  'requestCancelled',
  'fileFailed',
  'fileFailedAt',
  'databaseFull',
  'databaseFailed',
  'internal',
  // The system keychain: values.action is one of keychainActions.
  'keychainMissing',
  'keychainModuleMissing',
  'keychainLocked',
  'keychainFailed',
  'proxyNeedsKeychain',
  // Knowledge bases.
  'kbNameLength',
  'kbNoPaths',
  'kbNoSuchPath',
  'kbUnsupportedFile',
  'kbNameTaken',
  'kbNoSuchFile',
  'kbPaused',
  'kbSyncStopped',
  'kbPassageGone',
  'kbNoBase',
  // One file of a knowledge base.
  'kbFileTooBig',
  'kbFileUnreadable',
  'kbTextUnreadable',
  'kbNotText',
  'kbExtractorCrashed',
  'kbExtractorOutOfMemory',
  'kbScannedPdf',
  'kbNoText',
  // A video job (the vendor's own words win when it gave any).
  'videoVendorFailed',
  'videoTaskEnded',
  'videoNoResult',
  'videoStoppedBeforeAnswer',
  'videoNoFinalAnswer',
  'videoInCloudStorage',
  'videoImageMissing',
  'videoImageTooBig',
  'videoImageNotImage',
  'videoImageSize',
  // Pasted MCP servers JSON (Settings → Tools → Import).
  'mcpNotJson',
  'mcpNoServers',
  'mcpEntryNotObject',
  'mcpEntryNeedsCommand',
  'mcpNameTaken',
  // An MCP server while it starts, lists its tools or runs one: values.server, and ms, status or detail.
  'mcpConnectTimeout',
  'mcpListTimeout',
  'mcpCallTimeout',
  'mcpStoppedStarting',
  'mcpConnectFailed',
  'mcpListFailed',
  'mcpCallFailed',
  'mcpLogin',
  'mcpRefused',
  'mcpHttpStatus',
  // Sync (issue 19): values.problem is a remote problem code, values.format the storage's format.
  'syncWrongPassphrase',
  'syncNewerFormat',
  'syncDamagedKeys',
  'syncNotSetUp',
  'syncNoPassphrase',
  'syncStorage',
  'syncSnapshotUnreadable',
  // Sync's media and the S3 storage's own answers: values.got and values.total in bytes.
  'syncMediaNotThere',
  'syncMediaTampered',
  'syncNoUploadId',
  'syncDownloadIncomplete',
] as const;

export const errorReasonCodes = [...hubReasonCodes, ...transcriptionReasonCodes] as const;
export type ErrorReasonCode = (typeof errorReasonCodes)[number];
export type HubReasonCode = (typeof hubReasonCodes)[number];

export const errorReasonSchema = z.object({
  code: z.enum(errorReasonCodes),
  values: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type ErrorReason = z.infer<typeof errorReasonSchema>;

/** What HubDesk was doing with the keychain when it failed (worded in `errors:keychainActions.<action>`). */
export const keychainActions = [
  'storeToken',
  'removeToken',
  'readToken',
  'reachKeychain',
  'storeProxyPassword',
  'removeProxyPassword',
  'readSecret',
  'storeSecret',
  'removeSecret',
] as const;
export type KeychainAction = (typeof keychainActions)[number];

/** The reason's code for an HTTP error status. */
export function statusReasonCode(status: number): HubReasonCode {
  const own = `http${status}`;
  const known = hubReasonCodes.find((code) => code === own);
  if (known) return known;
  if (status >= 500) return 'httpServer';
  if (status >= 400) return 'httpClient';
  return 'httpOther';
}

const isTranscriptionCode = (code: string): boolean =>
  (transcriptionReasonCodes as readonly string[]).includes(code);

/** The i18n key a reason is worded by. */
export function reasonKey(reason: ErrorReason): string {
  return isTranscriptionCode(reason.code)
    ? `transcribe:reasons.${reason.code}`
    : `errors:reasons.${reason.code}`;
}

/** Values that are codes themselves, worded before they go into the sentence (a system error code, an action). */
const wordedValues: Record<string, string> = {
  cause: 'errors:causes',
  action: 'errors:keychainActions',
  content: 'transcribe:reasons.content',
};

/** The part of an i18next instance that wording a reason needs (the window's, or main's for OS notifications). */
export interface Translator {
  exists(key: string): boolean;
  t(key: string, options: Record<string, unknown>): string;
}

/**
 * A reason in the translator's language; `fallback` (main's English) for a reason it does not know (a newer
 * main, an old stored row) or none.
 */
export function wordReason(reason: unknown, fallback: string, translator: Translator): string {
  const known = errorReasonSchema.safeParse(reason);
  if (!known.success) return fallback;
  const key = reasonKey(known.data);
  if (!translator.exists(key)) return fallback;
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(known.data.values)) {
    const words = wordedValues[name] ? `${wordedValues[name]}.${value}` : undefined;
    values[name] = words && translator.exists(words) ? translator.t(words, {}) : value;
  }
  return translator.t(key, values);
}

const storedErrorSchema = z.object({ message: z.string(), reason: errorReasonSchema.optional() });

/**
 * An error kept in a text column (a knowledge file's): JSON of the English message and its reason, so the window can
 * word it. Rows written before reasons existed hold the message alone, and read back as it.
 */
export function encodeStoredError(message: string, reason?: ErrorReason): string {
  return JSON.stringify(reason ? { message, reason } : { message });
}

export function decodeStoredError(text: string): { message: string; reason?: ErrorReason } {
  if (text.startsWith('{')) {
    try {
      const parsed = storedErrorSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // Not JSON after all: an old row's message that begins with a brace.
    }
  }
  return { message: text };
}
