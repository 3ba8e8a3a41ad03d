import type { OpenableSource } from '../../shared/chat-knowledge';
import type { knowledgeChannels } from '../../shared/knowledge-channels';
import { checkKnowledgePath } from '../services/knowledge/knowledge-paths';
import type { KnowledgeService } from '../services/knowledge/knowledge-service';
import type { HandlersOf } from './router';

export function knowledgeHandlers(
  service: KnowledgeService,
  openSource: (source: OpenableSource) => Promise<{ opened: boolean }>,
): HandlersOf<keyof typeof knowledgeChannels> {
  return {
    'kb.list': () => service.list(),
    'kb.status': (request) => service.status(request.name),
    'kb.meaning': (request) => service.meaning(request.name),
    'kb.add': (request) => service.addBase(request.name, request.paths),
    'kb.sync': (request) => service.sync(request.name),
    'kb.pause': async (request) => {
      await service.pause(request.name);
      return { paused: true } as const;
    },
    'kb.resume': (request) => service.resume(request.name),
    'kb.retry': (request) => service.retry(request.name, request.path),
    'kb.remove': async (request) => {
      await service.removeBase(request.name);
      return { removed: true } as const;
    },
    'kb.search': async (request) =>
      (await service.search(request.name, request.query, request.limit)).map(
        ({ text: _text, ...hit }) => hit,
      ),
    'kb.open': (request) => openSource(service.chunkPlace(request.chunkId)),
    'kb.checkPath': (request) => checkKnowledgePath(request.path),
  };
}
