import { soraContentCall } from '../../api/video/sora';
import { extractFrame } from '../../files/ffmpeg';
import { resolveInside } from '../../files/library';
import type { VideoRecord } from '../../store/videos-repo';
import { libraryUnusable, VIDEO_FOLDER, type VideoContext } from './context';
import { downloadToPart } from './download';
import { renameWithRetry } from './trash';

/** The vendor's thumbnail where one exists (Sora), else a frame of the downloaded file. */
export async function makeThumbnail(
  context: VideoContext,
  record: VideoRecord,
  videoPath: string,
): Promise<string> {
  const { deps, lifetime } = context;
  if (record.vendor === 'sora' && record.remoteId && record.result?.type === 'sora') {
    try {
      const response = await deps
        .client()
        .download(soraContentCall(record.remoteId, 'thumbnail'), { signal: lifetime.signal });
      const type = (response.headers['content-type'] ?? '').toLowerCase();
      const extension = type.includes('webp')
        ? 'webp'
        : type.includes('png')
          ? 'png'
          : type.includes('jpeg')
            ? 'jpg'
            : null;
      if (extension) {
        const relative = `${VIDEO_FOLDER}/${record.id}.thumb.${extension}`;
        const target = resolveInside(deps.libraryDir, relative);
        if (target) {
          const part = `${target}.part`;
          await downloadToPart({
            open: async () => response,
            partPath: part,
            signal: lifetime.signal,
            onProgress: () => {},
          });
          await renameWithRetry(part, target);
          return relative;
        }
      }
      for await (const _chunk of response.body) {
        // not an image: discard and fall back to a frame
      }
    } catch (error) {
      if (context.closed) throw error;
    }
  }
  const relative = `${VIDEO_FOLDER}/${record.id}.thumb.jpg`;
  const target = resolveInside(deps.libraryDir, relative);
  if (!target) throw libraryUnusable();
  await extractFrame(videoPath, target);
  return relative;
}
