/** What a move or a restore leaves for the next start: removed once the app has opened its data folder. */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { isSameOrInside } from '../../files/path-inside';
import {
  MOVED_FROM_FILE,
  type MovedFrom,
  RESTORE_PREVIOUS_DIR,
  RESTORE_STAGING_DIR,
  removeBackupSnapshots,
  removeDataFolder,
  WORK_PREFIX,
} from './data-folder';

/** Removes a restore's staging and set-aside folders, and the old folder a move came from. */
export async function removeLeftovers(dataDir: string, log?: (line: string) => void): Promise<void> {
  await fsp.rm(path.join(dataDir, RESTORE_STAGING_DIR), { recursive: true, force: true });
  await fsp.rm(path.join(dataDir, RESTORE_PREVIOUS_DIR), { recursive: true, force: true });
  await removeBackupSnapshots(dataDir);
  const markerFile = path.join(dataDir, MOVED_FROM_FILE);
  let marker: MovedFrom;
  try {
    marker = JSON.parse(await fsp.readFile(markerFile, 'utf8')) as MovedFrom;
  } catch {
    return;
  }
  const old = typeof marker.from === 'string' ? path.resolve(marker.from) : null;
  if (
    old &&
    !isSameOrInside(old, dataDir) &&
    !isSameOrInside(dataDir, old) &&
    Array.isArray(marker.topLevel)
  ) {
    await removeDataFolder(
      old,
      marker.topLevel.filter(
        (name): name is string => typeof name === 'string' && !name.startsWith(WORK_PREFIX),
      ),
    );
    log?.(`desktop: removed the old data folder ${old} after the move`);
  }
  await fsp.rm(markerFile, { force: true });
}
