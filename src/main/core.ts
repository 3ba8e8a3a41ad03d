// Past 400 lines: the composition root, where every repository, service and their wiring meet once.
import packageJson from '../../package.json';
import type { AppInfo } from '../shared/contract';
import type { PathsDialogKind } from '../shared/desktop';
import { type Clock, systemClock } from './base/clock';
import { createRouter, type Router } from './ipc/router';
import { createHandlers } from './ipc/routes';
import type { VideoFileShell } from './ipc/routes-videos';
import { type DataPaths, dataPaths } from './paths';
import { openRemote } from './remotes/open-remote';
import { McpEnvStore } from './secrets/mcp-env-store';
import { McpHeaderStore } from './secrets/mcp-header-store';
import { McpOAuthStore } from './secrets/mcp-oauth-store';
import { SyncSecretStore } from './secrets/sync-secret-store';
import { type KeytarLike, TokenStore } from './secrets/token-store';
import { AppearanceService } from './services/appearance-service';
import { ChatService } from './services/chat/chat-service';
import type { ChatKnowledge } from './services/chat/knowledge-context';
import { OutsideChanges } from './services/chat/outside-changes';
import { ModelTitlesSetting } from './services/chat/titles';
import { CostsService } from './services/costs/costs-service';
import { DesktopService } from './services/desktop/desktop-service';
import { recoverDataFolder } from './services/desktop/recovery';
import { DoctorService } from './services/doctor/doctor';
import { EventBus } from './services/event-bus';
import { KnowledgeSearch } from './services/knowledge/knowledge-search';
import { KnowledgeService } from './services/knowledge/knowledge-service';
import { LanguageService, nodeSystemLanguages } from './services/language-service';
import { type NoticeText, noticeText } from './services/notices';
import { SearchService } from './services/search/search-service';
import type { ServiceDeps } from './services/service-deps';
import { SettingsService } from './services/settings-service';
import { type OpenWithSystem, SourceOpeningService } from './services/source-opening/source-opening-service';
import { SpellcheckService } from './services/spellcheck-service';
import { SyncScheduler } from './services/sync/sync-scheduler';
import { type OpenRemote, SyncService } from './services/sync/sync-service';
import { builtinApprovalsIn } from './services/tools/builtin-approvals';
import { BuiltinToolProvider } from './services/tools/builtin-tools';
import { ToolRegistry } from './services/tools/tool-registry';
import { type McpOptions, ToolServersService } from './services/tools/tool-servers-service';
import { TranscriptionService } from './services/transcription/transcription-service';
import type { VideoTiming } from './services/videos/timing';
import { VideoService } from './services/videos/video-service';
import { ConversationMarksRepo } from './store/conversation-marks-repo';
import { ConversationsRepo } from './store/conversations-repo';
import { type DatabaseUpdate, type Db, openDatabase } from './store/database';
import { DatabaseCopies } from './store/database-copies';
import { DraftsRepo } from './store/drafts-repo';
import { KbVectorIndex } from './store/kb-vector-index';
import { KnowledgeRepo } from './store/knowledge-repo';
import { McpServersRepo } from './store/mcp-servers-repo';
import { MessagesRepo } from './store/messages-repo';
import { PricesRepo } from './store/prices-repo';
import { ProfilesRepo } from './store/profiles-repo';
import { SearchIndexRepo } from './store/search-index-repo';
import { SearchItemsRepo } from './store/search-items-repo';
import { SearchRepo } from './store/search-repo';
import { SegmentAlternativesRepo } from './store/segment-alternatives-repo';
import { SettingsRepo } from './store/settings-repo';
import { SyncRepo } from './store/sync-repo';
import { SyncRowsRepo } from './store/sync-rows-repo';
import { TranscriptionJobsRepo } from './store/transcription-jobs-repo';
import { TranscriptsRepo } from './store/transcripts-repo';
import { UsageRepo } from './store/usage-repo';
import { VectorIndex } from './store/vector-index';
import { VideosRepo } from './store/videos-repo';

