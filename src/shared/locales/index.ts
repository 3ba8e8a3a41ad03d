/**
 * Every UI string, per language and namespace (one JSON file each, the form translators' tools read).
 * English is the source: `test/i18n-resources.test.ts` checks that every other language has each of its keys.
 */
import type { Language } from '../i18n';
import enChat from './en/chat.json';
import enCommon from './en/common.json';
import enDoctor from './en/doctor.json';
import enErrors from './en/errors.json';
import enKnowledge from './en/knowledge.json';
import enMenu from './en/menu.json';
import enNotifications from './en/notifications.json';
import enSearch from './en/search.json';
import enSettings from './en/settings.json';
import enSync from './en/sync.json';
import enTranscribe from './en/transcribe.json';
import enUsage from './en/usage.json';
import enVideos from './en/videos.json';
import viChat from './vi/chat.json';
import viCommon from './vi/common.json';
import viDoctor from './vi/doctor.json';
import viErrors from './vi/errors.json';
import viKnowledge from './vi/knowledge.json';
import viMenu from './vi/menu.json';
import viNotifications from './vi/notifications.json';
import viSearch from './vi/search.json';
import viSettings from './vi/settings.json';
import viSync from './vi/sync.json';
import viTranscribe from './vi/transcribe.json';
import viUsage from './vi/usage.json';
import viVideos from './vi/videos.json';
import zhCNChat from './zh-CN/chat.json';
import zhCNCommon from './zh-CN/common.json';
import zhCNDoctor from './zh-CN/doctor.json';
import zhCNErrors from './zh-CN/errors.json';
import zhCNKnowledge from './zh-CN/knowledge.json';
import zhCNMenu from './zh-CN/menu.json';
import zhCNNotifications from './zh-CN/notifications.json';
import zhCNSearch from './zh-CN/search.json';
import zhCNSettings from './zh-CN/settings.json';
import zhCNSync from './zh-CN/sync.json';
import zhCNTranscribe from './zh-CN/transcribe.json';
import zhCNUsage from './zh-CN/usage.json';
import zhCNVideos from './zh-CN/videos.json';

export const namespaces = [
  'common',
  'chat',
  'transcribe',
  'videos',
  'settings',
  'usage',
  'search',
  'knowledge',
  'menu',
  'notifications',
  'doctor',
  'errors',
  'sync',
] as const;
export type Namespace = (typeof namespaces)[number];

/** The English strings: the source every key and its type come from. */
export const english = {
  common: enCommon,
  chat: enChat,
  transcribe: enTranscribe,
  videos: enVideos,
  settings: enSettings,
  usage: enUsage,
  search: enSearch,
  knowledge: enKnowledge,
  menu: enMenu,
  notifications: enNotifications,
  doctor: enDoctor,
  sync: enSync,
  errors: enErrors,
};
export type Strings = typeof english;

export const resources: Record<Language, Record<Namespace, object>> = {
  en: english,
  'zh-CN': {
    common: zhCNCommon,
    chat: zhCNChat,
    transcribe: zhCNTranscribe,
    videos: zhCNVideos,
    settings: zhCNSettings,
    usage: zhCNUsage,
    search: zhCNSearch,
    knowledge: zhCNKnowledge,
    menu: zhCNMenu,
    notifications: zhCNNotifications,
    doctor: zhCNDoctor,
    sync: zhCNSync,
    errors: zhCNErrors,
  },
  vi: {
    common: viCommon,
    chat: viChat,
    transcribe: viTranscribe,
    videos: viVideos,
    settings: viSettings,
    usage: viUsage,
    search: viSearch,
    knowledge: viKnowledge,
    menu: viMenu,
    notifications: viNotifications,
    doctor: viDoctor,
    sync: viSync,
    errors: viErrors,
  },
};
