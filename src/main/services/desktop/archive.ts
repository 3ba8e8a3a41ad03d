/**
 * The backup archive: one file HubDesk writes and reads with Node alone (no tar or zip package).
 *
 *   "HUBDESK-BACKUP 1\n"                  header
 *   <bytes of each file, back to back>    in manifest order
 *   <manifest JSON>                       { format, version, createdAt, files: [{ path, size, sha256 }] }
 *   "\nHUBDESK-MANIFEST <16 hex: manifest length> <64 hex: manifest sha256>\n"   footer, always 100 bytes
 *
 * The manifest sits at the end so the archive is written in one pass, hashing as it goes. A reader checks the
 * footer, the manifest's own checksum, that header + files + manifest + footer add up to the file's size, and
 * then every file's SHA-256 while extracting: a corrupt or truncated archive is refused.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { HubError } from '../../base/errors';

const HEADER = 'HUBDESK-BACKUP 1\n';
const FOOTER_TAG = '\nHUBDESK-MANIFEST ';
const FOOTER_BYTES = FOOTER_TAG.length + 16 + 1 + 64 + 1;
const FORMAT = 'hubdesk-backup';

export interface ArchiveEntry {
  /** Where the file goes in the data folder, with `/` separators. */
  path: string;
  size: number;
  sha256: string;
}

export interface ArchiveManifest {
  format: typeof FORMAT;
  version: 1;
  createdAt: number;
  files: ArchiveEntry[];
}

export interface ArchiveSource {
  path: string;
  /** The file on disk to read. */
  file: string;
}

/** Writes the archive to `target` (through `target.part`, renamed when whole); `onBytes` gets bytes written. */
export async function writeArchive(
  target: string,
  sources: ArchiveSource[],
  onBytes: (bytes: number) => void,
  now: number = Date.now(),
): Promise<{ bytes: number; files: number }> {
  const partial = `${target}.part`;
  const handle = await fsp.open(partial, 'w', 0o600);
  const files: ArchiveEntry[] = [];
  let written = 0;
  try {
    await handle.write(HEADER);
    written += Buffer.byteLength(HEADER);
    for (const source of sources) {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of fs.createReadStream(source.file)) {
        const buffer = chunk as Buffer;
        hash.update(buffer);
        await handle.write(buffer);
        size += buffer.length;
        onBytes(buffer.length);
      }
      files.push({ path: source.path, size, sha256: hash.digest('hex') });
      written += size;
    }
    const manifest: ArchiveManifest = { format: FORMAT, version: 1, createdAt: now, files };
    const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');
    const footer = `${FOOTER_TAG}${manifestBytes.length.toString(16).padStart(16, '0')} ${sha256(manifestBytes)}\n`;
    await handle.write(manifestBytes);
    await handle.write(footer);
    written += manifestBytes.length + footer.length;
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fsp.rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await fsp.rename(partial, target);
  return { bytes: written, files: files.length };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

type Damage = 'backupCutOff' | 'backupNotABackup' | 'backupContentsDamaged' | 'backupFileDamaged';

/** A backup refused: `why` finishes main's sentence; `damage` (and the file it names) words it in the window. */
function damaged(source: string, why: string, damage: Damage, file?: string): HubError {
  const name = path.basename(source);
  return new HubError({
    kind: 'invalid_input',
    field: 'source',
    message: `${name} is not a usable HubDesk backup: ${why}. Nothing was changed.`,
    reason: { code: damage, values: { name, ...(file !== undefined ? { file } : {}) } },
  });
}

/** Reads and checks the manifest (footer, checksum, sizes adding up to the file's length); no file is hashed yet. */
export async function readManifest(source: string): Promise<ArchiveManifest> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(source, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HubError({
      kind: code === 'ENOENT' ? 'not_found' : 'invalid_input',
      field: 'source',
      message:
        code === 'ENOENT'
          ? `There is no file at ${source}.`
          : `${source} cannot be read (${code ?? 'error'}).`,
      reason:
        code === 'ENOENT'
          ? { code: 'kbNoSuchPath', values: { path: source } }
          : { code: 'fileFailedAt', values: { cause: code ?? 'EIO', path: source } },
    });
  }
  try {
    const { size } = await handle.stat();
    if (size < HEADER.length + FOOTER_BYTES)
      throw damaged(source, 'it is too short (cut off?)', 'backupCutOff');
    const header = Buffer.alloc(HEADER.length);
    await handle.read(header, 0, header.length, 0);
    if (header.toString('latin1') !== HEADER)
      throw damaged(source, 'it does not start like one', 'backupNotABackup');
    const footer = Buffer.alloc(FOOTER_BYTES);
    await handle.read(footer, 0, FOOTER_BYTES, size - FOOTER_BYTES);
    const match = /^\nHUBDESK-MANIFEST ([0-9a-f]{16}) ([0-9a-f]{64})\n$/.exec(footer.toString('latin1'));
    if (!match?.[1] || !match[2])
      throw damaged(source, 'its end is missing (the file was cut off)', 'backupCutOff');
    const manifestLength = Number.parseInt(match[1], 16);
    const manifestStart = size - FOOTER_BYTES - manifestLength;
    if (manifestStart < HEADER.length)
      throw damaged(source, 'its table of contents is out of place', 'backupContentsDamaged');
    const manifestBytes = Buffer.alloc(manifestLength);
    await handle.read(manifestBytes, 0, manifestLength, manifestStart);
    if (sha256(manifestBytes) !== match[2])
      throw damaged(source, 'its table of contents is damaged', 'backupContentsDamaged');
    const manifest = parseManifest(manifestBytes.toString('utf8'));
    if (!manifest)
      throw damaged(source, 'its table of contents is not one HubDesk can read', 'backupContentsDamaged');
    const filesBytes = manifest.files.reduce((sum, file) => sum + file.size, 0);
    if (HEADER.length + filesBytes !== manifestStart)
      throw damaged(source, 'its files do not add up to its size', 'backupContentsDamaged');
    return manifest;
  } finally {
    await handle.close();
  }
}

