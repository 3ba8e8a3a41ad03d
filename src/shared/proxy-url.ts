/**
 * The user name and password of an HTTP proxy URL (`http://user:password@host:3128`). They live in the keychain;
 * the database and the window get the URL without them.
 */

/** `user:password` as written in the URL (percent-encoded), or null when the URL carries none. */
export function proxyCredentialsOf(proxyUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(proxyUrl.trim());
  } catch {
    return null;
  }
  if (!url.username && !url.password) return null;
  return `${url.username}:${url.password}`;
}

/** The URL as written, less its user name and password. */
export function withoutProxyCredentials(proxyUrl: string): string {
  const trimmed = proxyUrl.trim();
  if (proxyCredentialsOf(trimmed) === null) return trimmed;
  // The last @ before the path ends the user information, as the URL parser reads it.
  return trimmed.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
}

/** The URL with `user:password` put back, for the HTTP client in main. */
export function withProxyCredentials(proxyUrl: string, credentials: string): string {
  const url = new URL(proxyUrl);
  const colon = credentials.indexOf(':');
  url.username = colon < 0 ? credentials : credentials.slice(0, colon);
  url.password = colon < 0 ? '' : credentials.slice(colon + 1);
  return url.toString();
}

/** Whether two proxy URLs name the same proxy (scheme, host and port): saved credentials belong to one proxy. */
export function sameProxy(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  try {
    return new URL(a.trim()).origin === new URL(b.trim()).origin;
  } catch {
    return false;
  }
}
