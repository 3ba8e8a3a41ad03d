import { accessSync, constants, statSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { type DetectedEditor, type EditorId, editorNames } from '../../../shared/source-editor';

/** A code editor HubDesk knows: its command names, where its installers put the command, and how it takes a line. */
interface EditorEntry {
  id: EditorId;
  /** Names looked for on PATH (on Windows also with PATHEXT's endings). */
  commands: readonly string[];
  /** The command inside the macOS app bundle, for an app started from the dock without the user's PATH. */
  mac?: readonly string[];
  /** Windows installs under the user's or the system's program folders, from the environment. */
  windows?: (env: NodeJS.ProcessEnv) => string[];
  /** The arguments that open `file` at `line` (from 1). */
  args: (file: string, line: number) => string[];
}

const goto = (file: string, line: number) => ['--goto', `${file}:${line}`];
const colon = (file: string, line: number) => [`${file}:${line}`];
const lineFlag = (file: string, line: number) => ['--line', String(line), file];
const plus = (file: string, line: number) => [`+${line}`, file];

function underPrograms(env: NodeJS.ProcessEnv, ...parts: string[]): string[] {
  const roots = [env.LOCALAPPDATA && win32.join(env.LOCALAPPDATA, 'Programs'), env.ProgramFiles];
  return roots.filter((root): root is string => Boolean(root)).map((root) => win32.join(root, ...parts));
}

const jetBrains = (id: EditorId, command: string, bundle: string): EditorEntry => ({
  id,
  commands: [command, `${command}64`],
  mac: [`/Applications/${bundle}.app/Contents/MacOS/${command}`],
  args: lineFlag,
});

export const editorCatalogue: readonly EditorEntry[] = [
  {
    id: 'vscode',
    commands: ['code'],
    mac: ['/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code'],
    windows: (env) => underPrograms(env, 'Microsoft VS Code', 'bin', 'code.cmd'),
    args: goto,
  },
  {
    id: 'vscodium',
    commands: ['codium'],
    mac: ['/Applications/VSCodium.app/Contents/Resources/app/bin/codium'],
    windows: (env) => underPrograms(env, 'VSCodium', 'bin', 'codium.cmd'),
    args: goto,
  },
  {
    id: 'cursor',
    commands: ['cursor'],
    mac: ['/Applications/Cursor.app/Contents/Resources/app/bin/cursor'],
    windows: (env) => underPrograms(env, 'cursor', 'resources', 'app', 'bin', 'cursor.cmd'),
    args: goto,
  },
  {
    id: 'sublime',
    commands: ['subl'],
    mac: ['/Applications/Sublime Text.app/Contents/SharedSupport/bin/subl'],
    windows: (env) => underPrograms(env, 'Sublime Text', 'subl.exe'),
    args: colon,
  },
  {
    id: 'zed',
    commands: ['zed', 'zeditor'],
    mac: ['/Applications/Zed.app/Contents/MacOS/cli'],
    args: colon,
  },
  jetBrains('idea', 'idea', 'IntelliJ IDEA'),
  jetBrains('pycharm', 'pycharm', 'PyCharm'),
  jetBrains('webstorm', 'webstorm', 'WebStorm'),
  { id: 'gedit', commands: ['gedit'], args: plus },
  { id: 'kate', commands: ['kate'], args: lineFlag },
];

/** Whether a path is a file this process may run (on Windows: a file). */
export type IsProgram = (path: string) => boolean;

export function isProgram(platform: NodeJS.Platform): IsProgram {
  return (path) => {
    try {
      if (!statSync(path).isFile()) return false;
      if (platform !== 'win32') accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
}

export interface Lookup {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  isProgram: IsProgram;
}

/** The full path of `command` in the folders of PATH (Windows: each ending of PATHEXT too), or undefined. */
export function findOnPath(command: string, { env, platform, isProgram }: Lookup): string | undefined {
  const windows = platform === 'win32';
  const path = windows ? win32 : posix;
  const delimiter = windows ? ';' : ':';
  const folders = ((windows ? (env.Path ?? env.PATH) : env.PATH) ?? '').split(delimiter).filter(Boolean);
  const endings = windows
    ? [
        '',
        ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD')
          .split(';')
          .filter(Boolean)
          .map((ending) => ending.toLowerCase()),
      ]
    : [''];
  for (const folder of folders) {
    for (const ending of endings) {
      const candidate = path.join(folder, command + ending);
      if (isProgram(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Where an editor's command is on this computer: PATH first, then where its installer puts it. */
export function locateEditor(entry: EditorEntry, lookup: Lookup): string | undefined {
  for (const command of entry.commands) {
    const found = findOnPath(command, lookup);
    if (found) return found;
  }
  const installed =
    lookup.platform === 'darwin'
      ? (entry.mac ?? [])
      : lookup.platform === 'win32'
        ? (entry.windows?.(lookup.env) ?? [])
        : [];
  return installed.find((candidate) => lookup.isProgram(candidate));
}

/** The editors found on this computer, in the catalogue's order. */
export function detectEditors(lookup: Lookup): DetectedEditor[] {
  return editorCatalogue
    .filter((entry) => locateEditor(entry, lookup) !== undefined)
    .map(({ id }) => ({ id, name: editorNames[id] }));
}

export function editorEntry(id: EditorId): EditorEntry {
  const entry = editorCatalogue.find((candidate) => candidate.id === id);
  if (!entry) throw new Error(`unknown editor ${id}`);
  return entry;
}

/** The argv that opens `file` at `line` in the editor whose command is at `program`. */
export function editorArgv(id: EditorId, program: string, file: string, line: number): string[] {
  return [program, ...editorEntry(id).args(file, line)];
}
