import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import * as fileMatcherModule from 'app-builder-lib/out/fileMatcher';
import { excludedExts, type FileMatcher, getFileMatchers } from 'app-builder-lib/out/fileMatcher';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_ID } from '../src/main/shell/notifications';

/**
 * The Electron binary cannot be downloaded here, so installers are not built in tests. Instead the configuration
 * goes through electron-builder's own loader, schema validation and file matchers, the code `npm run dist` runs.
 */
const root = resolve(import.meta.dirname, '..');
const outDir = join(root, 'dist');
/** electron-builder's file macros, as it expands them when it builds for this machine. */
const expand = (pattern: string) =>
  pattern.replace(/\$\{(platform|arch)\}/g, (_, name: 'platform' | 'arch') => process[name]);
type PathFilter = (file: string, stat: Pick<Stats, 'isDirectory'>) => boolean;

// electron-builder's own matchers for the app's files and for node_modules (internal, so typed here).
const internals = fileMatcherModule as unknown as {
  getMainFileMatchers(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformOptions: object,
    packager: { info: object },
    outDir: string,
    isElectronCompile: boolean,
  ): FileMatcher[];
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformOptions: object,
    packager: object,
  ): FileMatcher;
};

const asFile = { isDirectory: () => false };
let config: Configuration;
let inApp: PathFilter;
let inNodeModules: PathFilter;
let unpacked: PathFilter;

beforeAll(async () => {
  config = await getConfig(root, null, null);
  const debugLogger = new DebugLogger(false);
  const info = {
    projectDir: root,
    buildResourcesDir: config.directories?.buildResources ?? 'build',
    config,
    isPrepackedAppAsar: false,
    debugLogger,
  };
  const linux = config.linux ?? {};
  const [main] = internals.getMainFileMatchers(root, root, expand, linux, { info }, outDir, false);
  inApp = main!.createFilter() as PathFilter;
  inNodeModules = internals
    .getNodeModuleFileMatcher(root, root, expand, linux, info)
    .createFilter() as PathFilter;
  const unpack = getFileMatchers(config, 'asarUnpack', root, {
    macroExpander: expand,
    customBuildOptions: linux,
    globalOutDir: outDir,
    defaultSrc: root,
  });
  unpacked = unpack![0]!.createFilter() as PathFilter;
});

/** The installed production dependencies, each package folder once (package.json dependencies, transitively). */
function productionPackages(): string[] {
  const found = new Set<string>();
  const visit = (name: string, fromDir: string) => {
    for (let dir = fromDir; ; dir = resolve(dir, '..')) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        if (found.has(candidate)) return;
        found.add(candidate);
        const manifest = JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) as {
          dependencies?: Record<string, string>;
          optionalDependencies?: Record<string, string>;
        };
        for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
          visit(dep, candidate);
        }
        return;
      }
      if (dir === root || dir === resolve(dir, '..')) return; // an optional dependency for another OS
    }
  };
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const name of Object.keys(manifest.dependencies)) visit(name, root);
  return [...found];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

/** Machine code the OS must load from a real file: ELF, Mach-O or PE, whatever the file is called. */
function isNativeBinary(path: string): boolean {
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, head, 0, 4, 0) < 4) return false;
  } finally {
    closeSync(fd);
  }
  const magic = head.readUInt32BE(0);
  return (
    magic === 0x7f454c46 || // ELF
    [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic) || // Mach-O
    head.subarray(0, 2).toString('latin1') === 'MZ' // PE (.exe, .dll, .node on Windows)
  );
}

const relativeToRoot = (path: string) => path.slice(root.length + 1).replaceAll('\\', '/');

