import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house of docs/architecture.md §The house, held by an allow-list: each room names every room and package it may
 * import; anything else is a violation, and so is a room the list does not know. A new dependency between rooms is a
 * decision made here, in review, not an accident.
 */
const root = join(import.meta.dirname, '..');

type Room =
  | 'shared'
  | 'main/base'
  | 'main/paths'
  | 'main/api'
  | 'main/store'
  | 'main/secrets'
  | 'main/files'
  | 'main/remotes'
  | 'main/services'
  | 'main/ipc'
  | 'main/cli'
  | 'main/core'
  | 'main/shell'
  | 'main/index'
  | 'preload'
  | 'renderer/app'
  | 'renderer/ui'
  | 'renderer/feature';

/** What an import points at: a room, `node` for a Node built-in, `pkg:<name>` for a package, `package.json`. */
type Target = Room | 'node' | 'package.json' | `pkg:${string}`;

const reactStack: Target[] = ['pkg:react', 'pkg:react-dom', 'pkg:react-i18next', 'pkg:i18next'];
const markdownStack: Target[] = [
  'pkg:react-markdown',
  'pkg:remark-gfm',
  'pkg:remark-math',
  'pkg:rehype-katex',
  'pkg:rehype-highlight',
  'pkg:react-virtuoso',
  'pkg:katex',
];

const allowList: Record<Room, readonly Target[]> = {
  shared: ['pkg:zod'],
  'main/base': ['shared', 'node', 'pkg:zod'],
  'main/paths': ['node'],
  'main/api': ['main/base', 'shared', 'node', 'pkg:undici', 'pkg:eventsource-parser', 'pkg:zod'],
  'main/store': ['main/base', 'shared', 'node', 'pkg:better-sqlite3', 'pkg:sqlite-vec', 'pkg:zod'],
  'main/secrets': ['main/base', 'shared', 'pkg:keytar'],
  'main/files': ['main/base', 'shared', 'node'],
  // Sync targets (issue 19): the user's own WebDAV server or S3-compatible bucket, behind remote-store.ts.
  'main/remotes': [
    'main/base',
    'shared',
    'node',
    'pkg:zod',
    'pkg:undici',
    'pkg:webdav',
    'pkg:@aws-sdk/client-s3',
  ],
  'main/services': [
    'main/base',
    'shared',
    'main/api',
    'main/store',
    'main/files',
    'main/secrets',
    'main/remotes',
    'main/paths',
    'node',
    'package.json',
    'pkg:zod',
    'pkg:i18next',
    // The official MCP client (issue 15): services/tools/ speaks to tool servers through it.
    'pkg:@modelcontextprotocol/sdk',
    // Knowledge bases (issue 17): PDF text per page, DOCX as HTML with its headings.
    'pkg:unpdf',
    'pkg:mammoth',
    'pkg:parse5',
  ],
  'main/ipc': [
    'main/base',
    'shared',
    'main/services',
    'main/files',
    'node',
    'pkg:zod',
    'pkg:ws',
    'pkg:electron',
  ],
  'main/cli': [
    'main/base',
    'shared',
    'main/services',
    'main/remotes',
    'main/store',
    'main/secrets',
    'main/core',
    'main/paths',
    'node',
  ],
  'main/core': [
    'main/base',
    'shared',
    'main/services',
    'main/remotes',
    'main/store',
    'main/secrets',
    'main/ipc',
    'main/paths',
    'package.json',
  ],
  'main/shell': ['shared', 'node', 'pkg:zod', 'pkg:electron'],
  'main/index': [
    'main/base',
    'shared',
    'main/core',
    'main/files',
    'main/ipc',
    'main/paths',
    'main/shell',
    'main/store',
    'node',
    'pkg:zod',
    'pkg:electron',
  ],
  preload: ['shared', 'pkg:electron'],
  'renderer/app': ['shared', 'renderer/ui', 'renderer/feature', ...reactStack],
  'renderer/ui': ['shared', 'renderer/app', ...reactStack],
  'renderer/feature': ['shared', 'renderer/ui', 'renderer/app', ...reactStack, ...markdownStack],
};

/** Files allowed to import `electron` (docs/architecture.md §Rules 1); the rooms above allow it for these only. */
const electronFiles = [
  /^src\/main\/index\.ts$/,
  /^src\/main\/shell\//,
  /^src\/main\/ipc\/electron-ipc\.ts$/,
  /^src\/preload\//,
];

const rendererFeatures = ['chat', 'knowledge', 'search', 'settings', 'transcribe', 'usage', 'videos'];

/** The room of a repo path under src/, or undefined for a folder the allow-list does not know. */
function roomOf(path: string): Room | undefined {
  if (path.startsWith('src/shared/')) return 'shared';
  if (path.startsWith('src/preload/')) return 'preload';
  const main = /^src\/main\/([^/]+)(\/)?/.exec(path);
  if (main) {
    const name = main[2] ? main[1] : main[1]?.replace(/\.tsx?$/, '');
    const room = `main/${name}`;
    return room in allowList ? (room as Room) : undefined;
  }
  const renderer = /^src\/renderer\/src\/([^/]+)(\/)?/.exec(path);
  if (renderer) {
    if (!renderer[2]) return 'renderer/app';
    if (renderer[1] === 'ui') return 'renderer/ui';
    return rendererFeatures.includes(renderer[1] ?? '') ? 'renderer/feature' : undefined;
  }
  return undefined;
}

