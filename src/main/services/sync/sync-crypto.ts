import { argon2, createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { HubError } from '../../base/errors';

/** The remote layout and formats this HubDesk writes and reads; a remote with a higher number is refused. */
export const SYNC_FORMAT = 1;

/** Argon2id, as OWASP's first choice: 64 MiB, 3 passes, one lane. */
export const defaultKdf = { memoryKiB: 65_536, passes: 3, parallelism: 1 } as const;
export type KdfParams = { memoryKiB: number; passes: number; parallelism: number };

const BLOB_VERSION = 1;
const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const KEY_WRAP_AAD = 'hubdesk-sync/keys';
const SMALL_LIMIT = 64 * 1024;

/** The `keys` object: readable by anyone, useless without the passphrase. */
const keysObjectSchema = z.object({
  format: z.number().int(),
  library: z.string(),
  kdf: z.object({
    algorithm: z.literal('argon2id'),
    memoryKiB: z.number().int().positive(),
    passes: z.number().int().positive(),
    parallelism: z.number().int().positive(),
    salt: z.string(),
  }),
  wrapped: z.object({ nonce: z.string(), data: z.string() }),
});

/** A blob that failed authentication: wrong key, changed bytes, or moved from another name. */
export class TamperedBlobError extends Error {
  override readonly name = 'TamperedBlobError';
}

export function newerFormatError(format: number): HubError {
  return new HubError({
    kind: 'invalid_input',
    code: 'sync_newer_format',
    reason: { code: 'syncNewerFormat', values: { format } },
    message: `This sync storage was written by a newer HubDesk (format ${format}; this one reads up to ${SYNC_FORMAT}). Update HubDesk on this computer before syncing with it.`,
  });
}

/**
 * The library's keys once unlocked: objects are sealed with AES-256-GCM under a key derived from the random data key,
 * and named by an HMAC of their logical name, so the host sees neither content, sizes nor names.
 */
export class LibraryKeys {
  private readonly sealKey: Buffer;
  private readonly nameKey: Buffer;

  constructor(
    readonly library: string,
    dataKey: Uint8Array,
  ) {
    this.sealKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'hubdesk-sync seal', 32));
    this.nameKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'hubdesk-sync names', 32));
  }

  /** The opaque name of a logical object name (`change/<device>/<seq>`, `head/<device>`, …). */
  name(logical: string): string {
    return createHmac('sha256', this.nameKey).update(logical).digest('hex').slice(0, 32);
  }

  /**
   * One chunk of a media file, not compressed. The nonce is derived from the file's hash and the chunk's place, so
   * sealing the same file again gives the same bytes (an interrupted upload continues where it stopped); a key and
   * nonce pair only ever seals that one chunk of that one content.
   */
  sealChunk(remoteKey: string, place: string, plaintext: Uint8Array): Buffer {
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, this.chunkNonce(remoteKey, place));
    cipher.setAAD(Buffer.from(`${remoteKey}/${place}`));
    return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  }

  openChunk(remoteKey: string, place: string, sealed: Uint8Array): Buffer {
    const bytes = Buffer.from(sealed);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey, this.chunkNonce(remoteKey, place));
      decipher.setAAD(Buffer.from(`${remoteKey}/${place}`));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new TamperedBlobError(`The object ${remoteKey} failed authentication.`);
    }
  }

  private chunkNonce(remoteKey: string, place: string): Buffer {
    return createHmac('sha256', this.nameKey)
      .update(`nonce/${remoteKey}/${place}`)
      .digest()
      .subarray(0, NONCE_BYTES);
  }

  /** Compressed, padded to a rounded size, encrypted with a fresh nonce; the remote key is the associated data. */
  seal(remoteKey: string, payload: Uint8Array): Uint8Array {
    const packed = deflateRawSync(payload);
    const padded = Buffer.alloc(paddedSize(4 + packed.length));
    padded.writeUInt32BE(packed.length, 0);
    Buffer.from(packed).copy(padded, 4);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, nonce);
    cipher.setAAD(Buffer.from(remoteKey));
    const body = Buffer.concat([cipher.update(padded), cipher.final()]);
    return Buffer.concat([Buffer.from([BLOB_VERSION]), nonce, body, cipher.getAuthTag()]);
  }

  /** The payload, or TamperedBlobError when the blob does not authenticate under this key and name. */
  open(remoteKey: string, blob: Uint8Array): Uint8Array {
    const bytes = Buffer.from(blob);
    if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES + 4 || bytes[0] !== BLOB_VERSION)
      throw new TamperedBlobError(`The object ${remoteKey} is not a HubDesk sync blob.`);
    const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
    let padded: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey, nonce);
      decipher.setAAD(Buffer.from(remoteKey));
      decipher.setAuthTag(tag);
      padded = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new TamperedBlobError(`The object ${remoteKey} failed authentication.`);
    }
    const length = padded.readUInt32BE(0);
    return inflateRawSync(padded.subarray(4, 4 + length));
  }
}

