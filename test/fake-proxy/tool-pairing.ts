/**
 * The pairing rule every family enforces on a history with tool calls (docs/proxy-api.md §3): the calls of an
 * assistant turn are answered, each by its id, in the turn right after it, and a result answers a call of the turn
 * right before it. Each family reads its history into these steps and words the problem its own way.
 */
export type PairingStep =
  | { kind: 'calls'; ids: string[] }
  | { kind: 'results'; ids: string[] }
  | { kind: 'other' };

export type PairingProblem =
  | { kind: 'unanswered'; at: number; ids: string[] }
  | { kind: 'orphan'; at: number; ids: string[] };

export function pairingProblem(steps: PairingStep[]): PairingProblem | null {
  for (const [at, step] of steps.entries()) {
    if (step.kind === 'calls') {
      const next = steps[at + 1];
      const answered = new Set(next?.kind === 'results' ? next.ids : []);
      const missing = step.ids.filter((id) => !answered.has(id));
      if (missing.length > 0) return { kind: 'unanswered', at, ids: missing };
    } else if (step.kind === 'results') {
      const previous = steps[at - 1];
      const called = new Set(previous?.kind === 'calls' ? previous.ids : []);
      const orphans = step.ids.filter((id) => !called.has(id));
      if (orphans.length > 0) return { kind: 'orphan', at, ids: orphans };
    }
  }
  return null;
}
