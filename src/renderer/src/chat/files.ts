import i18next from 'i18next';
import type { ImageUpload } from '../../../shared/chat';
import { formatBytes } from '../ui/format';

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
type ImageType = (typeof IMAGE_TYPES)[number];

export type PendingImage = ImageUpload & { key: string; previewUrl: string; size: number };

function isImageType(type: string): type is ImageType {
  return (IMAGE_TYPES as readonly string[]).includes(type);
}

/** Images go to the model as pictures; every other file is offered as a document (src/renderer/src/chat/documents.ts). */
export function isImageFile(file: { type: string }): boolean {
  return file.type.startsWith('image/');
}

/** Why a file cannot be attached, or null when it can. */
export function imageRefusal(file: { name: string; type: string; size: number }): string | null {
  if (!isImageType(file.type)) {
    return file.name
      ? i18next.t('chat:files.notImage', { name: file.name })
      : i18next.t('chat:files.notImageUnnamed');
  }
  if (file.size > MAX_IMAGE_BYTES) {
    return i18next.t('chat:files.tooLarge', {
      name: file.name,
      size: formatBytes(file.size),
      max: formatBytes(MAX_IMAGE_BYTES),
    });
  }
  return null;
}

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  const chunk = 0x8000;
  for (let index = 0; index < bytes.length; index += chunk) {
    binary += String.fromCharCode(...bytes.subarray(index, index + chunk));
  }
  return btoa(binary);
}

let keyCounter = 0;

export async function readImage(file: File): Promise<PendingImage> {
  if (!isImageType(file.type)) throw new Error(imageRefusal(file) ?? i18next.t('chat:files.notAnImage'));
  const dataBase64 = toBase64(await file.arrayBuffer());
  keyCounter += 1;
  return {
    key: `img-${keyCounter}`,
    name: file.name || `pasted-image-${keyCounter}.${file.type.split('/')[1] ?? 'png'}`,
    mimeType: file.type,
    dataBase64,
    size: file.size,
    previewUrl: URL.createObjectURL(file),
  };
}
