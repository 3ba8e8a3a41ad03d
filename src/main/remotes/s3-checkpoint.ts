/**
 * The S3 multipart checkpoint (upload id and finished parts) that a caller saves between attempts, and how a saved
 * one is checked against what the service really holds before an upload continues.
 */
import { ListPartsCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { statusOf } from './remote-failure';

const checkpointSchema = z.object({
  format: z.literal('s3-multipart'),
  key: z.string(),
  uploadId: z.string().min(1),
  size: z.number().int().nonnegative(),
  partSize: z.number().int().positive(),
  parts: z.array(z.object({ number: z.number().int().positive(), etag: z.string(), size: z.number().int() })),
});
export type MultipartState = z.infer<typeof checkpointSchema>;

interface SdkError {
  name?: string;
}

function sameEtag(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.replaceAll('"', '') === b.replaceAll('"', '');
}

/**
 * The checkpoint's upload, with only the parts the service still holds (by ListParts), or null when there is
 * nothing to resume. A service without ListParts (some S3 look-alikes) is taken at the checkpoint's word,
 * unconfirmed: if it then refuses a part or the completion, the upload starts over.
 */
export async function resumableUpload(
  client: S3Client,
  bucket: string,
  objectKey: string,
  key: string,
  size: number,
  checkpoint: unknown,
  signal?: AbortSignal,
): Promise<{ state: MultipartState; confirmed: boolean } | null> {
  const saved = checkpointSchema.safeParse(checkpoint);
  if (!saved.success || saved.data.key !== key || saved.data.size !== size) return null;
  const state: MultipartState = saved.data;
  const held = new Map<number, { etag?: string; size?: number }>();
  let marker: string | undefined;
  try {
    do {
      const page = await client.send(
        new ListPartsCommand({
          Bucket: bucket,
          Key: objectKey,
          UploadId: state.uploadId,
          PartNumberMarker: marker,
        }),
        { abortSignal: signal },
      );
      for (const part of page.Parts ?? []) {
        if (part.PartNumber) held.set(part.PartNumber, { etag: part.ETag, size: part.Size });
      }
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker);
  } catch (error) {
    const name = (error as SdkError).name;
    const status = statusOf(error);
    if (name === 'NoSuchUpload' || status === 404) return null;
    if (name === 'MethodNotAllowed' || name === 'NotImplemented' || status === 405 || status === 501) {
      return { state, confirmed: false };
    }
    throw error;
  }
  const parts = state.parts.filter((part) => {
    const there = held.get(part.number);
    return there !== undefined && sameEtag(there.etag, part.etag) && there.size === part.size;
  });
  return { state: { ...state, parts }, confirmed: true };
}
