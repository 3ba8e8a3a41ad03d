/**
 * How a big file lies on a WebDAV server (see webdav-remote.ts): numbered parts `<key>~<partSize>.000001`… and a
 * manifest `<key>~<partSize>.manifest` written last. `~` never occurs in a valid key, so no object is mistaken for
 * a part, and the part size in the name keeps parts of an attempt with another part size apart.
 */
import type { FileStat } from 'webdav';
import { z } from 'zod';
import type { RemoteObject } from './remote-store';

export const partPattern = /^(.*)~(\d+)\.(\d{6}|manifest)$/;

export const manifestSchema = z.object({
  format: z.literal(1),
  size: z.number().int().nonnegative(),
  partSize: z.number().int().positive(),
  parts: z.number().int().positive(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function partKey(key: string, partSize: number, index: number): string {
  return `${key}~${partSize}.${String(index).padStart(6, '0')}`;
}

export function manifestKey(key: string, partSize: number): string {
  return `${key}~${partSize}.manifest`;
}

/** Files of a listing as objects: parts and manifests fold into the object they make, unfinished ones are left out. */
export function objectsOf(files: FileStat[]): RemoteObject[] {
  const plain: RemoteObject[] = [];
  const partBytes = new Map<string, number>();
  const finished = new Set<string>();
  for (const file of files) {
    const key = file.filename.replace(/^\/+/, '');
    const match = partPattern.exec(key);
    if (!match) {
      plain.push({ key, size: file.size });
      continue;
    }
    const layout = `${match[1]}~${match[2]}`;
    if (match[3] === 'manifest') finished.add(layout);
    else partBytes.set(layout, (partBytes.get(layout) ?? 0) + file.size);
  }
  const parted = [...finished].map((layout) => ({
    key: layout.slice(0, layout.lastIndexOf('~')),
    size: partBytes.get(layout) ?? 0,
  }));
  return [...plain, ...parted];
}
