import type { sourceEditorChannels } from '../../shared/source-editor';
import type { SourceOpeningService } from '../services/source-opening/source-opening-service';
import type { HandlersOf } from './router';

export function sourceEditorHandlers(
  opening: SourceOpeningService,
): HandlersOf<keyof typeof sourceEditorChannels> {
  return {
    'editor.get': () => opening.state(),
    'editor.set': (request) => opening.set(request.choice),
  };
}
