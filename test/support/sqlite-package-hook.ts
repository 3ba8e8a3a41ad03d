/**
 * Loaded with `node --import` before the CLI: `better-sqlite3` resolves to the copy of the package named by
 * HUBDESK_TEST_SQLITE_PACKAGE (a test's copy with a damaged binary), so the CLI meets a module that will not load
 * without the project's own node_modules being touched.
 */
import nodeModule from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type ResolveResult = { url: string; format?: string | null; shortCircuit?: boolean };
const { registerHooks } = nodeModule as unknown as {
  registerHooks: (hooks: {
    resolve: (
      specifier: string,
      context: unknown,
      next: (specifier: string, context: unknown) => ResolveResult,
    ) => ResolveResult;
  }) => unknown;
};

const copy = process.env.HUBDESK_TEST_SQLITE_PACKAGE;
if (copy) {
  const files: Record<string, string> = {
    'better-sqlite3': join(copy, 'lib', 'index.js'),
    'better-sqlite3/package.json': join(copy, 'package.json'),
  };
  registerHooks({
    resolve(specifier, context, next) {
      const file = files[specifier];
      return file
        ? { url: pathToFileURL(file).href, format: 'commonjs', shortCircuit: true }
        : next(specifier, context);
    },
  });
}