function featureOf(path: string): string | undefined {
  const match = /^src\/renderer\/src\/([^/]+)\//.exec(path);
  return match && rendererFeatures.includes(match[1] ?? '') ? match[1] : undefined;
}

const nodeBuiltins = new Set([
  'fs',
  'fs/promises',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'stream',
  'stream/promises',
  'url',
  'util',
  'worker_threads',
  'events',
  'module',
  'zlib',
]);

/** An import specifier as a repo path (relative imports) or a Target for everything else. */
function resolveImport(file: string, specifier: string): string {
  if (specifier.startsWith('.'))
    return relative(root, join(root, file, '..', specifier)).replaceAll('\\', '/');
  if (specifier.startsWith('node:') || nodeBuiltins.has(specifier)) return 'node';
  const parts = specifier.split('/');
  return `pkg:${specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]}`;
}

function importsOf(text: string): string[] {
  const found = text.matchAll(
    /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g,
  );
  return [...found].map((match) => match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
}

interface SourceFile {
  path: string;
  imports: string[];
}

/** Every import in `files` that the allow-list does not allow, as `from → to (why)`. */
function layerViolations(files: SourceFile[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const from = roomOf(file.path);
    if (!from) {
      found.push(`${file.path} is in no room: add its folder to the allow-list in test/layers.test.ts`);
      continue;
    }
    for (const specifier of file.imports) {
      const resolved = resolveImport(file.path, specifier);
      if (/\.(css|svg|png|json)$/.test(resolved) && resolved.startsWith('src/')) continue;
      const to: Target | undefined =
        resolved === 'package.json' || !resolved.startsWith('src/') ? (resolved as Target) : roomOf(resolved);
      if (!to) {
        found.push(`${file.path} → ${specifier} (no room)`);
        continue;
      }
      if (to === from) {
        const [fromFeature, toFeature] = [featureOf(file.path), featureOf(resolved)];
        if (fromFeature !== toFeature)
          found.push(`${file.path} → ${specifier} (one feature imports another)`);
        continue;
      }
      if (!allowList[from].includes(to)) {
        found.push(`${file.path} → ${specifier} (${from} may not import ${to})`);
        continue;
      }
      if (to === 'pkg:electron' && !electronFiles.some((allowed) => allowed.test(file.path))) {
        found.push(`${file.path} → electron (only the shell knows Electron)`);
      }
    }
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const sources: SourceFile[] = sourceFiles(join(root, 'src')).map((file) => ({
  path: relative(root, file).replaceAll('\\', '/'),
  imports: importsOf(readFileSync(file, 'utf8')),
}));

describe('layers', () => {
  it('reads every source file and its imports', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.find((file) => file.path === 'src/main/core.ts')?.imports).toContain('./ipc/router');
  });

  it('knows the room of each folder, and that a folder it does not know is none', () => {
    expect(roomOf('src/main/services/chat/reply/reply-loop.ts')).toBe('main/services');
    expect(roomOf('src/main/paths.ts')).toBe('main/paths');
    expect(roomOf('src/renderer/src/ui/errors.tsx')).toBe('renderer/ui');
    expect(roomOf('src/renderer/src/App.tsx')).toBe('renderer/app');
    expect(roomOf('src/renderer/src/widgets/Thing.tsx')).toBeUndefined();
  });

  it('every import in src/ is one the allow-list allows', () => {
    expect(layerViolations(sources)).toEqual([]);
  });

  it('refuses an import against the grain, a feature importing another, electron outside the shell, an unknown room', () => {
    expect(
      layerViolations([
        { path: 'src/main/store/videos-repo.ts', imports: ['../api/video/types'] },
        { path: 'src/main/services/videos/submit.ts', imports: ['../../ipc/router', 'better-sqlite3'] },
        { path: 'src/shared/chat.ts', imports: ['node:fs'] },
        { path: 'src/renderer/src/videos/VideoDetail.tsx', imports: ['../chat/format'] },
        { path: 'src/main/ipc/routes.ts', imports: ['electron'] },
        { path: 'src/main/plugins/loader.ts', imports: [] },
      ]),
    ).toEqual([
      'src/main/store/videos-repo.ts → ../api/video/types (main/store may not import main/api)',
      'src/main/services/videos/submit.ts → ../../ipc/router (main/services may not import main/ipc)',
      'src/main/services/videos/submit.ts → better-sqlite3 (main/services may not import pkg:better-sqlite3)',
      'src/shared/chat.ts → node:fs (shared may not import node)',
      'src/renderer/src/videos/VideoDetail.tsx → ../chat/format (one feature imports another)',
      'src/main/ipc/routes.ts → electron (only the shell knows Electron)',
      'src/main/plugins/loader.ts is in no room: add its folder to the allow-list in test/layers.test.ts',
    ]);
  });

  it('allows what the house allows: a service on a repository, a feature on ui/, the shell on electron', () => {
    expect(
      layerViolations([
        {
          path: 'src/main/services/videos/submit.ts',
          imports: ['../../store/videos-repo', '../../base/errors'],
        },
        { path: 'src/renderer/src/videos/VideoDetail.tsx', imports: ['../ui/errors', './helpers', 'react'] },
        { path: 'src/main/shell/menu.ts', imports: ['electron'] },
      ]),
    ).toEqual([]);
  });
});
