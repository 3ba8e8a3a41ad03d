/** Float32 vectors as bytes: how embeddings are stored in SQLite, read by sqlite-vec and sent as base64. */
import { endianness } from 'node:os';

const LITTLE_ENDIAN = endianness() === 'LE';

/** Little-endian float32 bytes, as stored in SQLite and read by sqlite-vec. */
export function vectorToBlob(vector: Float32Array): Buffer {
  if (LITTLE_ENDIAN)
    return Buffer.from(vector.buffer.slice(vector.byteOffset, vector.byteOffset + vector.byteLength));
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i] ?? 0, i * 4);
  return bytes;
}

export function blobToVector(blob: Uint8Array): Float32Array {
  if (LITTLE_ENDIAN) {
    const copy = new Uint8Array(blob.byteLength - (blob.byteLength % 4));
    copy.set(blob.subarray(0, copy.byteLength));
    return new Float32Array(copy.buffer);
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const vector = new Float32Array(Math.floor(blob.byteLength / 4));
  for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
  return vector;
}

/** One bit a dimension, set where the value is positive: the coarse form of a vector compared by Hamming distance. */
export function signBits(vector: Float32Array): Buffer {
  const bits = Buffer.alloc(Math.ceil(vector.length / 8));
  for (let i = 0; i < vector.length; i++) {
    if ((vector[i] ?? 0) > 0) bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
  }
  return bits;
}
