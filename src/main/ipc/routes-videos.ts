import type { videoChannels } from '../../shared/videos/channels';
import { videoFileName } from '../../shared/videos/reuse';
import type { VideoService } from '../services/videos/video-service';
import type { HandlersOf } from './router';

/** What the OS shell offers for a downloaded video; each part absent where there is no shell (the browser harness). */
export interface VideoFileShell {
  /** The OS save dialog, opened on `defaultName`; null when cancelled. */
  saveDialog?: (defaultName: string) => Promise<string | null>;
  showItemInFolder?: (path: string) => void;
}

export function videoHandlers(
  service: VideoService,
  shell: VideoFileShell = {},
): HandlersOf<keyof typeof videoChannels> {
  return {
    'videos.create': (request) => service.create(request),
    'videos.list': (request) => service.list(request),
    'videos.get': ({ id }) => service.get(id),
    'videos.lineage': ({ id }) => service.lineage(id),
    'videos.refresh': ({ id }) => service.refresh(id),
    'videos.retryCreate': ({ id }) => service.retryCreate(id),
    'videos.recreate': ({ id }) => service.recreate(id),
    'videos.reuseImages': ({ id }) => service.reuseImages(id),
    'videos.fileShell': () => ({
      saveDialog: shell.saveDialog !== undefined,
      showInFolder: shell.showItemInFolder !== undefined,
    }),
    'videos.saveAs': async ({ id }) => {
      service.filePath(id);
      const target = shell.saveDialog ? await shell.saveDialog(videoFileName(service.get(id))) : null;
      if (target) await service.saveCopy(id, target);
      return { path: target };
    },
    'videos.showInFolder': ({ id }) => {
      if (!shell.showItemInFolder) return { shown: false };
      shell.showItemInFolder(service.filePath(id));
      return { shown: true };
    },
    'videos.download': ({ id }) => service.download(id),
    'videos.remix': ({ id, prompt }) => service.remix(id, prompt),
    'videos.delete': ({ id, scope }) => service.delete(id, scope),
    'videos.undoDelete': ({ id }) => service.undoDelete(id),
    'videos.sync': () => service.sync(),
    'videos.vendors': () => service.vendors(),
  };
}
