import type { SyncTarget } from '../../shared/sync-target';
import type { Clock } from '../base/clock';
import { FolderRemote } from './folder-remote';
import type { RemoteStore } from './remote-store';
import { S3Remote } from './s3-remote';
import { WebDavRemote } from './webdav-remote';

export interface OpenRemoteOptions {
  /** Big files go up in parts of this size (tests use small ones to cut an upload between parts). */
  partSize?: number;
  /** The clock S3 requests are signed with. */
  clock?: Clock;
}

/** The store for a saved target; `secret` is the WebDAV password or the S3 secret access key, from the keychain. */
export function openRemote(target: SyncTarget, secret: string, options: OpenRemoteOptions = {}): RemoteStore {
  switch (target.kind) {
    case 'webdav':
      return new WebDavRemote({
        url: target.url,
        user: target.user,
        password: secret,
        partSize: options.partSize,
      });
    case 's3':
      return new S3Remote({
        endpoint: target.endpoint,
        bucket: target.bucket,
        region: target.region,
        prefix: target.prefix,
        accessKeyId: target.accessKeyId,
        secretAccessKey: secret,
        forcePathStyle: target.forcePathStyle,
        partSize: options.partSize,
        clock: options.clock,
      });
    case 'folder':
      return new FolderRemote(target.path);
  }
}
