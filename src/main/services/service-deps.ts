import type { HttpClient } from '../api/http-client';
import type { EventBus } from './event-bus';
import type { Notice } from './notices';

/** What a capability's service gets from the core besides its repositories: plain values, no Electron. */
export interface ServiceDeps {
  bus: EventBus;
  /** Files the app keeps (videos, thumbnails, audio copies); the database holds paths relative to it. */
  libraryDir: string;
  /** The HTTP client of the active profile. */
  client: () => HttpClient;
  log?: (line: string) => void;
  /** Tells the user that work ended (the core words it in the UI language and the shell shows it). */
  notify?: (notice: Notice) => void;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}
