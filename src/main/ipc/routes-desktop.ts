import type { desktopChannels, dialogChannels, PathsDialogKind } from '../../shared/desktop';
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

/** The OS's open dialog, handed in by the shell; without one (the browser harness) nothing is picked. */
export function dialogHandlers(
  openPaths?: (kind: PathsDialogKind) => Promise<string[]>,
): HandlersOf<keyof typeof dialogChannels> {
  return {
    'dialog.available': () => ({ openPaths: openPaths !== undefined }),
    'dialog.openPaths': async (request) => ({ paths: openPaths ? await openPaths(request.kind) : [] }),
  };
}
