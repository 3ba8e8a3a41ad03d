import type { desktopChannels } from '../../shared/desktop';
import type { DesktopService } from '../services/desktop/desktop-service';
import type { HandlersOf } from './router';

export function desktopHandlers(service: DesktopService): HandlersOf<keyof typeof desktopChannels> {
  return {
    'usage.summary': (request) => service.usageSummary(request),
    'data.location': () => service.location(),
    'data.updateNotice': () => service.updateNotice(),
    'data.dismissUpdateNotice': () => service.dismissUpdateNotice(),
    'data.move': ({ target }) => service.move(target),
    'data.backup': ({ target, overwrite }) => service.backup(target, { overwrite: overwrite === true }),
    'data.restore': ({ source }) => service.restore(source),
  };
}
