import type { AppInfo } from '../../shared/contract';
import type { ChatService } from '../services/chat-service';
import type { DesktopService } from '../services/desktop/desktop-service';
import type { DoctorService } from '../services/doctor/doctor';
import type { LanguageService } from '../services/language-service';
import type { SearchService } from '../services/search/search-service';
import type { SettingsService } from '../services/settings-service';
import type { TranscriptionService } from '../services/transcription/transcription-service';
import type { VideoService } from '../services/videos/video-service';
import type { Handlers } from './router';
import { desktopHandlers } from './routes-desktop';
import { doctorHandlers } from './routes-doctor';
import { searchHandlers } from './routes-search';
import { transcriptionHandlers } from './routes-transcription';
import { videoHandlers } from './routes-videos';

/** Thin handlers: each channel calls one service verb. Validation already happened in the router. */
export function createHandlers(services: {
  settings: SettingsService;
  chat: ChatService;
  transcription: TranscriptionService;
  videos: VideoService;
  search: SearchService;
  desktop: DesktopService;
  language: LanguageService;
  doctor: DoctorService;
  appInfo: () => AppInfo;
}): Handlers {
  const { settings, chat } = services;
  return {
    'app.info': () => services.appInfo(),
    'profiles.list': () => settings.listProfiles(),
    'profiles.create': (request) => settings.createProfile(request),
    'profiles.update': (request) => settings.updateProfile(request.id, request.patch),
    'profiles.delete': (request) => settings.deleteProfile(request.id),
    'profiles.setActive': (request) => settings.setActive(request.id),
    'token.status': (request) => settings.tokenStatus(request.profileId),
    'token.set': (request) => settings.setToken(request.profileId, request.token, request.persist),
    'token.clear': (request) => settings.clearToken(request.profileId),
    'connection.test': (request) => settings.testConnection(request.profileId),
    'models.list': () => chat.models(),
    'models.addCustom': (request) => chat.addCustomModel(request),
    'models.removeCustom': (request) => chat.removeCustomModel(request.id),
    'conversations.list': () => chat.listConversations(),
    'conversations.create': (request) => chat.createConversation(request),
    'conversations.open': (request) => chat.open(request.id),
    'conversations.update': (request) => chat.updateConversation(request.id, request.patch),
    'conversations.delete': (request) => chat.deleteConversation(request.id),
    'conversations.restore': (request) => chat.restoreConversation(request.id),
    'conversations.selectBranch': (request) => chat.selectBranch(request.conversationId, request.messageId),
    'conversations.export': (request) => chat.exportConversation(request.id, request.format),
    'conversations.import': (request) => chat.importConversation(request.content),
    'chat.send': (request) => chat.send(request),
    'chat.regenerate': (request) => chat.regenerate(request),
    'chat.cancel': (request) => chat.cancel(request.streamId),
    'search.messages': (request) => chat.search(request.query, request.limit),
    'drafts.get': (request) => chat.getDraft(request.conversationId),
    'drafts.set': (request) => chat.setDraft(request.conversationId, request.text),
    ...transcriptionHandlers(services.transcription),
    ...videoHandlers(services.videos),
    ...searchHandlers(services.search),
    ...desktopHandlers(services.desktop),
    'language.get': () => services.language.state(),
    'language.set': (request) => services.language.set(request.setting),
    ...doctorHandlers(services.doctor),
  };
}
