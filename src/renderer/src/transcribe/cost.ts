import i18next from 'i18next';
import { audioCost } from '../../../shared/costs';
import { costText, usePriceBook } from '../prices';

/** A transcript's cost at the price of its model ("no price set" without one); null while the length is unknown. */
export function useAudioCost(model: string | undefined, seconds: number | null | undefined): string | null {
  const prices = usePriceBook();
  if (model === undefined || seconds === null || seconds === undefined || !prices) return null;
  const cost = audioCost(prices.audio(model), seconds);
  return cost === null
    ? i18next.t('transcribe:cost.noPrice')
    : i18next.t('transcribe:cost.value', { cost: costText(cost) });
}
