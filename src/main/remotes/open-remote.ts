import type { SyncTarget } from '../../shared/sync-target';
import { HubError } from '../base/errors';
import type { RemoteStore } from './remote-store';
import { S3Remote } from './s3-remote';
import { WebDavRemote } from './webdav-remote';

/** The store for a saved target; `secret` is the WebDAV password or the S3 secret access key, from the keychain. */
export function openRemote(target: SyncTarget, secret: string): RemoteStore {
  switch (target.kind) {
    case 'webdav':
      return new WebDavRemote({ url: target.url, user: target.user, password: secret });
    case 's3':
      return new S3Remote({
        endpoint: target.endpoint,
        bucket: target.bucket,
        region: target.region,
        prefix: target.prefix,
        accessKeyId: target.accessKeyId,
        secretAccessKey: secret,
        forcePathStyle: target.forcePathStyle,
      });
    case 'folder':
      throw new HubError({ kind: 'internal', message: 'A folder target is not opened as a network store.' });
  }
}
