import type { RemoteStore } from '../../remotes/remote-store';
import type { LibraryKeys } from './sync-crypto';

/** The `keys` object: the only one with a readable name and content (KDF parameters, the wrapped data key). */
export const KEYS_OBJECT = 'keys';

/**
 * Where things live on the remote. Every name but `keys` is an HMAC of its logical name under the library's key
 * (`h/` device heads, `c/` change sets, `s/` snapshots, `p/` their pointers), so the host learns neither device
 * ids nor how many change sets a device wrote; every object is sealed with its own remote key as associated data.
 */
export class RemoteLayout {
  /** Bytes moved, for the report. */
  bytesUp = 0;
  bytesDown = 0;

  constructor(
    private readonly remote: RemoteStore,
    private readonly keys: LibraryKeys,
  ) {}

  headKey(device: string): string {
    return `h/${this.keys.name(`head/${device}`)}`;
  }

  changeKey(device: string, seq: number): string {
    return `c/${this.keys.name(`change/${device}/${seq}`)}`;
  }

  snapshotKey(id: string): string {
    return `s/${this.keys.name(`snapshot/${id}`)}`;
  }

  /** The one pointer of a library compacted before snapshots had a pointer each (read, never written any more). */
  pointerKey(): string {
    return `p/${this.keys.name('snapshot')}`;
  }

  /** The pointer of snapshot `id`: what it covers. Each snapshot has its own, so two compactions never overwrite. */
  snapshotPointerKey(id: string): string {
    return `p/${this.keys.name(`pointer/${id}`)}`;
  }

  async pointerKeys(signal?: AbortSignal): Promise<string[]> {
    return (await this.remote.list('p/', signal)).map((object) => object.key);
  }

  async headKeys(signal?: AbortSignal): Promise<string[]> {
    return (await this.remote.list('h/', signal)).map((object) => object.key);
  }

  async put(key: string, payload: Uint8Array, signal?: AbortSignal): Promise<void> {
    const blob = this.keys.seal(key, payload);
    await this.remote.put(key, blob, signal);
    this.bytesUp += blob.length;
  }

  /** The payload, null when there is no such object; TamperedBlobError when it does not authenticate. */
  async get(key: string, signal?: AbortSignal): Promise<Uint8Array | null> {
    const blob = await this.remote.get(key, signal);
    if (!blob) return null;
    this.bytesDown += blob.length;
    return this.keys.open(key, blob);
  }

  delete(key: string, signal?: AbortSignal): Promise<void> {
    return this.remote.delete(key, signal);
  }
}
