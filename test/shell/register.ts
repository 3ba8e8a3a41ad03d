/**
 * Loaded with `node --import` before the built main bundle: `electron` resolves to the recording stand-in, and
 * `process.platform` reads as SHELL_STANDIN_PLATFORM when set, so one Linux machine runs the bundle as it starts
 * on macOS, Windows and Linux. Node's own modules decided their platform when they loaded (path stays POSIX);
 * what changes is every `process.platform` the bundle and its libraries read from here on.
 */
import nodeModule from 'node:module';

type ResolveResult = { url: string; format?: string | null; shortCircuit?: boolean };
type ResolveHook = (
  specifier: string,
  context: unknown,
  nextResolve: (specifier: string, context: unknown) => ResolveResult,
) => ResolveResult;

// Node 24's synchronous hooks (Node >= 22.15).
const { registerHooks } = nodeModule as unknown as {
  registerHooks?: (hooks: { resolve: ResolveHook }) => unknown;
};
if (!registerHooks) throw new Error(`module.registerHooks is missing: Node ${process.version} is too old`);

const standIn = new URL('./electron-stand-in.ts', import.meta.url).href;
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: standIn, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});

const platform = process.env.SHELL_STANDIN_PLATFORM;
if (platform) {
  // Native binaries are this machine's: better-sqlite3 picks its prebuilt binary by process.platform when it first
  // opens a database, so it opens one while the platform is still the real one (the bundle shares the cached addon).
  const Database = nodeModule.createRequire(import.meta.url)('better-sqlite3') as new (
    file: string,
  ) => {
    close(): void;
  };
  new Database(':memory:').close();
  Object.defineProperty(process, 'platform', { value: platform, enumerable: true });
}
