import i18next from 'i18next';
import { UNTITLED_CONVERSATION } from '../../../shared/chat';
import { formatBytes as formatSize } from '../../../shared/sizes';
import { currentLanguage } from '../i18n';

/** Formatters by language: made once each, since the meta line and the lists format many numbers and dates. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

export function numberFormat(key: string, options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  const language = currentLanguage();
  const id = `n:${key}:${language}`;
  let format = formatters.get(id) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(language, options);
    formatters.set(id, format);
  }
  return format;
}

function dateFormat(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const language = currentLanguage();
  const id = `d:${key}:${language}`;
  let format = formatters.get(id) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(language, options);
    formatters.set(id, format);
  }
  return format;
}

/** "14:05" today, "Mar 3" this year, "Mar 3, 2024" before (in the UI language). */
export function shortDate(at: number, now = Date.now()): string {
  const date = new Date(at);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return dateFormat('time', { hour: '2-digit', minute: '2-digit' }).format(date);
  }
  if (date.getFullYear() === today.getFullYear()) {
    return dateFormat('day', { month: 'short', day: 'numeric' }).format(date);
  }
  return dateFormat('year', { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

export function fullDate(at: number): string {
  return new Date(at).toLocaleString(currentLanguage());
}

/** A conversation's title as shown: the untitled one in the UI language. */
export function conversationTitle(title: string): string {
  return title === UNTITLED_CONVERSATION ? i18next.t('chat:list.untitled') : title;
}

const two = (value: number) => String(value).padStart(2, '0');

/** A position in audio or video as `mm:ss`, or `hh:mm:ss` from one hour on. Fractions are dropped, not rounded. */
export function formatClock(seconds: number): string {
  const whole = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  return hours > 0 ? `${two(hours)}:${two(minutes)}:${two(rest)}` : `${two(minutes)}:${two(rest)}`;
}

/** A byte size with the decimal mark of the UI language: "812.4 KB", "25 MB" (src/shared/sizes.ts). */
export function formatBytes(bytes: number): string {
  return formatSize(bytes, { language: currentLanguage() });
}
