import type { AppInfo } from '../../shared/contract';
import type { PathsDialogKind } from '../../shared/desktop';
import type { AppearanceService } from '../services/appearance-service';
import type { ChatService } from '../services/chat/chat-service';
import type { ModelTitlesSetting } from '../services/chat/titles';
import type { CostsService } from '../services/costs/costs-service';
import type { DesktopService } from '../services/desktop/desktop-service';
import type { DoctorService } from '../services/doctor/doctor';
import type { KnowledgeService } from '../services/knowledge/knowledge-service';
import type { LanguageService } from '../services/language-service';
import type { SearchService } from '../services/search/search-service';
import type { SettingsService } from '../services/settings-service';
import type { SourceOpeningService } from '../services/source-opening/source-opening-service';
import type { SpellcheckService } from '../services/spellcheck-service';
import type { SyncService } from '../services/sync/sync-service';
import type { ToolServersService } from '../services/tools/tool-servers-service';
import type { TranscriptionService } from '../services/transcription/transcription-service';
import type { VideoService } from '../services/videos/video-service';
import type { Handlers } from './router';
import { chatHandlers } from './routes-chat';
import { chatKnowledgeHandlers } from './routes-chat-knowledge';
import { costsHandlers } from './routes-costs';
import { desktopHandlers, dialogHandlers } from './routes-desktop';
import { doctorHandlers } from './routes-doctor';
import { knowledgeHandlers } from './routes-knowledge';
import { profileHandlers } from './routes-profiles';
import { searchHandlers } from './routes-search';
import { sourceEditorHandlers } from './routes-source-opening';
import { syncHandlers } from './routes-sync';
import { toolsHandlers } from './routes-tools';
import { transcriptionHandlers } from './routes-transcription';
import { type VideoFileShell, videoHandlers } from './routes-videos';

/** Thin handlers: each channel calls one service verb. Validation already happened in the router. */
export function createHandlers(services: {
  settings: SettingsService;
  chat: ChatService;
  transcription: TranscriptionService;
  videos: VideoService;
  search: SearchService;
  desktop: DesktopService;
  language: LanguageService;
  spellcheck: SpellcheckService;
  appearance: AppearanceService;
  doctor: DoctorService;
  tools: ToolServersService;
  knowledge: KnowledgeService;
  costs: CostsService;
  sync: SyncService;
  sourceOpening: SourceOpeningService;
  modelTitles: ModelTitlesSetting;
  appInfo: () => AppInfo;
  /** Hands a confirmed link to the OS browser; absent where there is none (headless runs, the browser harness). */
  openExternal?: (url: string) => void;
  /** The OS's open dialog for folders or files; absent where there is none (the browser harness). */
  openPathsDialog?: (kind: PathsDialogKind) => Promise<string[]>;
  /** The OS's save dialog and file manager for a downloaded video; absent where there is no OS shell. */
  videoFileShell?: VideoFileShell;
}): Handlers {
  return {
    'app.info': () => services.appInfo(),
    'app.openLink': (request) => {
      if (!services.openExternal) return { opened: false };
      services.openExternal(request.url);
      return { opened: true };
    },
    ...profileHandlers(services.settings),
    ...chatHandlers(services.chat),
    ...chatKnowledgeHandlers(services.chat, (source) => services.sourceOpening.open(source)),
    ...transcriptionHandlers(services.transcription),
    ...videoHandlers(services.videos, services.videoFileShell),
    ...searchHandlers(services.search),
    ...desktopHandlers(services.desktop),
    ...dialogHandlers(services.openPathsDialog),
    'language.get': () => services.language.state(),
    'language.set': (request) => services.language.set(request.setting),
    'spellcheck.get': () => services.spellcheck.state(),
    'spellcheck.set': (request) => services.spellcheck.set(request.enabled),
    'appearance.get': () => services.appearance.state(),
    'appearance.set': (request) => services.appearance.set(request),
    ...doctorHandlers(services.doctor),
    ...toolsHandlers(services.tools),
    ...knowledgeHandlers(services.knowledge, (source) => services.sourceOpening.open(source)),
    ...sourceEditorHandlers(services.sourceOpening),
    ...costsHandlers(services.costs, services.modelTitles),
    ...syncHandlers(services.sync),
  };
}
