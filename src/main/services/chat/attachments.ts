import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageRef, ImageUpload } from '../../../shared/chat';
import { HubError } from '../../base/errors';
import { resolveInside } from '../../files/library';

/** Images sent with a prompt, written to `attachments/` in the library folder. */
export async function storeImages(libraryDir: string, images: ImageUpload[]): Promise<ImageRef[]> {
  if (images.length === 0) return [];
  await mkdir(join(libraryDir, 'attachments'), { recursive: true });
  return Promise.all(
    images.map(async (image) => {
      const extension = image.mimeType.split('/')[1] === 'jpeg' ? 'jpg' : image.mimeType.split('/')[1];
      const path = `attachments/${randomUUID()}.${extension}`;
      await writeFile(join(libraryDir, path), Buffer.from(image.dataBase64, 'base64'));
      return { path, mimeType: image.mimeType, name: image.name };
    }),
  );
}

export async function readImageBase64(libraryDir: string, image: ImageRef): Promise<string> {
  const file = resolveInside(libraryDir, image.path);
  if (!file) {
    throw new HubError({
      kind: 'not_found',
      message: `The image ${image.name} is missing.`,
      reason: { code: 'chatImageMissing', values: { name: image.name } },
    });
  }
  try {
    return (await readFile(file)).toString('base64');
  } catch {
    throw new HubError({
      kind: 'not_found',
      message: `The image ${image.name} is missing from the library.`,
      reason: { code: 'chatImageMissing', values: { name: image.name } },
    });
  }
}
