/**
 * The URL of a file in the library folder (videos, thumbnails, audio, attached images), by its relative path.
 * In Electron: the app:// protocol (with Range, so players can seek). In the browser harness: the harness's own
 * /library/ route, which needs the page's secret.
 */
export function libraryUrl(relativePath: string): string {
  const path = relativePath.split('/').map(encodeURIComponent).join('/');
  if (window.hub) return `app://library/${path}`;
  const secret = new URLSearchParams(window.location.search).get('secret') ?? '';
  return `${window.location.origin}/library/${path}?secret=${encodeURIComponent(secret)}`;
}
