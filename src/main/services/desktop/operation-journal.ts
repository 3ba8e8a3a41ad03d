/**
 * The journals that make a restore and a move atomic. Each is written durably (flushed, renamed into place, folder
 * flushed) before the operation changes anything, and names its commit point:
 *
 *   .hubdesk-restore.json   in the data folder. "replacing" from before the library is set aside until the restored
 *                           database and library are both in place; then "committed". A start that finds
 *                           "replacing" puts the old database and library back; "committed" only clears up.
 *   .hubdesk-move.json      in the folder moved from, naming the target and the data-location file. The move is
 *                           committed once that file names the target: until then a start of the old folder removes
 *                           the copy; after it the new folder's start removes the old folder, which it does only
 *                           when this journal is there and names it (never on the new folder's word alone).
 */
import fs from 'node:fs';
import path from 'node:path';
import { realLocation } from '../../files/path-inside';
import { readDataLocation } from '../../paths';
import { syncFolder, writeDurably } from '../../store/durable-files';

export interface RestoreJournal {
  state: 'replacing' | 'committed';
  /** Whether the data folder had a library (set aside into the restore's previous folder). */
  hadLibrary: boolean;
  /** Whether the archive brought a library (moved in from the staging folder). */
  newLibrary: boolean;
}

export interface MoveJournal {
  target: string;
  /** Whether the move created the target folder (else it was an empty folder, which stays). */
  createdTarget: boolean;
  locationFile: string;
  /** The top-level entries copied besides the database. */
  topLevel: string[];
}

export function writeJournal(file: string, journal: RestoreJournal | MoveJournal): void {
  const temp = `${file}.tmp`;
  writeDurably(temp, `${JSON.stringify(journal)}\n`);
  fs.renameSync(temp, file);
  syncFolder(path.dirname(file));
}

export function removeJournal(file: string): void {
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.tmp`, { force: true });
  syncFolder(path.dirname(file));
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The restore journal; null when there is none, or it cannot be read (a journal is whole once renamed in). */
export function readRestoreJournal(file: string): RestoreJournal | null {
  const value = readJson(file);
  if (!value || (value.state !== 'replacing' && value.state !== 'committed')) return null;
  return { state: value.state, hadLibrary: value.hadLibrary === true, newLibrary: value.newLibrary === true };
}

export function readMoveJournal(file: string): MoveJournal | null {
  const value = readJson(file);
  if (!value) return null;
  const { target, createdTarget, locationFile, topLevel } = value;
  if (typeof target !== 'string' || !path.isAbsolute(target)) return null;
  if (typeof locationFile !== 'string' || !path.isAbsolute(locationFile)) return null;
  if (!Array.isArray(topLevel)) return null;
  return {
    target,
    createdTarget: createdTarget === true,
    locationFile,
    topLevel: topLevel.filter((name): name is string => typeof name === 'string'),
  };
}

/** Whether the move is committed: its data-location file names its target. */
export function moveCommitted(journal: MoveJournal): boolean {
  const recorded = readDataLocation(journal.locationFile);
  return recorded !== null && sameLocation(recorded, journal.target);
}

/** Whether two paths lead to the same place (symlinks resolved). */
export function sameLocation(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b) || realLocation(a) === realLocation(b);
}
