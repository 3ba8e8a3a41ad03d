import { useEffect, useRef } from 'react';
import type { MenuCommand } from '../../shared/desktop-menu';

type Handler = () => void;

/** The page answering each command now: the latest one mounted wins, as the one on top. */
const handlers = new Map<MenuCommand, Handler[]>();
/** A command sent to a page that is being shown for it (new chat from another page); run when it mounts. */
const waiting = new Set<MenuCommand>();

/**
 * Runs a command (from a shortcut or the native menu) in the page that answers it. With `whenReady`, a command no
 * page answers yet waits for the first one that does; otherwise it is dropped (Stop with no chat shown).
 */
export function runCommand(command: MenuCommand, whenReady = false): boolean {
  const handler = handlers.get(command)?.at(-1);
  if (handler) {
    handler();
    return true;
  }
  if (whenReady) waiting.add(command);
  return false;
}

/** Answers a command while the component is mounted; the latest `handler` is always the one called. */
export function useCommand(command: MenuCommand, handler: Handler): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const call = () => latest.current();
    const list = handlers.get(command) ?? [];
    handlers.set(command, [...list, call]);
    if (waiting.delete(command)) call();
    return () => {
      const remaining = (handlers.get(command) ?? []).filter((entry) => entry !== call);
      if (remaining.length > 0) handlers.set(command, remaining);
      else handlers.delete(command);
    };
  }, [command]);
}
