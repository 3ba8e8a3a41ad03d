import type { ModelCapability } from '../../../shared/transcription';

/** What each transcription model gives, and what choosing it gives up (API.md §6). */
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
    givesUp: [
      'No timestamps: the transcript is one block of text per file (or per part of a long file), so clicking to play from a sentence and the current-line highlight do not work.',
      'SRT and VTT subtitles get one long cue per block instead of one per sentence.',
      'The detected language is not reported.',
    ],
  },
  {
    id: 'gpt-4o-mini-transcribe',
    label: 'GPT-4o mini Transcribe',
    responseFormat: 'json',
    wordTimestamps: false,
    segmentTimestamps: false,
    detectsLanguage: false,
    givesUp: [
      'No timestamps: the transcript is one block of text per file (or per part of a long file), so clicking to play from a sentence and the current-line highlight do not work.',
      'SRT and VTT subtitles get one long cue per block instead of one per sentence.',
      'The detected language is not reported.',
      'Less accurate than GPT-4o Transcribe on hard audio, in exchange for a lower price.',
    ],
  },
];
