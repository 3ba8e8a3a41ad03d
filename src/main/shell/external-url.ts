/** A link from content may leave the app only as a plain https: URL, and only to the OS browser. */
export function safeExternalUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || !url.hostname) return null;
  return url.toString();
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * An MCP server's OAuth authorization page: https, or plain http on this computer only (a server the user runs
 * locally); never a URL with credentials in it.
 */
export function safeAuthorizationUrl(raw: string): string | null {
  const https = safeExternalUrl(raw);
  if (https) return https;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || url.username || url.password || !LOOPBACK_HOSTS.has(url.hostname))
    return null;
  return url.toString();
}
