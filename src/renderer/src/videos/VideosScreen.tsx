import { ComingSoon } from '../ComingSoon';

// Being written: the Videos page.
export function VideosScreen() {
  return (
    <ComingSoon title="Videos">
      Generate videos with Sora, Kling, Seedance and Veo, follow each job until it finishes, and keep the
      results in a local library.
    </ComingSoon>
  );
}
