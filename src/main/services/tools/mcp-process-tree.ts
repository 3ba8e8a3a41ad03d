import { execFile } from 'node:child_process';

const GRACE_MS = 1000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The processes a server started under its own (`npx` → npm → node, `sh -c` → python), read with `ps` while the
 * tree is whole: once the server's own process ends they belong to init and nothing links them to it. Empty on
 * Windows, or when `ps` fails.
 */
export function descendantsOf(pid: number): Promise<number[]> {
  if (process.platform === 'win32') return Promise.resolve([]);
  return new Promise((done) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid='], { timeout: 5000, encoding: 'utf8' }, (error, stdout) => {
      if (error) {
        done([]);
        return;
      }
      const children = new Map<number, number[]>();
      for (const line of stdout.split('\n')) {
        const [child, parent] = line.trim().split(/\s+/).map(Number);
        if (!child || !parent) continue;
        children.set(parent, [...(children.get(parent) ?? []), child]);
      }
      const found: number[] = [];
      const queue = [...(children.get(pid) ?? [])];
      while (queue.length > 0) {
        const next = queue.shift() as number;
        found.push(next);
        queue.push(...(children.get(next) ?? []));
      }
      done(found);
    });
  });
}

/**
 * Windows has no process groups to read with `ps`: `taskkill /T` ends the server and everything it started, while
 * the tree is still whole (before the SDK ends the server's own process). Resolves when taskkill is done.
 */
export function endWindowsTree(pid: number): Promise<void> {
  return new Promise((done) => {
    execFile('taskkill', ['/pid', String(pid), '/T', '/F'], { timeout: 5000, windowsHide: true }, () =>
      done(),
    );
  });
}

/** Ends the processes still running: SIGTERM, then SIGKILL for those still there after a grace period. */
export async function endProcesses(pids: readonly number[], graceMs = GRACE_MS): Promise<void> {
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  let left = pids.filter(isAlive);
  for (const pid of left) signal(pid, 'SIGTERM');
  for (let waited = 0; left.length > 0 && waited < graceMs; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = left.filter(isAlive);
  }
  for (const pid of left) signal(pid, 'SIGKILL');
}