export interface CoreOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Replace the system keychain (tests); default: keytar. */
  keytar?: KeytarLike | (() => Promise<KeytarLike>);
  /** Keychain service name; tests use a unique one so they never touch a user's entries. */
  keychainService?: string;
  log?: (line: string) => void;
  /** OS notifications, already worded in the UI language (the Electron shell passes one; headless runs have none). */
  notify?: (notification: NoticeText) => void;
  /** Faster video polling (tests, demos); the app's defaults poll every few seconds up to 30 s. */
  videoTiming?: Partial<VideoTiming>;
  /** The OS's preferred languages, most preferred first (Electron: app.getPreferredSystemLanguages()). */
  systemLanguages?: () => readonly string[];
  /** The clock of the HTTP clients' idle timeouts and deadlines (tests inject one). */
  clock?: Clock;
  /** The platform whose defaults apply (spellcheck); default process.platform. */
  platform?: NodeJS.Platform;
  /** Hands a link the user confirmed to the OS browser (the Electron shell passes one). */
  openExternal?: (url: string) => void;
  /**
   * Opens a source's file with the OS's default app, a PDF at its page (the Electron shell); resolves with the OS's
   * error text, empty when opened. A file with a line goes to the editor chosen in Settings instead.
   */
  openSource?: OpenWithSystem;
  /** Hands an MCP server's OAuth authorization URL to the OS browser (the Electron shell passes one). */
  openAuthorizationUrl?: (url: string) => void;
  /** The OS's open dialog for folders or files, resolving to the picked paths (the Electron shell passes one). */
  openPathsDialog?: (kind: PathsDialogKind) => Promise<string[]>;
  /** MCP servers: shorter timeouts, an injected login-shell PATH, a smaller result cap (tests). */
  mcp?: McpOptions;
  /** The OS's save dialog and file manager for a downloaded video (the Electron shell passes them). */
  videoFileShell?: VideoFileShell;
  /** Name new conversations by their model after the first reply (the window's hosts); the CLI keeps local titles. */
  modelTitles?: boolean;
  /** The sync storage of a target; default: remotes/open-remote.ts (WebDAV, S3, a folder). */
  openSyncRemote?: OpenRemote;
  /** Sync in the background (on change, on a schedule, after failures): the app's windows, not the CLI. */
  syncInBackground?: boolean;
  /**
   * Notice other processes' writes to the database (the CLI, a second HubDesk) and tell the windows which
   * conversations changed: the app's windows, not the CLI.
   */
  followOutsideChanges?: boolean;
  /** Rows per change set and the compaction threshold (tests make them small). */
  syncTuning?: { entriesPerChangeSet?: number; compactAfter?: number };
}

