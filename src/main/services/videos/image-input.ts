import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { VideoImage } from '../../api/video/types';
import { HubError } from '../../base/errors';

/** Kling's limit, the smallest of the vendors'. */
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

function sniffType(head: Buffer): VideoImage['mimeType'] | null {
  if (
    head.length >= 8 &&
    head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (
    head.length >= 12 &&
    head.toString('latin1', 0, 4) === 'RIFF' &&
    head.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'image/webp';
  return null;
}

/** Width and height from the file's header; null when the header is not understood. */
export function imageDimensions(
  bytes: Buffer,
  type: VideoImage['mimeType'],
): { width: number; height: number } | null {
  if (type === 'image/png' && bytes.length >= 24) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (type === 'image/webp' && bytes.length >= 30) {
    const chunk = bytes.toString('latin1', 12, 16);
    if (chunk === 'VP8X') return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
    if (chunk === 'VP8 ')
      return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
    if (chunk === 'VP8L') {
      const bits = bytes.readUInt32LE(21);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    return null;
  }
  if (type === 'image/jpeg') {
    let offset = 2;
    while (offset + 9 < bytes.length) {
      if (bytes[offset] !== 0xff) return null;
      const marker = bytes[offset + 1] ?? 0;
      const length = bytes.readUInt16BE(offset + 2);
      const isFrame =
        marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isFrame) return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
      offset += 2 + length;
    }
  }
  return null;
}

/** Reads an image the user chose; refuses anything whose first bytes are not PNG, JPEG or WebP. */
export async function readVideoImage(path: string, field: string): Promise<VideoImage> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) {
    throw new HubError({
      kind: 'invalid_input',
      message: `The image "${path}" does not exist.`,
      field,
      reason: { code: 'videoImageMissing', values: { path } },
    });
  }
  if (info.size > MAX_IMAGE_BYTES) {
    throw new HubError({
      kind: 'invalid_input',
      message: 'The image is larger than 10 MB.',
      field,
      reason: { code: 'videoImageTooBig', values: { limit: '10 MB' } },
    });
  }
  const handle = await open(path, 'r');
  const head = Buffer.alloc(16);
  try {
    await handle.read(head, 0, 16, 0);
  } finally {
    await handle.close();
  }
  const mimeType = sniffType(head);
  if (!mimeType) {
    throw new HubError({
      kind: 'invalid_input',
      message: `"${basename(path)}" is not a PNG, JPEG or WebP image.`,
      field,
      reason: { code: 'videoImageNotImage', values: { name: basename(path) } },
    });
  }
  const bytes = await readFile(path);
  const size = imageDimensions(bytes, mimeType);
  return { bytes, mimeType, name: basename(path), width: size?.width ?? null, height: size?.height ?? null };
}
