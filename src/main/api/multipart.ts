import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { HubError } from '../base/errors';
import type { UploadBody } from './api-call';

export interface MultipartFile {
  field: string;
  /** The name the server sees (its extension may matter to it). */
  fileName: string;
  contentType: string;
  path: string;
  /** The size checked before sending; a file that changes meanwhile fails the upload. */
  size: number;
}

const CHUNK_BYTES = 1024 * 1024;

function quoted(value: string): string {
  // RFC 7578 §4.2: quote the name; percent-encode what would break the header line.
  return value.replace(/[\r\n"%]/g, (char) => encodeURIComponent(char));
}

/**
 * A multipart/form-data body of text fields and one file, read from disk in 1 MiB chunks as it is sent:
 * memory stays flat for any file size, and the length is known up front (Content-Length).
 */
export function multipartUpload(
  fields: [name: string, value: string][],
  file: MultipartFile,
  onProgress?: UploadBody['onProgress'],
): UploadBody {
  const boundary = `----HubDesk${randomBytes(12).toString('hex')}`;
  const encoder = new TextEncoder();
  const head = encoder.encode(
    fields
      .map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`,
      )
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.field)}"; ` +
      `filename="${quoted(file.fileName)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const body: UploadBody = {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: head.byteLength + file.size + tail.byteLength,
    open() {
      const changed = () =>
        new HubError({
          kind: 'invalid_input',
          message: `“${file.fileName}” changed while it was being sent (${file.size} bytes expected). Try again.`,
          reason: { code: 'fileChangedWhileSending', values: { name: file.fileName, size: file.size } },
        });
      let read = 0;
      const framed = new Transform({
        highWaterMark: CHUNK_BYTES,
        transform(chunk: Buffer, _encoding, done) {
          read += chunk.byteLength;
          done(read > file.size ? changed() : null, chunk);
        },
        flush(done) {
          done(read !== file.size ? changed() : null, tail);
        },
      });
      framed.push(head);
      // One byte past the expected end is read, so that a file that grew is noticed.
      pipeline(createReadStream(file.path, { highWaterMark: CHUNK_BYTES, end: file.size }), framed, () => {});
      return framed;
    },
  };
  if (onProgress) body.onProgress = onProgress;
  return body;
}
