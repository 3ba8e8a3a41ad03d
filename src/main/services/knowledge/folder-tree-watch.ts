import { type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { basename, join } from 'node:path';
import { isUnder, skipsFolder } from './folder-walk';

export interface TreeWatchHandlers {
  /** A file or folder under the root changed (null: anything may have). */
  onPath: (path: string | null) => void;
  /** The root itself went away, was moved, or its watch failed: this watch is over. */
  onLost: (reason: string) => void;
  log?: (line: string) => void;
}

export interface TreeWatch {
  close(): void;
}

function inodeOf(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

/**
 * A folder and every folder under it watched one by one (inotify reports a folder's entries on the folder's own
 * watch), skipping what the walk skips (hidden folders, node_modules), so a code folder's `.git` and dependency
 * trees cost no watches: Node's own recursive watch on Linux watches them all, and on some versions every file.
 * A folder created later is watched once it is seen; one moved or deleted stops being watched.
 */
export function watchFolderTree(root: string, handlers: TreeWatchHandlers): TreeWatch {
  const watchers = new Map<string, { watcher: FSWatcher; inode: number | undefined }>();
  let closed = false;
  let limitLogged = false;

  const disarm = (folder: string) => {
    for (const [path, entry] of [...watchers]) {
      if (!isUnder(path, folder)) continue;
      watchers.delete(path);
      entry.watcher.close();
    }
  };

  const close = () => {
    closed = true;
    disarm(root);
  };

  const lost = (reason: string) => {
    if (closed) return;
    close();
    handlers.onLost(reason);
  };

  const seen = (folder: string, event: string, name: string | Buffer | null) => {
    if (closed) return;
    if (name === null) {
      handlers.onPath(null);
      return;
    }
    const entryName = name.toString();
    // A folder's own move or deletion is reported on its watch under its own name.
    if (event === 'rename' && entryName === basename(folder)) {
      const armed = watchers.get(folder)?.inode;
      if (inodeOf(folder) !== armed) {
        if (folder === root) lost(`${root} was moved or deleted`);
        else disarm(folder);
        return;
      }
    }
    const path = join(folder, entryName);
    if (event === 'rename') {
      if (inodeOf(path) === undefined) disarm(path);
      else if (!skipsFolder(entryName)) arm(path);
    }
    handlers.onPath(path);
  };

  /** Watches the folder and the folders under it (a file, or a folder watched already, is left as it is). */
  const arm = (start: string) => {
    const folders = [start];
    for (let folder = folders.pop(); folder !== undefined && !closed; folder = folders.pop()) {
      if (watchers.has(folder)) continue;
      let info: ReturnType<typeof statSync>;
      try {
        info = statSync(folder);
      } catch {
        continue;
      }
      if (!info.isDirectory()) continue;
      try {
        const watcher = watch(folder, (event, name) => seen(folder, event, name));
        watcher.on('error', (error) => {
          if (folder === root) lost(`the watch of ${root} failed: ${String(error)}`);
          else {
            disarm(folder);
            handlers.onPath(folder);
          }
        });
        watchers.set(folder, { watcher, inode: info.ino });
      } catch (error) {
        if (folder === root) {
          lost(`cannot watch ${root}: ${String(error)}`);
          return;
        }
        // Out of watches (the system's inotify limit): what is under this folder is found by the next full sync.
        if (!limitLogged) handlers.log?.(`cannot watch ${folder} (and maybe more): ${String(error)}`);
        limitLogged = true;
        continue;
      }
      try {
        for (const entry of readdirSync(folder, { withFileTypes: true })) {
          if (entry.isDirectory() && !skipsFolder(entry.name)) folders.push(join(folder, entry.name));
        }
      } catch {
        // Unreadable now: its own watch reports when that changes.
      }
    }
  };

  arm(root);
  return { close };
}
