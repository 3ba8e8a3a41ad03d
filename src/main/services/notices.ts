import { createInstance } from 'i18next';
import { type ErrorReason, wordReason } from '../../shared/error-reasons';
import { DEFAULT_LANGUAGE, type Language, languages } from '../../shared/i18n';
import { resources } from '../../shared/locales';

/** What a service tells the user when work ends while they look elsewhere; the core words it in the UI language. */
export type Notice =
  | { kind: 'video-ready'; vendor: string; prompt: string }
  | {
      kind: 'video-ended';
      vendor: string;
      status: 'failed' | 'cancelled' | 'expired' | 'unknown';
      prompt: string;
      error?: string;
      reason?: ErrorReason;
    }
  | { kind: 'video-not-saved'; vendor: string; prompt: string; error: string; reason?: ErrorReason }
  | { kind: 'video-refused'; error: string; reason?: ErrorReason }
  | { kind: 'transcript-ready'; fileName: string }
  | { kind: 'transcript-failed'; fileName: string; error: string; reason?: ErrorReason };

export interface NoticeText {
  title: string;
  body: string;
}

const i18n = createInstance();
void i18n.init({
  resources: Object.fromEntries(
    languages.map((language) => [
      language,
      {
        notifications: resources[language].notifications,
        // An error's reason is worded as the window words it.
        errors: resources[language].errors,
        transcribe: resources[language].transcribe,
      },
    ]),
  ),
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: 'notifications',
  interpolation: { escapeValue: false },
  initAsync: false,
});

function shortPrompt(prompt: string): string {
  return prompt.length > 80 ? `${prompt.slice(0, 77)}…` : prompt;
}

/** The notice as an OS notification's title and body, in `language`. */
export function noticeText(notice: Notice, language: Language): NoticeText {
  const t = i18n.getFixedT(language);
  const said = (error: string, reason: ErrorReason | undefined) =>
    wordReason(reason, error, {
      exists: (key) => i18n.exists(key, { lng: language }),
      t: (key, options) => t(key, options),
    });
  switch (notice.kind) {
    case 'video-ready':
      return {
        title: t('videoReady.title', { vendor: notice.vendor }),
        body: shortPrompt(notice.prompt),
      };
    case 'video-ended':
      return {
        title: t(`videoEnded.${notice.status}`, { vendor: notice.vendor }),
        body: notice.error
          ? t('withError', { text: shortPrompt(notice.prompt), error: said(notice.error, notice.reason) })
          : shortPrompt(notice.prompt),
      };
    case 'video-not-saved':
      return {
        title: t('videoNotSaved.title', { vendor: notice.vendor }),
        body: t('withError', { text: shortPrompt(notice.prompt), error: said(notice.error, notice.reason) }),
      };
    case 'video-refused':
      return { title: t('videoRefused.title'), body: said(notice.error, notice.reason) };
    case 'transcript-ready':
      return { title: t('transcriptReady.title'), body: notice.fileName };
    case 'transcript-failed':
      return {
        title: t('transcriptFailed.title'),
        body: t('withError', { text: notice.fileName, error: said(notice.error, notice.reason) }),
      };
  }
}
