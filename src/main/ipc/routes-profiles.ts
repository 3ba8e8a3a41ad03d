import type { profileChannels } from '../../shared/profiles';
import type { SettingsService } from '../services/settings-service';
import type { HandlersOf } from './router';

export function profileHandlers(settings: SettingsService): HandlersOf<keyof typeof profileChannels> {
  return {
    'profiles.list': () => settings.listProfiles(),
    'profiles.create': (request) => settings.createProfile(request),
    'profiles.update': (request) =>
      settings.updateProfileFromWindow(request.id, request.patch, request.confirmTokenTo),
    'profiles.delete': (request) => settings.deleteProfile(request.id),
    'profiles.setActive': (request) => settings.setActive(request.id),
    'token.status': (request) => settings.tokenStatus(request.profileId),
    'token.set': (request) => settings.setToken(request.profileId, request.token, request.persist),
    'token.clear': (request) => settings.clearToken(request.profileId),
    'connection.test': (request) => settings.testConnection(request.profileId),
  };
}
