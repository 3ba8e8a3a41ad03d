import type { videoChannels } from '../../shared/videos';
import type { VideoService } from '../services/videos/video-service';
import type { HandlersOf } from './router';

export function videoHandlers(_service: VideoService): HandlersOf<keyof typeof videoChannels> {
  return {};
}
