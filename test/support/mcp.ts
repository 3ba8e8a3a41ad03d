import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Core, type CoreOptions, createCore } from '../../src/main/core';
import type { EventPayload } from '../../src/shared/contract';
import { memoryKeytar } from './memory-keytar';

export const binDir = join(import.meta.dirname, '../../node_modules/.bin');
export const rawServer = join(import.meta.dirname, '../fixtures/mcp/raw-server.mjs');

/** The pids whose parent is this process (Linux: /proc). */
export function childPids(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after its last ")" are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** The pids of processes whose environment holds this exact `NAME=value` (Linux: /proc/<pid>/environ). */
export function pidsWithEnv(entry: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(entry))
        found.push(Number(name));
    } catch {
      // ended, or another user's
    }
  }
  return found;
}

/** Whether the process exists and is not a zombie (one that ended but whose parent has not reaped it yet). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export interface McpTestCore {
  core: Core;
  dataDir: string;
  events: EventPayload<'tools.serverChanged'>[];
  /** Closes the core once (later calls wait for the same close). */
  closeCore(): Promise<void>;
  close(): Promise<void>;
}

/** A real core on a temp folder; the login shell is not asked unless the test says so. */
export async function mcpCore(options: Partial<CoreOptions> = {}): Promise<McpTestCore> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'hubdesk-mcp-')));
  const core = createCore({
    env: { PATH: process.env.PATH ?? '' },
    keytar: memoryKeytar(),
    keychainService: 'HubDesk-test',
    ...options,
    mcp: { loginPath: async () => undefined, ...options.mcp },
    dataDir,
  });
  const events: EventPayload<'tools.serverChanged'>[] = [];
  core.bus.subscribe((event, payload) => {
    if (event === 'tools.serverChanged') events.push(payload as EventPayload<'tools.serverChanged'>);
  });
  let closing: Promise<void> | undefined;
  const closeCore = () => {
    closing ??= core.close();
    return closing;
  };
  return {
    core,
    dataDir,
    events,
    closeCore,
    async close() {
      await closeCore();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
