import { basename } from 'node:path';
import type { ReusedImage } from '../../../shared/videos/channels';
import type { VideoJob } from '../../../shared/videos/job';
import { readVideoImage } from './image-input';

/** The first frame and end frame a job was made from, read again where they were chosen; the rest named as missing. */
export async function reuseImages(
  job: Pick<VideoJob, 'params'>,
): Promise<{ image: ReusedImage | null; imageTail: ReusedImage | null; missing: string[] }> {
  const missing: string[] = [];
  const read = async (field: 'imagePath' | 'imageTailPath'): Promise<ReusedImage | null> => {
    const path = job.params[field];
    if (typeof path !== 'string' || path === '') return null;
    try {
      const image = await readVideoImage(path, field);
      return { name: image.name, path, mimeType: image.mimeType, dataBase64: image.bytes.toString('base64') };
    } catch {
      missing.push(basename(path));
      return null;
    }
  };
  const image = await read('imagePath');
  const imageTail = await read('imageTailPath');
  return { image, imageTail, missing };
}
