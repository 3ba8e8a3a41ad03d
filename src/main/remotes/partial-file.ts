import { stat } from 'node:fs/promises';

/** How many bytes an earlier, stopped download left in `<file>.part` (0 when there is none). */
export async function partialSize(partialPath: string): Promise<number> {
  try {
    return (await stat(partialPath)).size;
  } catch {
    return 0;
  }
}
