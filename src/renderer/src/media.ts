/**
 * The URL of a file in the library folder (videos, thumbnails, audio, attached images), by its relative path.
 * In Electron: the app:// protocol (with Range, so players can seek). In the browser harness: the harness's own
 * /library/ route, which needs the page's secret.
 */
export function libraryUrl(relativePath: string): string {
  return appUrl('library', relativePath.split('/').map(encodeURIComponent).join('/'));
}

/** The audio a transcript plays: main serves its kept copy, else the original file it recorded (nothing else). */
export function transcriptAudioUrl(transcriptId: string): string {
  return appUrl('transcript-audio', encodeURIComponent(transcriptId));
}

function appUrl(host: 'library' | 'transcript-audio', path: string): string {
  if (window.hub) return `app://${host}/${path}`;
  const secret = new URLSearchParams(window.location.search).get('secret') ?? '';
  return `${window.location.origin}/${host}/${path}?secret=${encodeURIComponent(secret)}`;
}
