import { useTranslation } from 'react-i18next';
import { videoJobCost, videoResolutionOf, videoSecondsOf } from '../../../shared/costs';
import type { VideoJob, VideoVendor } from '../../../shared/videos/job';
import { costText, usePriceBook } from '../prices';

/** The create dialog's estimate: seconds × the price of the vendor, model and resolution chosen, as they change. */
export function VideoEstimate({
  vendor,
  model,
  values,
}: {
  vendor: VideoVendor;
  model: string;
  values: Record<string, unknown>;
}) {
  const { t } = useTranslation('videos');
  const prices = usePriceBook();
  const seconds = videoSecondsOf(vendor, values);
  const cost = prices ? videoJobCost(prices, vendor, model, values) : null;
  return (
    <p className="video-estimate" aria-live="polite" data-testid="video-estimate">
      {cost === null
        ? t('cost.estimateNoPrice', { model, resolution: videoResolutionOf(vendor, values) || '—' })
        : t('cost.estimate', { cost: costText(cost), seconds })}
    </p>
  );
}

/** A video's cost at the prices in force; null when its model has no price. */
export function useVideoCost(job: Pick<VideoJob, 'vendor' | 'model' | 'params'>): string | null {
  const prices = usePriceBook();
  const cost = prices ? videoJobCost(prices, job.vendor, job.model, job.params) : null;
  return cost === null ? null : costText(cost);
}

/** The card's cost: shown for a finished video whose model has a price. */
export function TileCost({ job }: { job: VideoJob }) {
  const cost = useVideoCost(job);
  return job.status === 'succeeded' && cost !== null ? (
    <>
      {' · '}
      <span className="video-tile-cost" data-testid="video-tile-cost">
        {cost}
      </span>
    </>
  ) : null;
}
