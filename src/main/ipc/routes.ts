import type { AppInfo } from '../../shared/contract';
import type { SettingsService } from '../services/settings-service';
import type { Handlers } from './router';

/** Thin handlers: each channel calls one service verb. Validation already happened in the router. */
export function createHandlers(services: { settings: SettingsService; appInfo: () => AppInfo }): Handlers {
  const { settings } = services;
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
  };
}
