import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { contentTypeFor, libraryContentTypeFor, parseRangeHeader, resolveInside } from './library';

/** A library file opened as a page (a navigation, a frame) gets no scripts, no requests, a unique origin. */
export const LIBRARY_CSP = "default-src 'none'; sandbox";

/**
 * Answers a GET/HEAD for a file under `root` with web-standard Request/Response, honouring a single `Range`.
 * The `app://` protocol handler uses it for the renderer's files and the media library (no `file://` anywhere).
 */
export function fileResponse(request: Request, root: string, relativePath: string): Promise<Response> {
  return respond(request, root, relativePath, contentTypeFor);
}

/**
 * A file of the media library: the user's and the providers' files, never the app's own. Only media and plain
 * text keep their types; HTML, SVG, XML, scripts and anything unknown come as an attachment of bytes.
 */
export async function libraryFileResponse(
  request: Request,
  root: string,
  relativePath: string,
): Promise<Response> {
  const response = await respond(request, root, relativePath, libraryContentTypeFor);
  response.headers.set('Content-Security-Policy', LIBRARY_CSP);
  if (response.headers.get('Content-Type') === 'application/octet-stream') {
    response.headers.set('Content-Disposition', 'attachment');
  }
  return response;
}

async function respond(
  request: Request,
  root: string,
  relativePath: string,
  typeOf: (file: string) => string,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Method not allowed', { status: 405 });
  }
  const file = resolveInside(root, relativePath);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) return new Response('Not found', { status: 404 });

  const headers = new Headers({
    'Content-Type': typeOf(file),
    'Accept-Ranges': 'bytes',
    'X-Content-Type-Options': 'nosniff',
  });
  const range = parseRangeHeader(request.headers.get('range'), info.size);
  if (range === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${info.size}`);
    return new Response(null, { status: 416, headers });
  }
  const start = range ? range.start : 0;
  const end = range ? range.end : info.size - 1;
  headers.set('Content-Length', String(Math.max(0, end - start + 1)));
  if (range) headers.set('Content-Range', `bytes ${start}-${end}/${info.size}`);
  const status = range ? 206 : 200;
  if (request.method === 'HEAD' || info.size === 0) return new Response(null, { status, headers });
  const body = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}
