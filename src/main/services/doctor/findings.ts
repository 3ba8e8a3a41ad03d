import type { DoctorCheck, DoctorFact } from '../../../shared/doctor';

/** A check as its builder returns it: `values` and `facts` may be left out when there are none. */
type Draft<C> = C extends DoctorCheck
  ? Omit<C, 'values' | 'facts'> & { values?: Record<string, string | number>; facts?: DoctorFact[] }
  : never;
export type Found<I extends DoctorCheck['id'] = DoctorCheck['id']> = Draft<Extract<DoctorCheck, { id: I }>>;

export const text = (name: DoctorFact['name'], value: string): DoctorFact => ({ name, kind: 'text', value });
export const flag = (name: DoctorFact['name'], value: boolean): DoctorFact => ({ name, kind: 'flag', value });
export const bytes = (name: DoctorFact['name'], value: number): DoctorFact => ({
  name,
  kind: 'bytes',
  value,
});

/** An error as one short line: never a stack, never more than a sentence or two. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim().slice(0, 400) || 'unknown error';
}

/** `EACCES: permission denied` from `EACCES: permission denied, open '/x/y'`. */
export function fsReason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const short = typeof message === 'string' ? message.split(', ')[0]?.trim() : undefined;
  return short || code || reasonOf(error);
}

export function complete(check: Found): DoctorCheck {
  return { ...check, values: check.values ?? {}, facts: check.facts ?? [] } as DoctorCheck;
}