describe('electron-builder configuration', () => {
  it('is read from electron-builder.yml and passes electron-builder’s own schema check', async () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe('HubDesk');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The same check refuses a misspelt key, so a typo in the file fails here and not at packaging time.
    const misspelt = { ...config, electronFuse: config.electronFuses } as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/electronFuse/);
  });

  it('flips the Electron fuses that close the Node back doors, lock the app to its checked asar and encrypt cookies', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
    expect(config.asar).not.toBe(false);
  });

  it('builds AppImage and deb, dmg, and an NSIS installer, with the icon in resources/', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
    // keytar needs libsecret on Linux; deb packages also need a maintainer and a homepage.
    expect(config.deb?.depends).toContain('libsecret-1-0');
    expect(config.linux?.maintainer).toBeTruthy();
    expect(config.extraMetadata?.homepage).toMatch(/^https:\/\//);

    const icons = [config.icon, config.linux?.icon, config.mac?.icon, config.win?.icon].filter(
      (icon): icon is string => typeof icon === 'string',
    );
    expect(icons.length).toBeGreaterThan(0);
    for (const icon of icons) {
      // Resolved as electron-builder does: in the build resources folder, else from the project folder.
      const resources = join(root, config.directories?.buildResources ?? 'build');
      const path = [resolve(resources, icon), resolve(root, icon)].find((candidate) => existsSync(candidate));
      expect(path, `${icon} exists`).toBeDefined();
      expect(relativeToRoot(path!)).toMatch(/^resources\//);
      const png = readFileSync(path!);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      // macOS icons need 512×512 at least.
      expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
      expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
    }
  });

  it('packs the native modules as npm installed them: Node-API binaries serve Electron as they are', () => {
    // A rebuild in place would leave the checkout's modules built for Electron, breaking the CLI and the tests.
    expect(config.npmRebuild).toBe(false);
    const packedModule = (path: string) => inNodeModules(join(root, path), asFile);
    expect(packedModule('node_modules/keytar/build/Release/keytar.node')).toBe(true);
    // better-sqlite3's prebuilt binaries: the installer's own platform and architecture, no other.
    expect(
      packedModule(`node_modules/better-sqlite3/prebuilds/${process.platform}-${process.arch}.node`),
    ).toBe(true);
    const other = process.platform === 'win32' ? 'linux-x64' : 'win32-x64';
    expect(packedModule(`node_modules/better-sqlite3/prebuilds/${other}.node`)).toBe(false);
    expect(packedModule('node_modules/better-sqlite3/deps/sqlite3/sqlite3.c')).toBe(false);
  });

  it('packs the electron-vite build and the window icon, and leaves tests, sources and the web harness out', () => {
    const packed = (path: string) => inApp(join(root, path), asFile);
    for (const path of [
      'out/main/index.js',
      'out/main/extract-worker.js',
      'out/main/chunks/document-kinds.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index.js',
      'resources/icon.png',
      'package.json',
    ]) {
      expect(packed(path), path).toBe(true);
    }
    for (const path of [
      'test/packaging.test.ts',
      'test/fake-proxy/server.ts',
      'src/main/index.ts',
      'src/renderer/src/App.tsx',
      'out/web/index.html',
      'out/main/index.js.map',
      'bench/run.ts',
      'scripts/demo.ts',
      'electron-builder.yml',
      'README.md',
      'dist/HubDesk-0.1.0.AppImage',
    ]) {
      expect(packed(path), path).toBe(false);
    }
    // Dependencies the app never loads stay out; the ones it loads stay in.
    expect(inNodeModules(join(root, 'node_modules/tsx/dist/cli.mjs'), asFile)).toBe(false);
    expect(inNodeModules(join(root, 'node_modules/@esbuild/linux-x64/bin/esbuild'), asFile)).toBe(false);
    expect(inNodeModules(join(root, 'node_modules/better-sqlite3/lib/index.js'), asFile)).toBe(true);
    // The extraction worker loads these from inside app.asar (Electron reads asar in worker threads).
    expect(inNodeModules(join(root, 'node_modules/unpdf/package.json'), asFile)).toBe(true);
    expect(inNodeModules(join(root, 'node_modules/mammoth/package.json'), asFile)).toBe(true);
    expect(inNodeModules(join(root, 'node_modules/parse5/package.json'), asFile)).toBe(true);
  });

  it('unpacks from the asar every native binary the installed production dependencies ship', () => {
    const skipped = new Set(excludedExts.split(','));
    const binaries = productionPackages()
      .flatMap(filesUnder)
      .filter((path) => inNodeModules(path, statSync(path)))
      .filter((path) => !skipped.has(path.split('.').pop() ?? ''))
      .filter(isNativeBinary)
      .map(relativeToRoot);
    // What this machine has installed: better-sqlite3's prebuilt binary, keytar's module, sqlite-vec, ffmpeg, ffprobe.
    expect(binaries).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^node_modules\/better-sqlite3\/prebuilds\/[a-z0-9]+-[a-z0-9]+\.node$/),
        expect.stringMatching(/^node_modules\/keytar\/build\/Release\/keytar\.node$/),
        expect.stringMatching(/^node_modules\/sqlite-vec-[a-z0-9]+-[a-z0-9]+\/vec0\.(so|dylib|dll)$/),
        expect.stringMatching(/^node_modules\/@ffmpeg-installer\/[a-z0-9]+-[a-z0-9]+\/ffmpeg(\.exe)?$/),
        expect.stringMatching(/^node_modules\/@ffprobe-installer\/[a-z0-9]+-[a-z0-9]+\/ffprobe(\.exe)?$/),
      ]),
    );
    const left = binaries.filter((path) => !unpacked(join(root, path), asFile));
    expect(left).toEqual([]);
    // The patterns are not "everything": JavaScript stays inside the archive.
    expect(unpacked(join(root, 'node_modules/better-sqlite3/lib/index.js'), asFile)).toBe(false);
    // And each OS's file names are covered, not only this machine's.
    for (const path of [
      'node_modules/sqlite-vec-darwin-arm64/vec0.dylib',
      'node_modules/sqlite-vec-windows-x64/vec0.dll',
      'node_modules/@ffmpeg-installer/win32-x64/ffmpeg.exe',
      'node_modules/@ffprobe-installer/darwin-arm64/ffprobe',
    ]) {
      expect(unpacked(join(root, path), asFile), path).toBe(true);
    }
  });

  it('has npm scripts that build the app before packaging it', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // A better-sqlite3 binary for this machine is made sure of (compiled where none ships) before packaging.
    expect(scripts.dist).toMatch(
      /^npm run build && tsx scripts\/prepare-electron\.ts --no-binary && electron-builder\b/,
    );
    expect(scripts['dist:linux']).toMatch(/electron-builder --linux\b/);
    expect(scripts['dist:mac']).toMatch(/electron-builder --mac\b/);
    expect(scripts['dist:win']).toMatch(/electron-builder --win\b/);
    expect(scripts.build).toMatch(/electron-vite build/);
  });
});
