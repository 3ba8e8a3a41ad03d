import { rm } from 'node:fs/promises';
import { type VideoDeleteScope, type VideoJob, videoVendorLabels } from '../../../shared/videos/job';
import { soraDelete } from '../../api/video/sora';
import { HubError, toAppError } from '../../base/errors';
import { resolveInside } from '../../files/library';
import { publicJob, type VideoPatch } from '../../store/videos-repo';
import { OPEN_STATUSES, type VideoContext } from './context';
import type { VideoDownloads } from './download-queue';
import type { VideoPolling } from './polling';
import { moveToTrash, purgeTrash, restoreFromTrash } from './trash';

/** Deletes (local files to the trash, the vendor's copy on Sora), undo within the window, and the purge. */
export class VideoDeletes {
  constructor(
    private readonly context: VideoContext,
    private readonly polling: VideoPolling,
    private readonly downloads: VideoDownloads,
  ) {}

  async delete(id: string, scope: VideoDeleteScope): Promise<{ job: VideoJob; undoUntil: number | null }> {
    const { context } = this;
    const { libraryDir } = context.deps;
    const record = context.record(id);
    if (record.deletedAt !== null) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'This video is already deleted.',
        reason: { code: 'videoAlreadyDeleted', values: {} },
      });
    }
    const remoteToo = scope === 'remote' || scope === 'both';
    if (scope === 'remote' && record.vendor !== 'sora') {
      const vendor = videoVendorLabels[record.vendor];
      throw new HubError({
        kind: 'invalid_input',
        message: `${vendor} videos cannot be deleted on the vendor's side.`,
        reason: { code: 'videoNoRemoteDelete', values: { vendor } },
      });
    }
    if (remoteToo && record.vendor === 'sora' && record.remoteId && !record.remoteDeleted) {
      try {
        await soraDelete(context.deps.client(), record.remoteId);
      } catch (error) {
        if (toAppError(error).kind !== 'not_found') throw error;
      }
      this.polling.cancel(id);
      if (scope === 'remote') {
        return { job: publicJob(context.save(id, { remoteDeleted: true })), undoUntil: null };
      }
    }
    if (scope === 'local' && !record.localFile && !record.thumbnail && record.download !== 'downloading') {
      throw new HubError({
        kind: 'invalid_input',
        message: 'This video has no local file to delete.',
        reason: { code: 'videoNoLocalFile', values: {} },
      });
    }
    await this.downloads.stop(id);
    const files = [record.localFile, record.thumbnail].filter((file): file is string => file !== null);
    const at = context.now();
    const moved = await moveToTrash(libraryDir, files, `${id}-${at}`);
    const trash = {
      at,
      scope: scope === 'local' ? ('local' as const) : ('both' as const),
      files: moved,
      localFile: record.localFile,
      thumbnail: record.thumbnail,
      fileSize: record.fileSize,
    };
    try {
      const patch: VideoPatch =
        scope === 'local'
          ? { trash, localFile: null, thumbnail: null, fileSize: null, download: 'none', downloadedBytes: 0 }
          : {
              trash,
              deletedAt: at,
              ...(record.vendor === 'sora' && record.remoteId ? { remoteDeleted: true } : {}),
            };
      if (scope !== 'local') this.polling.cancel(id);
      const saved = context.save(id, patch);
      return { job: publicJob(saved), undoUntil: at + context.timing.trashKeepMs };
    } catch (error) {
      await restoreFromTrash(libraryDir, moved);
      throw error;
    }
  }

  async undo(id: string): Promise<VideoJob> {
    const { context } = this;
    const { libraryDir } = context.deps;
    const record = context.record(id);
    const trash = record.trash;
    if (!trash) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'There is nothing to undo for this video.',
        reason: { code: 'videoNothingToUndo', values: {} },
      });
    }
    await restoreFromTrash(libraryDir, trash.files);
    const restored = context.save(id, {
      trash: null,
      deletedAt: null,
      localFile: trash.localFile,
      thumbnail: trash.thumbnail,
      fileSize: trash.fileSize,
      ...(trash.localFile ? { download: 'done' as const, downloadedBytes: trash.fileSize ?? 0 } : {}),
    });
    await rm(resolveInside(libraryDir, `.trash/${id}-${trash.at}`) ?? '', {
      recursive: true,
      force: true,
    }).catch(() => undefined);
    if (OPEN_STATUSES.includes(restored.status)) this.polling.schedule(id, 0);
    return publicJob(restored);
  }

  /** At start-up: what stayed in the trash longer than the undo window goes for good. */
  async purgeOld(): Promise<void> {
    const { context } = this;
    for (const record of context.repo.trashedBefore(context.now() - context.timing.trashKeepMs)) {
      const trash = record.trash;
      if (!trash) continue;
      try {
        await purgeTrash(context.deps.libraryDir, trash.files);
      } catch (error) {
        context.deps.log?.(`video ${record.id}: trash not purged: ${toAppError(error).message}`);
        continue;
      }
      if (trash.scope === 'both') context.repo.remove(record.id);
      else context.save(record.id, { trash: null });
    }
  }
}
