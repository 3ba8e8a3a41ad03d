/**
 * What passes between the test and the built main bundle running under the `electron` stand-in
 * (test/shell/electron-stand-in.ts). Types only: the stand-in imports this file with `import type`, so Node's
 * type stripping erases the import and nothing else is loaded into the child.
 *
 * Test → child: commands over the fork IPC channel. Child → test: one JSON line per message on fd 4, written
 * synchronously, so every call the shell made is on record even when it ends the process a moment later.
 */

/** One call the shell made into `electron` (or an event the stand-in emitted, api `event:<name>`). */
export interface CallRecord {
  type: 'call';
  seq: number;
  api: string;
  args: unknown[];
}

export type ShellReply = { type: 'reply'; id: number } & (
  | { ok: true; value: unknown }
  | { ok: false; error: string }
);

export type ChildMessage = CallRecord | ShellReply;

/** What the `app://` handler answered, as plain data. */
export interface AppResponse {
  status: number;
  headers: [string, string][];
  /** Base64; null for a body-less answer. */
  body: string | null;
}

/** A sender frame as Electron's WebFrameMain shows it to an ipcMain handler; null: the frame is gone. */
export type SenderFrame = { url: string } | null;

export type ShellCommand =
  /** Answers once everything the child did before it is on record (the records share the reply's pipe). */
  | { cmd: 'ping' }
  | { cmd: 'invoke'; channel: string; request: unknown; frame: SenderFrame }
  | { cmd: 'protocol'; url: string; method?: string; headers?: Record<string, string> }
  /** Clicks an item of the application menu, found by its labels from the menu bar down. */
  | { cmd: 'menu-click'; path: string[] }
  | { cmd: 'navigate'; url: string }
  | { cmd: 'open-window'; url: string }
  | { cmd: 'attach-webview' }
  | { cmd: 'permission'; permission: string }
  /** What Chromium asks synchronously before using a permission (navigator.permissions, clipboard checks). */
  | { cmd: 'permission-check'; permission: string }
  | { cmd: 'close-window' }
  | { cmd: 'app-event'; name: 'activate' | 'second-instance' }
  /** What Cmd+Q, the Quit menu role or the OS's log-out does: app.quit(). */
  | { cmd: 'quit' };
