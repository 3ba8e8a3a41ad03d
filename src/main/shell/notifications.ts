/**
 * OS notifications for work that finishes while the user looks elsewhere (a video job, a transcript).
 * Pure: the shell supplies the Electron parts through `NotificationHost`.
 */

/**
 * The app's id: electron-builder's `appId`, and on Windows the AppUserModelID its installer gives the Start menu
 * shortcut. Windows shows a notification only for an app whose id matches that shortcut.
 */
export const APP_ID = 'io.tikhub.hubdesk';

export interface AppNotification {
  title: string;
  body: string;
}

export interface NotificationHost {
  /** Whether one of the app's windows has the keyboard focus. */
  isAppFocused(): boolean;
  /**
   * Shows one OS notification and returns it; `onClick` runs when the user clicks it, `onGone` when it is clicked
   * or dismissed.
   */
  show(notification: AppNotification, events: { onClick(): void; onGone(): void }): object;
  /** Brings the app's window to the front, opening one if none is left (macOS keeps running without). */
  focusApp(): void;
}

/** The `notify` the core's services call: silent while the user is in the app, else an OS notification. */
export function createNotify(host: NotificationHost): (notification: AppNotification) => void {
  // A notification nothing references can be garbage-collected while on screen, and its click is then lost.
  const onScreen = new Set<object>();
  return (notification) => {
    if (host.isAppFocused()) return;
    let shown: object | undefined;
    const forget = () => {
      if (shown) onScreen.delete(shown);
    };
    shown = host.show(notification, {
      onClick: () => {
        forget();
        host.focusApp();
      },
      onGone: forget,
    });
    onScreen.add(shown);
  };
}
