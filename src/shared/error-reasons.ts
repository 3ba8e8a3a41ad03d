// Past 400 lines: mostly the list of reason codes, one per line, grouped by area; the wording helpers follow.
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
  'ffmpegMissing',
  'libraryCannotHold',
  'jobGone',
  'transcriptGone',
  'alreadyTranscribed',
  'noSegment',
  'alternativeGone',
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
  'syncPassphraseMissing',
  'syncNotConnected',
  'syncStorage',
  'syncSnapshotUnreadable',
  // The proxy's client, the data folder, backups.
  'noToken',
  'baseUrlNotHttp',
  'pathModelMissing',
  'pathItemIdMissing',
  'downloadLinkInvalid',
  'downloadLinkExpired',
  'redirectLoop',
  'redirectNotHttp',
  'connectionClosed',
  'fileChangedWhileSending',
  'embeddingInputTooLong',
  'embeddingNoDimensions',
  'embeddingAnswerUnreadable',
  'tokenEmpty',
  'dataOperationRunning',
  'dataFolderBusy',
  'dataFolderNotMovable',
  'notEnoughSpace',
  'backupTargetInsideData',
  'backupTargetIsFolder',
  'backupTargetExists',
  'targetFolderMissing',
  'moveTargetOverlaps',
  'moveTargetIsFile',
  'moveTargetNotEmpty',
  'moveTargetNotWritable',
  'backupCutOff',
  'backupNotABackup',
  'backupContentsDamaged',
  'backupFileDamaged',
  'backupNoDatabase',
  'copyDoesNotOpen',
  'copyDamaged',
  'copyWrongSchema',
  'copyMissing',
  // Videos: creating, remixing, deleting, downloading.
  'videoRemixSoraOnly',
  'videoRemixNeedsFinished',
  'videoRetryNeedsEnded',
  'videoRetryNotValid',
  'videoResendNeedsNoAnswer',
  'videoClosing',
  'videoIdOfAnotherJob',
  'videoNoTaskId',
  'videoNoJob',
  'videoNotFinished',
  'videoLibraryUnusable',
  'videoNoVendorId',
  'videoSoraNoLink',
  'videoRangeMismatch',
  'videoDownloadStopped',
  'videoDownloadIncomplete',
  'videoEmpty',
  'videoNotDownloaded',
  'videoStoppedWaiting',
  'videoAlreadyDeleted',
  'videoNoRemoteDelete',
  'videoNoLocalFile',
  'videoNothingToUndo',
  'videoNotLibraryPath',
  'videoTrashFailed',
  'videoFileExistsAgain',
  // Tools: MCP servers' settings and sign-in.
  'mcpNoServer',
  'mcpServerExists',
  'mcpNoBuiltinTool',
  'mcpCallRunning',
  'mcpClosing',
  'mcpStopped',
  'mcpChatServerMissing',
  'toolCallCancelled',
  'mcpHeaderValueMissing',
  'mcpEnvValueMissing',
  'mcpHeaderNeedsValue',
  'mcpEnvNeedsValue',
  'mcpSignInOwnHeader',
  'mcpSignInStdio',
  'mcpSignInNoBrowser',
  'mcpNeedsSignIn',
  'mcpSignInRefused',
  'mcpSignInTimeout',
  'mcpSignInTimeoutMs',
  'mcpSignInCancelled',
  'mcpSignInFailed',
  'mcpCommandNotFound',
  'mcpCommandNotOnPath',
  'mcpProcessEnded',
  'mcpConnectionClosed',
  // The sync storage during a sync: values.cause a system error code, values.status an HTTP status.
  'syncUnreachable',
  'syncRefused',
  'syncMissing',
  'syncFull',
  'syncServerFailed',
  'syncRequestFailed',
  'syncIncomplete',
  'syncManifestUnreadable',
  // Chat, conversations, profiles, settings and search.
  'chatEmpty',
  'chatNoVision',
  'chatEditGone',
  'chatMessageGone',
  'chatNoPrompt',
  'chatNoSource',
  // Opening a reply's source or a search hit (values.path, values.editor).
  'sourceFileGone',
  'sourceEditorFailed',
  'sourceEditorNotStarted',
  'sourceOpenFailed',
  'sourceCommandNoFile',
  'sourceCommandQuote',
  'chatConversationGone',
  'chatStillReplying',
  'chatStreamGone',
  'chatReplySaveFull',
  'chatReplySaveFailed',
  'chatReplyUnsavedFull',
  'chatReplyUnsavedFailed',
  'chatReplyTooLong',
  'chatToolStepLimit',
  'chatBlocked',
  'chatImageMissing',
  'chatDocumentGone',
  'chatDocumentMissing',
  'chatApiNotServed',
  'chatParamRange',
  'chatParamTooMany',
  'chatThinkingBudget',
  'chatExportNotJson',
  'chatNotAnExport',
  'chatExportNewer',
  'chatExportDamaged',
  'messageGone',
  'profileGone',
  'profileLast',
  'profileTokenToNewOrigin',
  'indexStopped',
  'embeddingDimensions',
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

/**
 * Values that are codes themselves, worded before they go into the sentence: the key of their words (a system error
 * code, a keychain action, a sync storage's problem, a data-folder operation, a chat parameter).
 */
const wordedValues: Record<string, (value: string | number) => string> = {
  cause: (value) => `errors:causes.${value}`,
  action: (value) => `errors:keychainActions.${value}`,
  problem: (value) => `errors:syncProblems.${value}`,
  content: (value) => `transcribe:reasons.content.${value}`,
  operation: (value) => `errors:dataOperations.${value}`,
  param: (value) => `chat:params.${value}.label`,
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
    const words = wordedValues[name]?.(value);
    values[name] = words && translator.exists(words) ? translator.t(words, {}) : value;
  }
  const text = translator.t(key, values);
  const wait = known.data.values[RETRY_IN_SECONDS];
  return typeof wait === 'number'
    ? translator.t('errors:tryAgain.after', { text, next: tryAgainIn(wait, translator) })
    : text;
}

/** The value of a reason that names a wait the server asked for, which was not waited out: "Try again in 6 s." */
export const RETRY_IN_SECONDS = 'retryInSeconds';

function tryAgainIn(seconds: number, translator: Translator): string {
  return seconds < 120
    ? translator.t('errors:tryAgain.seconds', { seconds })
    : translator.t('errors:tryAgain.minutes', { minutes: Math.ceil(seconds / 60) });
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
