import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of docs/architecture.md §The picture, held by a check: contract ← renderer; contract ← routes →
 * services → api | store | secrets | files. Only the shell knows Electron.
 */
const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ];
  return found.map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

/** An import as a repo path (for relative ones) or a package name. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return relative(root, join(file, '..', specifier)).replaceAll('\\', '/');
}

const files = sourceFiles(join(root, 'src')).map((file) => ({
  path: relative(root, file).replaceAll('\\', '/'),
  targets: importsOf(file).map((specifier) => target(file, specifier)),
}));

const electronAllowed = [
  /^src\/main\/index\.ts$/,
  /^src\/main\/shell\//,
  /^src\/main\/ipc\/electron-ipc\.ts$/,
  /^src\/preload\//,
];
const nodeBuiltin =
  /^node:|^(fs|path|os|child_process|crypto|http|https|net|stream|url|util|worker_threads)$/;

function violations(fileFilter: RegExp, forbidden: (target: string) => boolean): string[] {
  return files
    .filter((file) => fileFilter.test(file.path))
    .flatMap((file) => file.targets.filter(forbidden).map((t) => `${file.path} → ${t}`));
}

describe('layers', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('only the shell imports electron', () => {
    const offenders = files
      .filter((file) => !electronAllowed.some((allowed) => allowed.test(file.path)))
      .flatMap((file) =>
        file.targets.filter((t) => t === 'electron' || t.startsWith('electron/')).map(() => file.path),
      );
    expect(offenders).toEqual([]);
  });

  it('the renderer imports neither main, preload nor Node', () => {
    expect(
      violations(
        /^src\/renderer\//,
        (t) => t.startsWith('src/main') || t.startsWith('src/preload') || nodeBuiltin.test(t),
      ),
    ).toEqual([]);
  });

  it('shared imports only shared code and zod', () => {
    expect(violations(/^src\/shared\//, (t) => !(t.startsWith('src/shared') || t === 'zod'))).toEqual([]);
  });

  it('api, store, secrets and files never import services, routes, the CLI or the shell', () => {
    expect(
      violations(/^src\/main\/(api|store|secrets|files)\//, (t) =>
        /^src\/main\/(services|ipc|cli|shell|core|index)/.test(t),
      ),
    ).toEqual([]);
  });

  it('services never import routes, transports, the CLI or the shell', () => {
    expect(
      violations(/^src\/main\/services\//, (t) => /^src\/main\/(ipc|cli|shell|core|index)/.test(t)),
    ).toEqual([]);
  });
});
