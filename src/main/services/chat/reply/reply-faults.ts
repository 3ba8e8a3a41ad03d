import type { AppError } from '../../../../shared/errors';

/** Text, reasoning and tool-call arguments of one reply, in characters: a provider that streams forever stops here. */
export const REPLY_TEXT_LIMIT = 4 * 1024 * 1024;

/** SQLite result codes that mean the disk (or the quota on it) is full. */
const diskFullCodes = new Set(['SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_SHORT_WRITE']);

function sqliteCodeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.length > 0 ? code : undefined;
}

/** Why a write of the reply failed, in words about this computer, not the proxy. */
function saveCause(error: unknown): { cause: string; code: string | undefined; full: boolean } {
  const code = sqliteCodeOf(error);
  const full = code !== undefined && diskFullCodes.has(code);
  const cause = full ? 'the disk is full' : `the database could not be written${code ? ` (${code})` : ''}`;
  return { cause, code, full };
}

// A reply too long is 'server': the provider misbehaves. The save errors are the database's.
/** A save of the growing reply failed: the reply stops with what it has. */
export function replySaveError(error: unknown): AppError {
  const { cause, code, full } = saveCause(error);
  return {
    kind: 'database',
    message: `The reply was stopped because it could not be saved: ${cause}. Free some space, then try again.`,
    ...(code ? { code } : {}),
    reason: { code: full ? 'chatReplySaveFull' : 'chatReplySaveFailed', values: {} },
  };
}

/** The final save failed even when tried again: the window still gets the text, the history may not have it. */
export function replyUnsavedError(error: unknown): AppError {
  const { cause, code, full } = saveCause(error);
  return {
    kind: 'database',
    message: `The reply could not be saved: ${cause}. It is shown here, but the history may not have all of it.`,
    ...(code ? { code } : {}),
    reason: { code: full ? 'chatReplyUnsavedFull' : 'chatReplyUnsavedFailed', values: {} },
  };
}

export function replyTooLongError(limit: number): AppError {
  return {
    kind: 'server',
    code: 'reply_too_long',
    message: `The reply was stopped: it grew past ${limit.toLocaleString('en')} characters, more than a reply can hold. The provider may be repeating itself.`,
    reason: { code: 'chatReplyTooLong', values: { limit: limit.toLocaleString('en') } },
  };
}
