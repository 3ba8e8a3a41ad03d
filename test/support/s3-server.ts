/**
 * s3rver (an S3 look-alike from the registry) on 127.0.0.1 at a free port, for the S3 sync tests, with a bucket
 * made at start and every request recorded so a test can count what was sent.
 *
 * What it does not do, so the tests cannot ask it: check V4 signatures (only the access key id is looked up, so
 * a wrong secret passes), ListParts (405; the store then trusts its checkpoint), per-key permissions, or a
 * listing longer than one page under Node 24 (its continuation token is DES, which OpenSSL 3 no longer offers:
 * a truncated ListObjectsV2 answers 500). `S3RVER_LOUD=1` shows its log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** s3rver's one account. */
export const s3rverAccessKeyId = 'S3RVER';
export const s3rverSecret = 'S3RVER';

export interface S3Server {
  endpoint: string;
  port: number;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Every request, oldest first: method, path (`/bucket/key`), query string, status, Range header. */
  requests: { method: string; path: string; query: string; status: number; range: string | undefined }[];
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'hubdesk-sync'): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'hubdesk-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: process.env.S3RVER_LOUD !== '1',
    directory,
    configureBuckets: [{ name: bucket }],
    vhostBuckets: false,
  });
  const requests: S3Server['requests'] = [];
  server.middleware.unshift(async (context, next) => {
    const record = (status: number) =>
      requests.push({
        method: context.method,
        path: decodeURIComponent(context.path),
        query: context.querystring,
        status,
        range: context.req.headers.range,
      });
    try {
      await next();
      record(context.status);
    } catch (error) {
      // s3rver throws its errors for Koa to answer; the status is on the error.
      record((error as { status?: number }).status ?? 500);
      throw error;
    }
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    bucket,
    accessKeyId: s3rverAccessKeyId,
    secretAccessKey: s3rverSecret,
    requests,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
