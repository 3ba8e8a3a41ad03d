import i18next from 'i18next';
import { audioCost } from '../../../shared/costs';
import { costText, usePriceBook } from '../prices';

/**
 * A transcript's cost at the price of its model; without one "no price set", or null where `unpriced` is `hide`
 * (the job list, as a video card shows no cost without a price). Null while the length is unknown.
 */
export function useAudioCost(
  model: string | undefined,
  seconds: number | null | undefined,
  unpriced: 'say' | 'hide' = 'say',
): string | null {
  const prices = usePriceBook();
  if (model === undefined || seconds === null || seconds === undefined || !prices) return null;
  const cost = audioCost(prices.audio(model), seconds);
  if (cost === null) return unpriced === 'say' ? i18next.t('transcribe:cost.noPrice') : null;
  return i18next.t('transcribe:cost.value', { cost: costText(cost) });
}
