const REDACTED = '[redacted]';

/** Secrets shorter than this are not searched for: replacing them would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6;

const credentialPatterns: ReadonlyArray<[RegExp, string]> = [
  // Authorization: Bearer xyz / Basic xyz
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // "x-api-key": "…", api_key=…, x-goog-api-key: …, token: …, authorization=…
  [
    /\b(x-api-key|x-goog-api-key|api[_-]?key|access[_-]?token|auth[_-]?token|token|authorization|key)(["']?\s*[:=]\s*["']?)(?!Bearer\b|Basic\b|\[redacted\])[^\s"',;&]+/gi,
    `$1$2${REDACTED}`,
  ],
  // OpenAI-style secret keys appearing on their own.
  [/\bsk-[A-Za-z0-9_-]{8,}/g, REDACTED],
  // user:password@ in URLs (proxy settings).
  [/(\/\/)[^/\s:@]+:[^/\s@]+@/g, `$1${REDACTED}@`],
];

/**
 * Removes the given secrets (and anything that looks like a credential) from a text that may end up in an
 * error message or a log line.
 */
export function redact(text: string, secrets: Iterable<string | null | undefined> = []): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      result = result.split(form).join(REDACTED);
    }
  }
  for (const [pattern, replacement] of credentialPatterns) {
    result = result.replace(pattern, replacement);
  }
  return result;
}

/** Shortens a text for display: collapses whitespace and cuts at `max` characters. */
export function truncate(text: string, max: number): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed.length > max ? `${collapsed.slice(0, max - 1)}…` : collapsed;
}
