import type { desktopChannels } from '../../shared/desktop';
import type { DesktopService } from '../services/desktop/desktop-service';
import type { HandlersOf } from './router';

export function desktopHandlers(_service: DesktopService): HandlersOf<keyof typeof desktopChannels> {
  return {};
}
