import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

const MARK = '__HUBDESK_PATH__';

/**
 * The PATH of the user's login shell (`$SHELL -ilc`), which an app started from the dock or a desktop menu does not
 * inherit: where `npx`, `uvx` and Homebrew live. Undefined on Windows, without a shell, or when the shell fails or
 * takes longer than `timeoutMs` (rc files that wait for input); the caller then keeps its own PATH.
 */
export function loginShellPath(options: {
  shell: string | undefined;
  timeoutMs: number;
  platform?: NodeJS.Platform;
}): Promise<string | undefined> {
  const { shell, timeoutMs } = options;
  if ((options.platform ?? process.platform) === 'win32' || !shell) return Promise.resolve(undefined);
  return new Promise((done) => {
    // The marks find PATH among whatever the rc files print.
    execFile(
      shell,
      ['-ilc', `printf '%s' "${MARK}$PATH${MARK}"`],
      { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' },
      (error, stdout) => {
        const found = new RegExp(`${MARK}(.*?)${MARK}`, 's').exec(stdout ?? '')?.[1];
        done(error && !found ? undefined : found?.trim() || undefined);
      },
    );
  });
}

/** The login shell's folders first, then this process's own that it lacks. */
export function mergePaths(login: string | undefined, own: string | undefined): string {
  const seen = new Set<string>();
  const folders: string[] = [];
  for (const folder of [...(login ?? '').split(delimiter), ...(own ?? '').split(delimiter)]) {
    if (folder && !seen.has(folder)) {
      seen.add(folder);
      folders.push(folder);
    }
  }
  return folders.join(delimiter);
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where a command is: a path (relative to `cwd`) as given, a bare name looked up in `path`. Undefined when it is
 * not there or not executable. Windows is left to the spawn (PATHEXT, `.cmd` shims).
 */
export function findCommand(command: string, path: string, cwd: string): string | undefined {
  if (process.platform === 'win32') return command;
  if (command.includes('/')) {
    const full = isAbsolute(command) ? command : resolve(cwd, command);
    return isExecutableFile(full) ? full : undefined;
  }
  for (const folder of path.split(delimiter)) {
    if (!folder) continue;
    const full = join(folder, command);
    if (isExecutableFile(full)) return full;
  }
  return undefined;
}
