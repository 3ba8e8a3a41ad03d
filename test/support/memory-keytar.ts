import type { KeytarLike } from '../../src/main/secrets/token-store';

/** An in-memory keychain, for tests that are not about the keychain itself. */
export function memoryKeytar(): KeytarLike & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const key = (service: string, account: string) => `${service}\u0000${account}`;
  return {
    entries,
    async getPassword(service, account) {
      return entries.get(key(service, account)) ?? null;
    },
    async setPassword(service, account, password) {
      entries.set(key(service, account), password);
    },
    async deletePassword(service, account) {
      return entries.delete(key(service, account));
    },
  };
}

/** A keychain that fails the way keytar does on Linux without a Secret Service. */
export function unreachableKeytar(): KeytarLike {
  const fail = async (): Promise<never> => {
    throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
  };
  return { getPassword: fail, setPassword: fail, deletePassword: fail };
}
