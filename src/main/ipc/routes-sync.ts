import type { syncChannels } from '../../shared/sync';
import type { SyncService } from '../services/sync/sync-service';
import type { HandlersOf } from './router';

export function syncHandlers(sync: SyncService): HandlersOf<keyof typeof syncChannels> {
  return {
    'sync.status': () => sync.status(),
    'sync.test': (request) => sync.test(request.target, request.secret),
    'sync.setup': async (request) => {
      await sync.setup(request.target, request.secret, request.passphrase);
      if (request.media) sync.setMediaMode(request.media);
      // The first sync starts at once; the window follows it through sync.changed and sync.progress.
      void sync.now().catch(() => undefined);
      return sync.status();
    },
    'sync.now': () => sync.now(),
    'sync.pause': (request) => sync.setPaused(request.paused),
    'sync.setMedia': (request) => sync.setMediaMode(request.mode),
    'sync.waitingMedia': (request) => sync.waitingMedia(request.owner),
    'sync.fetchMedia': async (request) => ({ placed: await sync.fetchMedia(request.sha256) }),
    'sync.off': () => sync.off(),
  };
}
