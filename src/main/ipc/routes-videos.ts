import type { videoChannels } from '../../shared/videos/channels';
import type { VideoService } from '../services/videos/video-service';
import type { HandlersOf } from './router';

export function videoHandlers(service: VideoService): HandlersOf<keyof typeof videoChannels> {
  return {
    'videos.create': (request) => service.create(request),
    'videos.list': (request) => service.list(request),
    'videos.get': ({ id }) => service.get(id),
    'videos.lineage': ({ id }) => service.lineage(id),
    'videos.refresh': ({ id }) => service.refresh(id),
    'videos.retryCreate': ({ id }) => service.retryCreate(id),
    'videos.download': ({ id }) => service.download(id),
    'videos.remix': ({ id, prompt }) => service.remix(id, prompt),
    'videos.delete': ({ id, scope }) => service.delete(id, scope),
    'videos.undoDelete': ({ id }) => service.undoDelete(id),
    'videos.sync': () => service.sync(),
    'videos.vendors': () => service.vendors(),
  };
}