function parseManifest(text: string): ArchiveManifest | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (record.format !== FORMAT || record.version !== 1 || !Array.isArray(record.files)) return null;
  const seen = new Set<string>();
  const files: ArchiveEntry[] = [];
  for (const item of record.files as unknown[]) {
    if (typeof item !== 'object' || item === null) return null;
    const { path: filePath, size, sha256: hash } = item as Record<string, unknown>;
    if (typeof filePath !== 'string' || !isSafeRelativePath(filePath) || seen.has(filePath)) return null;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return null;
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return null;
    seen.add(filePath);
    files.push({ path: filePath, size, sha256: hash });
  }
  return { format: FORMAT, version: 1, createdAt: Number(record.createdAt) || 0, files };
}

/** A `/`-separated path that stays inside the folder it is extracted to. */
export function isSafeRelativePath(value: string): boolean {
  if (value === '' || value.length > 1000 || value.includes('\0') || value.includes('\\')) return false;
  if (value.startsWith('/') || /^[a-zA-Z]:/.test(value)) return false;
  return value.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * Extracts every file `take` accepts into `dir` (which must be empty or absent), checking each file's size and
 * SHA-256 as it goes; the others are skipped. Throws at the first mismatch; the caller removes `dir`.
 */
export async function extractArchive(
  source: string,
  manifest: ArchiveManifest,
  dir: string,
  onBytes: (bytes: number) => void,
  take: (relativePath: string) => boolean = () => true,
): Promise<void> {
  let offset = HEADER.length;
  for (const entry of manifest.files) {
    if (!take(entry.path)) {
      offset += entry.size;
      continue;
    }
    const target = path.join(dir, ...entry.path.split('/'));
    await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const hash = createHash('sha256');
    const out = await fsp.open(target, 'wx', 0o600);
    let size = 0;
    try {
      if (entry.size > 0) {
        const stream = fs.createReadStream(source, { start: offset, end: offset + entry.size - 1 });
        for await (const chunk of stream) {
          const buffer = chunk as Buffer;
          hash.update(buffer);
          await out.write(buffer);
          size += buffer.length;
          onBytes(buffer.length);
        }
      }
    } finally {
      await out.close();
    }
    if (size !== entry.size)
      throw damaged(source, `${entry.path} is cut off`, 'backupFileDamaged', entry.path);
    if (hash.digest('hex') !== entry.sha256)
      throw damaged(source, `${entry.path} does not match its checksum`, 'backupFileDamaged', entry.path);
    offset += entry.size;
  }
}
