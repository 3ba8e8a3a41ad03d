import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Core, type CoreOptions, createCore } from '../../src/main/core';
import { startWsTransport, type WsTransport } from '../../src/main/ipc/ws-transport';
import type { KeytarLike } from '../../src/main/secrets/token-store';
import type { OpenableSource } from '../../src/shared/chat-knowledge';
import { type FakeProxy, startFakeProxy } from '../fake-proxy/index';

/** The built renderer (`npm run build:web`); HUBDESK_WEB_ROOT points elsewhere, e.g. a build of one's own. */
export const webRoot = process.env.HUBDESK_WEB_ROOT ?? join(import.meta.dirname, '../../out/web');

export interface Stack {
  proxy: FakeProxy;
  core: Core;
  transport: WsTransport;
  dataDir: string;
  close(): Promise<void>;
}

/** What a test may change about the stack: the OS parts it plays, the language, the proxy's speed. */
export interface StackOptions {
  keytar?: KeytarLike | (() => Promise<KeytarLike>);
  keychainService?: string;
  dataDir?: string;
  speed?: number;
  log?: (line: string) => void;
  /** The OS's preferred languages the app sees; default English. */
  systemLanguages?: readonly string[];
  /** Main's OS browser for confirmed links; without one the page opens them itself (the browser harness). */
  openExternal?: (url: string) => void;
  /** Main's OS shell for a reply's source file (a test records what it was asked to open). */
  openSource?: (source: OpenableSource) => void;
  /** The environment main sees (PATH, where code editors are looked for); default empty. */
  env?: NodeJS.ProcessEnv;
  /** Main's OS browser for an MCP server's OAuth sign-in page (a test plays the browser). */
  openAuthorizationUrl?: (url: string) => void;
  /** The OS's open dialog (a test plays the person picking); without one the page asks for typed paths. */
  openPathsDialog?: CoreOptions['openPathsDialog'];
  /** The OS's save dialog and file manager for videos (a test plays them); without them the page downloads. */
  videoFileShell?: CoreOptions['videoFileShell'];
  /** New conversations named by the (fake) model after the first reply, as in the app; default off. */
  modelTitles?: boolean;
  /** Sync in the background once set up, as the app does (demo:web); default off, so tests sync when they say. */
  syncInBackground?: boolean;
  /** Notice the CLI's (another process's) writes to the data folder, as the app does; default off. */
  followOutsideChanges?: boolean;
}

/**
 * The real main-process services (real SQLite in a data folder, the HTTP core) behind the WebSocket test
 * transport, with the fake proxy as the network. Used by the e2e tests and `npm run demo:web`.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'hubdesk-stack-')));
  const proxy = await startFakeProxy({ speed: options.speed ?? 50 });
  const core = createCore({
    dataDir,
    env: options.env ?? {},
    ...(options.keytar ? { keytar: options.keytar } : {}),
    keychainService: options.keychainService ?? `HubDesk-test-${process.pid}`,
    systemLanguages: () => options.systemLanguages ?? ['en-US'],
    videoTiming: { firstPollMs: 150, maxPollMs: 600, downloadRetryMs: 150 },
    ...(options.log ? { log: options.log } : {}),
    ...(options.openExternal ? { openExternal: options.openExternal } : {}),
    ...(options.openSource ? { openSource: options.openSource } : {}),
    ...(options.openAuthorizationUrl ? { openAuthorizationUrl: options.openAuthorizationUrl } : {}),
    ...(options.openPathsDialog ? { openPathsDialog: options.openPathsDialog } : {}),
    ...(options.videoFileShell ? { videoFileShell: options.videoFileShell } : {}),
    ...(options.modelTitles ? { modelTitles: true } : {}),
    ...(options.syncInBackground ? { syncInBackground: true } : {}),
    ...(options.followOutsideChanges ? { followOutsideChanges: true } : {}),
  });
  const active = core.settings.activeProfile();
  core.settings.updateProfile(active.id, { baseUrl: proxy.url });
  const transport = await startWsTransport({
    router: core.router,
    bus: core.bus,
    staticDir: webRoot,
    libraryDir: core.paths.libraryDir,
    transcriptAudio: (id) => core.transcription.audioFileOf(id),
    uploadDir: join(dataDir, 'harness-uploads'),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    proxy,
    core,
    transport,
    dataDir,
    async close() {
      await transport.close();
      await core.close();
      await proxy.close();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
