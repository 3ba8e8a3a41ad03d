import { z } from 'zod';

/**
 * Where a library syncs to (issue 19): storage the user owns. The secret that goes with it (WebDAV password, S3
 * secret access key) is never part of this: it lives in the keychain. `folder` is a folder the user keeps in sync by
 * other means (a network share, a synced drive), and what the tests use beside the real servers.
 */
export const syncTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('webdav'), url: z.url(), user: z.string().min(1) }),
  z.object({
    kind: z.literal('s3'),
    endpoint: z.url(),
    bucket: z.string().min(3).max(63),
    region: z.string().min(1).optional(),
    prefix: z.string().optional(),
    accessKeyId: z.string().min(1),
    /** Path-style addressing (`endpoint/bucket/key`), which MinIO and most self-hosted services need. */
    forcePathStyle: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('folder'), path: z.string().min(1) }),
]);
export type SyncTarget = z.infer<typeof syncTargetSchema>;
