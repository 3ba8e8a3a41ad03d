/** What a job's stored parameters say about making it again, and the name its file is saved under. */
import type { VideoJob, VideoVendor } from './job';

/** Keys of a job's `params` that are the library's own (image names and paths, the remix source), not vendor options. */
export const libraryParamKeys: readonly string[] = [
  'image',
  'imageTail',
  'imagePath',
  'imageTailPath',
  'klingKind',
  'remixOf',
];

/** The vendor options of a job's `params`, as they were sent. */
export function vendorOptionsOf(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => !libraryParamKeys.includes(key)));
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Options that name one request (Kling's `externalTaskId` is unique per account): a new job leaves them out. */
const oneRequestOptions: readonly string[] = ['externalTaskId'];

/** The create request for a new job like this one: same vendor, model, prompt, options and images. */
export function createRequestOf(job: Pick<VideoJob, 'vendor' | 'model' | 'prompt' | 'params'>): {
  vendor: VideoVendor;
  model: string;
  prompt: string;
  options: Record<string, unknown>;
  imagePath?: string;
  imageTailPath?: string;
} {
  const imagePath = text(job.params.imagePath);
  const imageTailPath = text(job.params.imageTailPath);
  return {
    vendor: job.vendor,
    model: job.model,
    prompt: job.prompt,
    options: Object.fromEntries(
      Object.entries(vendorOptionsOf(job.params)).filter(([key]) => !oneRequestOptions.includes(key)),
    ),
    ...(imagePath ? { imagePath } : {}),
    ...(imageTailPath ? { imageTailPath } : {}),
  };
}

/** The vendor id of the video a Sora remix was made from, if the job is one. */
export function remixSourceOf(job: Pick<VideoJob, 'params'>): string | null {
  return text(job.params.remixOf) ?? null;
}

/** A file name for saving the video: vendor and the prompt's first words, safe on every OS. */
export function videoFileName(job: Pick<VideoJob, 'vendor' | 'prompt' | 'localFile'>): string {
  const extension = /\.[a-z0-9]{2,4}$/i.exec(job.localFile ?? '')?.[0] ?? '.mp4';
  const words = job.prompt
    .normalize('NFC')
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60)
    .replace(/[ .]+$/, '');
  return `${job.vendor}${words ? ` - ${words}` : ''}${extension}`;
}
