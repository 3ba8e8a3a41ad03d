import i18next from 'i18next';
import type { AppError } from '../../../shared/errors';
import {
  contentKinds,
  type TranscriptionError,
  transcriptionReasonSchema,
} from '../../../shared/transcription';
import { messageFor } from '../hub';

/**
 * A transcription error in the UI language: main sends its reason as a code and values (and says it in English for
 * the CLI); errors without a reason (the proxy's, the network's) are worded as every other error.
 */
export function wordedError(error: TranscriptionError): AppError {
  const reason = transcriptionReasonSchema.safeParse(error.reason);
  if (!reason.success) return error.reason ? { ...error, message: messageFor(error) } : error;
  const { code, values } = reason.data;
  const content = contentKinds.find((kind) => kind === values.content);
  const message = i18next.t(`transcribe:reasons.${code}`, {
    ...values,
    ...(content ? { content: i18next.t(`transcribe:reasons.content.${content}`) } : {}),
  });
  return { ...error, message };
}

/**
 * Whether trying the same file again can end differently: a refused file (not audio, unreadable, empty, too big
 * without ffmpeg) gives the same answer every time; a network or server failure, a cancel or a closed app may not.
 */
export function canRetryAfter(error: TranscriptionError | null): boolean {
  return error?.kind !== 'invalid_input';
}
