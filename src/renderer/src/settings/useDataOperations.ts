import { useState } from 'react';
import type { DataOperation, DataProgress } from '../../../shared/desktop';
import type { AppError } from '../../../shared/errors';
import { toAppError, useHubEvent } from '../hub';

/** `ok` words the result at render time, so it follows a change of language. */
type Outcome = { operation: DataOperation; ok: () => string } | { operation: DataOperation; error: AppError };

/**
 * One backup, restore or move at a time: its progress, how it ended, and whether HubDesk is reopening on the new
 * data. `afterEach` runs when an operation ends (the section reads the folder's sizes again).
 */
export function useDataOperations(afterEach: () => void) {
  const [running, setRunning] = useState<DataOperation | null>(null);
  const [progress, setProgress] = useState<DataProgress | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [reopen, setReopen] = useState<'moved' | 'restored' | null>(null);

  useHubEvent('data.progress', (event) => {
    if (event.operation === running) setProgress(event);
  });
  useHubEvent('data.reopen', (event) => setReopen(event.reason));

  /** Runs `action`, which resolves to the wording of its result. */
  async function run(operation: DataOperation, action: () => Promise<() => string>) {
    setOutcome(null);
    setProgress(null);
    setRunning(operation);
    try {
      setOutcome({ operation, ok: await action() });
    } catch (cause) {
      setOutcome({ operation, error: toAppError(cause) });
    } finally {
      setRunning(null);
      setProgress(null);
      afterEach();
    }
  }

  const errorOf = (operation: DataOperation) =>
    outcome && 'error' in outcome && outcome.operation === operation ? outcome.error : null;
  const okOf = (operation: DataOperation) =>
    outcome && 'ok' in outcome && outcome.operation === operation ? outcome.ok : null;

  /** Forgets how the last operation ended (its message and any question it asked). */
  const dismiss = () => setOutcome(null);

  return {
    running,
    progress,
    reopen,
    run,
    errorOf,
    okOf,
    dismiss,
    busy: running !== null || reopen !== null,
  };
}
