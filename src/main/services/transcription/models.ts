import type { ModelCapability } from '../../../shared/transcription';

/** What each transcription model gives, and what choosing it gives up (docs/proxy-api.md §4.2). */
export const modelCapabilities: ModelCapability[] = [
  {
    id: 'whisper-1',
    label: 'Whisper',
    responseFormat: 'verbose_json',
    wordTimestamps: true,
    segmentTimestamps: true,
    detectsLanguage: true,
    givesUp: [],
  },
  {
    id: 'gpt-4o-transcribe',
    label: 'GPT-4o Transcribe',
    responseFormat: 'json',
    wordTimestamps: false,
    segmentTimestamps: false,
    detectsLanguage: false,
    givesUp: ['timestamps', 'subtitles', 'language'],
  },
  {
    id: 'gpt-4o-mini-transcribe',
    label: 'GPT-4o mini Transcribe',
    responseFormat: 'json',
    wordTimestamps: false,
    segmentTimestamps: false,
    detectsLanguage: false,
    givesUp: ['timestamps', 'subtitles', 'language', 'accuracy'],
  },
];
