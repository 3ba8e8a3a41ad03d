import { BrowserWindow, ipcMain, type WebFrameMain } from 'electron';
import { channelNames } from '../../shared/contract';
import type { EventBus } from '../services/event-bus';
import type { Router } from './router';

/**
 * The contract over Electron IPC. Each contract channel gets one `ipcMain.handle`; a call from any frame other
 * than the app's own renderer is refused. Events go to every window's main frame.
 */
export function attachElectronIpc(
  router: Router,
  bus: EventBus,
  isTrustedFrame: (frame: WebFrameMain | null) => boolean,
): () => void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, request: unknown) => {
      if (!isTrustedFrame(event.senderFrame)) {
        return {
          ok: false,
          error: { kind: 'invalid_input', message: 'Calls are accepted only from HubDesk.' },
        };
      }
      return router.dispatch(channel, request);
    });
  }
  const unsubscribe = bus.subscribe((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(event, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const channel of channelNames) ipcMain.removeHandler(channel);
  };
}
