import { ComingSoon } from '../ComingSoon';

// Being written: the Transcribe page.
export function TranscribeScreen() {
  return (
    <ComingSoon title="Transcribe">
      Turn audio files into text with the proxy’s transcription models, with timestamps you can copy or
      export.
    </ComingSoon>
  );
}
