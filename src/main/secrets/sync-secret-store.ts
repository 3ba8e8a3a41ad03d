import { KeychainEntries, type KeychainEntriesOptions } from './keychain-entries';

export const SYNC_PASSPHRASE_ENV_VAR = 'HUBDESK_SYNC_PASSPHRASE';
export const SYNC_SECRET_ENV_VAR = 'HUBDESK_SYNC_SECRET';

const PASSPHRASE_ACCOUNT = 'sync:passphrase';
const SECRET_ACCOUNT = 'sync:target-secret';

export interface SyncSecrets {
  passphrase: string;
  /** The WebDAV password or S3 secret access key; empty for a folder. */
  secret: string;
}

/**
 * The sync passphrase and the storage's secret, only in the system keychain (or, for a run, the environment):
 * never in the database, never synced.
 */
export class SyncSecretStore {
  private readonly entries: KeychainEntries;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: KeychainEntriesOptions & { env?: NodeJS.ProcessEnv } = {}) {
    this.entries = new KeychainEntries(
      'HubDesk keeps the sync passphrase and the storage password only in the system keychain',
      options,
    );
    this.env = options.env ?? {};
  }

  /** What this computer syncs with: the environment's values first, then the keychain's; null when none is kept. */
  async get(): Promise<SyncSecrets | null> {
    const passphrase =
      this.env[SYNC_PASSPHRASE_ENV_VAR] ||
      (await this.entries.get(PASSPHRASE_ACCOUNT, 'reading the sync passphrase'));
    if (!passphrase) return null;
    const secret =
      this.env[SYNC_SECRET_ENV_VAR] ||
      (await this.entries.get(SECRET_ACCOUNT, 'reading the sync storage password'));
    return { passphrase, secret: secret ?? '' };
  }

  async set(secrets: SyncSecrets): Promise<void> {
    await this.entries.set(PASSPHRASE_ACCOUNT, secrets.passphrase, 'keeping the sync passphrase');
    if (secrets.secret)
      await this.entries.set(SECRET_ACCOUNT, secrets.secret, 'keeping the sync storage password');
    else await this.entries.delete([SECRET_ACCOUNT], 'removing the sync storage password');
  }

  async clear(): Promise<void> {
    await this.entries.delete([PASSPHRASE_ACCOUNT, SECRET_ACCOUNT], 'removing the sync passphrase');
  }
}