/** The next power of two up to 64 KiB, then the next multiple of 64 KiB. */
export function paddedSize(size: number): number {
  if (size > SMALL_LIMIT) return Math.ceil(size / SMALL_LIMIT) * SMALL_LIMIT;
  let rounded = 256;
  while (rounded < size) rounded *= 2;
  return rounded;
}

function deriveWrapKey(passphrase: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2(
      'argon2id',
      {
        message: Buffer.from(passphrase.normalize('NFC')),
        nonce: salt,
        parallelism: kdf.parallelism,
        tagLength: 32,
        memory: kdf.memoryKiB,
        passes: kdf.passes,
      },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** A new library: a random data key, wrapped under the passphrase, as the `keys` object's bytes. */
export async function createLibraryKeys(
  passphrase: string,
  kdf: KdfParams = defaultKdf,
): Promise<{ keys: LibraryKeys; object: Uint8Array }> {
  const dataKey = randomBytes(32);
  const salt = randomBytes(16);
  const library = randomBytes(12).toString('hex');
  const wrapKey = await deriveWrapKey(passphrase, salt, kdf);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', wrapKey, nonce);
  cipher.setAAD(Buffer.from(`${KEY_WRAP_AAD}/${library}`));
  const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  const object = {
    format: SYNC_FORMAT,
    library,
    kdf: { algorithm: 'argon2id', ...kdf, salt: salt.toString('base64') },
    wrapped: { nonce: nonce.toString('base64'), data: wrapped.toString('base64') },
  } satisfies z.infer<typeof keysObjectSchema>;
  return { keys: new LibraryKeys(library, dataKey), object: Buffer.from(JSON.stringify(object)) };
}

/** Unwraps the data key; a wrong passphrase (the wrap fails authentication) and a newer format are refused. */
export async function unlockLibraryKeys(object: Uint8Array, passphrase: string): Promise<LibraryKeys> {
  let parsed: z.infer<typeof keysObjectSchema>;
  try {
    const json = JSON.parse(Buffer.from(object).toString('utf8')) as { format?: unknown };
    if (typeof json.format === 'number' && json.format > SYNC_FORMAT) throw newerFormatError(json.format);
    parsed = keysObjectSchema.parse(json);
  } catch (error) {
    if (error instanceof HubError) throw error;
    throw new HubError({
      kind: 'invalid_input',
      code: 'sync_damaged_keys',
      reason: { code: 'syncDamagedKeys', values: {} },
      message:
        'The sync storage has a damaged "keys" object, so HubDesk cannot read it. Nothing was changed.',
    });
  }
  const { kdf, wrapped } = parsed;
  const wrapKey = await deriveWrapKey(passphrase, Buffer.from(kdf.salt, 'base64'), kdf);
  const data = Buffer.from(wrapped.data, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', wrapKey, Buffer.from(wrapped.nonce, 'base64'));
    decipher.setAAD(Buffer.from(`${KEY_WRAP_AAD}/${parsed.library}`));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const dataKey = Buffer.concat([
      decipher.update(data.subarray(0, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return new LibraryKeys(parsed.library, dataKey);
  } catch {
    throw new HubError({
      kind: 'auth',
      code: 'sync_wrong_passphrase',
      reason: { code: 'syncWrongPassphrase', values: {} },
      message:
        'The sync passphrase is not the one this library was set up with. Nothing was read or written; enter the passphrase used on your other computer.',
    });
  }
}
