import type { costsChannels } from '../../shared/costs-channels';
import type { ModelTitlesSetting } from '../services/chat/titles';
import type { CostsService } from '../services/costs/costs-service';
import type { HandlersOf } from './router';

export function costsHandlers(
  costs: CostsService,
  modelTitles: ModelTitlesSetting,
): HandlersOf<keyof typeof costsChannels> {
  return {
    'prices.list': () => costs.state(),
    'prices.set': (request) => costs.set(request.price),
    'prices.reset': (request) => costs.reset(request.key),
    'titles.get': () => modelTitles.state(),
    'titles.set': (request) => modelTitles.set(request.enabled),
  };
}
