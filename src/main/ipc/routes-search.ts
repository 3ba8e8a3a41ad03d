import type { searchChannels } from '../../shared/search';
import type { SearchService } from '../services/search/search-service';
import type { HandlersOf } from './router';

export function searchHandlers(service: SearchService): HandlersOf<keyof typeof searchChannels> {
  return {
    'search.everything': (request) => service.search(request),
    'search.related': (request) => service.related(request),
    'index.status': () => service.status(),
    'index.pause': () => service.pause(),
    'index.resume': () => service.resume(),
    'index.rebuild': (request) => service.rebuild(request),
    'index.getSettings': () => service.getSettings(),
    'index.setSettings': (request) => service.setSettings(request),
  };
}
