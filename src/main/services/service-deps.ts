import type { HttpClient } from '../api/http-client';
import type { Db } from '../store/database';
import type { EventBus } from './event-bus';

/** What a capability's service gets from the core: plain values, no Electron. */
export interface ServiceDeps {
  db: Db;
  bus: EventBus;
  /** Files the app keeps (videos, thumbnails, audio copies); the database holds paths relative to it. */
  libraryDir: string;
  /** The HTTP client of the active profile. */
  client: () => HttpClient;
  log?: (line: string) => void;
  /** An OS notification (the shell shows it; headless runs ignore it). */
  notify?: (notification: { title: string; body: string }) => void;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}
