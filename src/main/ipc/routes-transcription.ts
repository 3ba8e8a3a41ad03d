import type { transcriptionChannels } from '../../shared/transcription';
import type { TranscriptionService } from '../services/transcription/transcription-service';
import type { HandlersOf } from './router';

export function transcriptionHandlers(
  service: TranscriptionService,
): HandlersOf<keyof typeof transcriptionChannels> {
  return {
    'transcription.capabilities': () => service.capabilities(),
    'transcription.add': async ({ paths, options }) => ({ jobs: await service.add(paths, options) }),
    'transcription.list': () => service.list(),
    'transcription.cancel': ({ id }) => service.cancel(id),
    'transcription.retry': ({ id }) => service.retry(id),
    'transcription.remove': ({ id }) => service.remove(id),
    'transcripts.list': ({ limit }) => service.listTranscripts(limit),
    'transcripts.get': ({ id }) => service.getTranscript(id),
    'transcripts.updateSegment': ({ id, segmentIndex, text }) =>
      service.updateSegment(id, segmentIndex, text),
    'transcripts.alternatives': ({ id }) => service.alternatives(id),
    'transcripts.resolveAlternative': ({ id, segmentIndex, version, use }) =>
      service.resolveAlternative(id, segmentIndex, version, use),
    'transcripts.export': ({ id, format }) => service.export(id, format),
    'transcripts.search': ({ query, limit }) => service.search(query, limit),
    'transcripts.audio': async ({ id }) => ({ from: (await service.audioSource(id))?.from ?? null }),
    'transcripts.keepCopy': ({ id }) => service.keepCopy(id),
  };
}
