import type { TFunction } from 'i18next';

/** A toast's words, made when it renders: a toast on screen follows a change of language. */
export type ToastWords = (t: TFunction<'videos'>) => string;