/** Everything main knows, with no Electron: the app shell, the CLI and the test harness all start here. */
export interface Core {
  paths: DataPaths;
  db: Db;
  /** When this start updated the database: the versions and where the copy taken before is. */
  databaseUpdate: DatabaseUpdate | null;
  bus: EventBus;
  profiles: ProfilesRepo;
  settingsRepo: SettingsRepo;
  tokens: TokenStore;
  settings: SettingsService;
  chat: ChatService;
  /** The tool providers chats may offer: HubDesk's own data is registered here, MCP servers are found by name. */
  toolRegistry: ToolRegistry;
  transcription: TranscriptionService;
  videos: VideoService;
  search: SearchService;
  /** HubDesk's own data as tools (server `hubdesk`), for the chat's tool loop. */
  builtinTools: BuiltinToolProvider;
  desktop: DesktopService;
  /** Start-up's move of proxy passwords an older HubDesk stored in the database to the keychain. */
  proxyCredentialsMoved: Promise<void>;
  language: LanguageService;
  spellcheck: SpellcheckService;
  appearance: AppearanceService;
  doctor: DoctorService;
  /** MCP servers; started lazily, all stopped by close. */
  tools: ToolServersService;
  /** Knowledge bases over the user's folders and files; a sync runs only when asked (the shell asks at start). */
  knowledge: KnowledgeService;
  /** Passages from knowledge bases (the CLI's `kb search`, chat retrieval, the "search my documents" tool). */
  knowledgeSearch: KnowledgeSearch;
  /** The price table and the costs it gives (issue 18). */
  costs: CostsService;
  /** Whether the model names new conversations (Settings → Chat). */
  modelTitles: ModelTitlesSetting;
  /** Sync through storage the user owns (issue 19): setup, now, status, off. */
  sync: SyncService;
  /** Which program opens a source at its line, and opening one (issue 17). */
  sourceOpening: SourceOpeningService;
  router: Router;
  appInfo(): AppInfo;
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  const env = options.env ?? process.env;
  const paths = dataPaths(options.dataDir, undefined, env);
  const updates: DatabaseUpdate[] = [];
  let db: Db;
  try {
    // A restore or move cut off by a crash is undone (or finished) before the database is read.
    recoverDataFolder(paths.dataDir, paths.databasePath, options.log);
    db = openDatabase(paths.databasePath, { onUpdate: (update) => updates.push(update) });
  } catch (error) {
    throw new DatabaseOpenError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const databaseUpdate = updates[0] ?? null;
  if (databaseUpdate) options.log?.(databaseUpdateLine(databaseUpdate));
  const bus = new EventBus((event, error) =>
    options.log?.(`event ${event}: a listener failed: ${String(error)}`),
  );
  const profiles = new ProfilesRepo(db);
  profiles.ensureDefault();
  const settingsRepo = new SettingsRepo(db);
  const tokens = new TokenStore({
    env,
    ...(options.keytar ? { keytar: options.keytar } : {}),
    ...(options.keychainService ? { service: options.keychainService } : {}),
  });
  const settings = new SettingsService({
    profiles,
    tokens,
    bus,
    env,
    ...(options.log ? { log: options.log } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const proxyCredentialsMoved = settings.moveProxyCredentialsToKeychain().catch((error: unknown) => {
    options.log?.(`Moving proxy passwords to the keychain failed: ${String(error)}`);
  });
  const toolRegistry = new ToolRegistry();
  const knowledgeRepo = new KnowledgeRepo(db);
  const knowledgeSearch = new KnowledgeSearch({
    knowledge: knowledgeRepo,
    meaning: {
      index: new SearchIndexRepo(db),
      vectors: new KbVectorIndex(db, { log: options.log }),
      client: () => settings.activeClient(),
    },
  });
  const chatKnowledge: ChatKnowledge = {
    bases: () => knowledgeRepo.listBases().map(({ id, name, files }) => ({ id, name, files })),
    retrieve: (baseIds, query, retrieveOptions) => knowledgeSearch.retrieve(baseIds, query, retrieveOptions),
  };
  const usageRepo = new UsageRepo(db);
  const modelTitles = new ModelTitlesSetting({ settingsRepo, bus });
  const chat = new ChatService({
    knowledge: chatKnowledge,
    tools: toolRegistry,
    conversations: new ConversationsRepo(db),
    messages: new MessagesRepo(db),
    search: new SearchRepo(db),
    drafts: new DraftsRepo(db),
    settingsRepo,
    bus,
    client: () => settings.activeClient(),
    defaultModel: () => settings.activeDefaultModel(),
    libraryDir: paths.libraryDir,
    ...(options.modelTitles ? { modelTitles: true } : {}),
    titles: {
      enabled: () => modelTitles.state().enabled,
      recordUsage: (record) =>
        usageRepo.recordTitle({ ...record, profileId: profiles.activeId(), at: Date.now() }),
    },
    ...(options.log ? { log: options.log } : {}),
  });
  chat.recover();
  void chat.sweepAttachments().catch((cause) => options.log?.(`attachment sweep failed: ${String(cause)}`));
  const costs = new CostsService({
    prices: new PricesRepo(db),
    bus,
    textModels: () => chat.models().models.map((model) => model.id),
  });
  const language = new LanguageService({
    settingsRepo,
    bus,
    systemLanguages: options.systemLanguages ?? (() => nodeSystemLanguages(env)),
  });
  const spellcheck = new SpellcheckService({
    settingsRepo,
    bus,
    platform: options.platform ?? process.platform,
  });
  const appearance = new AppearanceService({ settingsRepo, bus });
  const sourceOpening = new SourceOpeningService({
    settingsRepo,
    bus,
    env,
    platform: options.platform ?? process.platform,
    ...(options.openSource ? { openWithSystem: options.openSource } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const notify = options.notify;
  const serviceDeps: ServiceDeps = {
    bus,
    libraryDir: paths.libraryDir,
    client: () => settings.activeClient(),
    ...(options.log ? { log: options.log } : {}),
    ...(notify ? { notify: (notice) => notify(noticeText(notice, language.state().language)) } : {}),
  };
  const transcription = new TranscriptionService({
    ...serviceDeps,
    jobs: new TranscriptionJobsRepo(db),
    transcripts: new TranscriptsRepo(db),
    alternatives: new SegmentAlternativesRepo(db),
  });
  transcription.recover();
  const videos = new VideoService({ ...serviceDeps, videos: new VideosRepo(db) }, options.videoTiming);
  videos.recover();
  const search = new SearchService({
    index: new SearchIndexRepo(db),
    items: new SearchItemsRepo(db),
    vectors: new VectorIndex(db, { log: options.log }),
    messages: new SearchRepo(db),
    transcripts: new TranscriptsRepo(db),
    videos: new VideosRepo(db),
    bus,
    client: serviceDeps.client,
    log: options.log,
  });
  search.recover();
  const builtinTools = new BuiltinToolProvider({
    search,
    chat,
    transcription,
    videos,
    transcripts: new TranscriptsRepo(db),
    knowledge: chatKnowledge,
  });
  const desktop = new DesktopService(
    {
      usage: usageRepo,
      profiles,
      prices: () => costs.book(),
      database: new DatabaseCopies(db),
      bus,
      log: options.log,
    },
    paths,
    databaseUpdate,
  );
  desktop.recover();
  // The same checks as `hubdesk doctor`, with the core's keychain, binary and connection test.
  const doctor = new DoctorService({
    dataDir: paths.dataDir,
    databasePath: paths.databasePath,
    tokens,
    env,
    connection: settings,
  });
  const keychainOptions = {
    ...(options.keytar ? { keytar: options.keytar } : {}),
    ...(options.keychainService ? { service: options.keychainService } : {}),
  };
  const conversationsRepo = new ConversationsRepo(db);
  const tools = new ToolServersService({
    servers: new McpServersRepo(db),
    headers: new McpHeaderStore(keychainOptions),
    envValues: new McpEnvStore(keychainOptions),
    oauth: new McpOAuthStore(keychainOptions),
    ...(options.openAuthorizationUrl ? { openAuthorizationUrl: options.openAuthorizationUrl } : {}),
    language: () => language.state().language,
    builtin: {
      provider: builtinTools,
      autoApprove: builtinApprovalsIn(settingsRepo),
    },
    onRenamed: (from, to) => conversationsRepo.renameToolServer(from, to),
    bus,
    env,
    ...(options.log ? { log: options.log } : {}),
    ...options.mcp,
  });
  const knowledge = new KnowledgeService({
    knowledge: knowledgeRepo,
    search: knowledgeSearch,
    bus,
    ...(options.log ? { log: options.log } : {}),
  });
  let syncScheduler: SyncScheduler | undefined;
  const sync = new SyncService({
    bus,
    nextAt: () => syncScheduler?.next() ?? null,
    onSetupChanged: () => syncScheduler?.reschedule(),
    // A video file or thumbnail from another computer: the library shows it at once.
    onMediaPlaced: (entries) => {
      for (const entry of entries)
        if (entry.kind === 'video' || entry.kind === 'thumbnail')
          bus.emit('videos.changed', { job: videos.get(entry.owner) });
    },
    onOfflineChanged: () => syncScheduler?.offlineChanged(),
    settingsRepo,
    repo: new SyncRepo(db),
    rows: new SyncRowsRepo(db),
    alternatives: new SegmentAlternativesRepo(db),
    secrets: new SyncSecretStore({ ...keychainOptions, env }),
    openRemote: options.openSyncRemote ?? ((target, secret) => openRemote(target, secret)),
    libraryDir: paths.libraryDir,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.syncTuning ? { engine: options.syncTuning } : {}),
  });
  if (options.syncInBackground) {
    syncScheduler = new SyncScheduler({
      clock: options.clock ?? systemClock,
      bus,
      sync: () => sync.now(),
      probe: () => sync.probe(),
      state: () => {
        const status = sync.status();
        return {
          configured: status.configured,
          waitingRows: status.waiting.rows,
          offline: status.offline !== null,
        };
      },
      paused: () => sync.paused(),
      onScheduled: () => sync.changed(),
      ...(options.log ? { log: options.log } : {}),
    });
    syncScheduler.start();
  }
  const outsideChanges = options.followOutsideChanges
    ? new OutsideChanges({
        marks: new ConversationMarksRepo(db),
        bus,
        clock: options.clock ?? systemClock,
        ...(options.log ? { log: options.log } : {}),
      })
    : undefined;
  outsideChanges?.start();
  toolRegistry.register(builtinTools);
  toolRegistry.setSource({
    find: (server) => tools.enabledProviders([server])[0],
    isAutoApproved: (server, tool) => tools.isAutoApproved(server, tool),
  });
  const appInfo = (): AppInfo => ({
    version: packageJson.version,
    dataDir: paths.dataDir,
    databasePath: paths.databasePath,
    libraryDir: paths.libraryDir,
    platform: `${process.platform} ${process.arch}`,
  });
  const router = createRouter(
    createHandlers({
      settings,
      chat,
      transcription,
      videos,
      search,
      desktop,
      language,
      spellcheck,
      appearance,
      doctor,
      tools,
      knowledge,
      costs,
      sync,
      modelTitles,
      appInfo,
      ...(options.openExternal ? { openExternal: options.openExternal } : {}),
      sourceOpening,
      ...(options.openPathsDialog ? { openPathsDialog: options.openPathsDialog } : {}),
      ...(options.videoFileShell ? { videoFileShell: options.videoFileShell } : {}),
    }),
    options.log,
  );
  return {
    paths,
    db,
    databaseUpdate,
    bus,
    profiles,
    settingsRepo,
    tokens,
    settings,
    chat,
    toolRegistry,
    transcription,
    videos,
    search,
    builtinTools,
    desktop,
    proxyCredentialsMoved,
    language,
    spellcheck,
    appearance,
    doctor,
    tools,
    knowledge,
    knowledgeSearch,
    costs,
    modelTitles,
    sync,
    sourceOpening,
    router,
    appInfo,
    async close() {
      await proxyCredentialsMoved;
      syncScheduler?.stop();
      outsideChanges?.stop();
      await Promise.allSettled([
        sync.close(),
        chat.close(),
        transcription.close(),
        videos.close(),
        search.close(),
        desktop.close(),
        tools.close(),
        knowledge.close(),
      ]);
      await settings.close();
      db.close();
    },
  };
}

/** The database could not be opened (refused, or an update failed); the message says why and what to do. */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

/** The log line (and the CLI's stderr line) that says an update happened and where its copy is. */
export function databaseUpdateLine(update: DatabaseUpdate): string {
  return (
    (update.resumed ? 'an earlier update of the database was cut off and has been undone; ' : '') +
    `updated the database from schema version ${update.fromVersion} to ${update.toVersion}; ` +
    `the copy taken before the update is at ${update.copyPath}`
  );
}
