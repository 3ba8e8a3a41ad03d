import type { Fixture } from './fixtures';
import { type Ctx, header } from './http';

type RangeResult = { start: number; end: number } | 'unsatisfiable' | undefined;

/** A single `bytes=` range; anything else (several ranges, garbage) is ignored as RFC 9110 allows. */
function parseRange(value: string | undefined, size: number): RangeResult {
  const match = value === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    return suffix === 0 || size === 0
      ? 'unsatisfiable'
      : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return start >= size || start > end ? 'unsatisfiable' : { start, end };
}

const LAST_MODIFIED = 'Mon, 01 Jan 2024 00:00:00 GMT';

/** Sends a fixture with `Range` support (206, Content-Range, 416) and `If-Range` on the ETag. */
export function serveFile(ctx: Ctx, file: Fixture, contentType = file.contentType): void {
  const size = file.data.length;
  const ifRange = header(ctx.req, 'if-range');
  const range =
    ifRange === undefined || ifRange === file.etag ? parseRange(header(ctx.req, 'range'), size) : undefined;
  const common = { 'accept-ranges': 'bytes', etag: file.etag, 'last-modified': LAST_MODIFIED };
  if (range === 'unsatisfiable') {
    ctx.res.writeHead(416, { ...common, 'content-range': `bytes */${size}`, 'content-length': 0 });
    ctx.res.end();
    return;
  }
  const body = range ? file.data.subarray(range.start, range.end + 1) : file.data;
  ctx.res.writeHead(range ? 206 : 200, {
    ...common,
    'content-type': contentType,
    'content-length': body.length,
    ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${size}` } : {}),
  });
  if (ctx.method === 'HEAD') {
    ctx.res.end();
    return;
  }
  if (ctx.cutBytes !== undefined && ctx.cutBytes < body.length) {
    ctx.res.write(body.subarray(0, ctx.cutBytes), () => ctx.res.socket?.destroy());
    return;
  }
  ctx.res.end(body);
}
