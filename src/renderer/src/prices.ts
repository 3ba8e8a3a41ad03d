/**
 * The prices in force, shared by every screen that shows a cost (reply meta lines, transcripts, videos, the video
 * estimate): fetched once, kept current by `prices.changed`.
 */
import { useSyncExternalStore } from 'react';
import { formatUsd, PriceBook } from '../../shared/costs';
import type { PricesState } from '../../shared/costs-channels';
import { call, subscribe } from './hub';
import { currentLanguage } from './i18n';

let book: PriceBook | null = null;
let started = false;
const listeners = new Set<() => void>();

function publish(state: PricesState): void {
  book = new PriceBook(state.rows.flatMap((row) => (row.price ? [row.price] : [])));
  for (const listener of listeners) listener();
}

function start(): void {
  if (started) return;
  started = true;
  subscribe('prices.changed', publish);
  call('prices.list', {}).then(publish, () => {
    // Without the table no cost is shown; the next `prices.changed` fills it.
  });
}

function listen(listener: () => void): () => void {
  start();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The prices in force; null until they have arrived. */
export function usePriceBook(): PriceBook | null {
  return useSyncExternalStore(
    listen,
    () => book,
    () => book,
  );
}

/** A cost in US dollars, in the UI language's currency format. */
export function costText(amount: number): string {
  return formatUsd(amount, currentLanguage());
}
