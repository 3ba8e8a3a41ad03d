import type { searchChannels } from '../../shared/search';
import type { SearchService } from '../services/search/search-service';
import type { HandlersOf } from './router';

export function searchHandlers(_service: SearchService): HandlersOf<keyof typeof searchChannels> {
  return {};
}
