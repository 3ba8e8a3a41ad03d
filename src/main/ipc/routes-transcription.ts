import type { transcriptionChannels } from '../../shared/transcription';
import type { TranscriptionService } from '../services/transcription/transcription-service';
import type { HandlersOf } from './router';

export function transcriptionHandlers(
  _service: TranscriptionService,
): HandlersOf<keyof typeof transcriptionChannels> {
  return {};
}
