import { type SyncedTable, type SyncedValues, syncedColumns } from '../../store/sync-rows-repo';

/**
 * What a merge versions one by one in a row ("cells"): its synced columns, except that a transcript's segments are
 * each a cell of their own (`segment:<idx>`), so two computers that correct different segments of one transcript
 * both keep their correction. A segment cell that is absent is a removed segment.
 */
const SEGMENT_CELL = 'segment:';
/** The name under which segments travelled as one value before they were versioned one by one. */
const WHOLE_SEGMENTS = 'segments';

export function isSegmentCell(name: string): boolean {
  return name.startsWith(SEGMENT_CELL);
}

/** The row's values by cell name. */
export function cellsOf(table: SyncedTable, values: SyncedValues): Record<string, unknown> {
  const cells: Record<string, unknown> = {};
  for (const column of syncedColumns(table)) {
    if (table === 'transcripts' && column === WHOLE_SEGMENTS) continue;
    if (column in values) cells[column] = values[column];
  }
  if (table === 'transcripts' && Array.isArray(values.segments)) {
    for (const segment of values.segments as SyncedValues[]) cells[`${SEGMENT_CELL}${segment.idx}`] = segment;
  }
  return cells;
}

/** The cells a merge compares for a row: its columns, and every segment there is or was (versions remember it). */
export function cellNames(
  table: SyncedTable,
  cells: Record<string, unknown>,
  versioned: Iterable<string>,
): string[] {
  if (table !== 'transcripts') return [...syncedColumns(table)];
  const names = new Set(Object.keys(cells));
  for (const name of versioned) if (isSegmentCell(name)) names.add(name);
  return [...names];
}

/**
 * Incoming versions by cell: a change written when segments travelled whole gives each of its segments that one
 * version.
 */
export function incomingCellVersions(
  table: SyncedTable,
  values: SyncedValues,
  versions: Record<string, string>,
): Record<string, string> {
  const whole = versions[WHOLE_SEGMENTS];
  if (table !== 'transcripts' || whole === undefined) return versions;
  const { [WHOLE_SEGMENTS]: _, ...rest } = versions;
  for (const name of Object.keys(cellsOf(table, values))) if (isSegmentCell(name)) rest[name] ??= whole;
  return rest;
}

/** The version this computer holds for a cell ('' for none); a segment may still carry its transcript's whole one. */
export function localCellVersion(versions: Record<string, readonly [string, string]>, name: string): string {
  return versions[name]?.[0] ?? (isSegmentCell(name) ? versions[WHOLE_SEGMENTS]?.[0] : undefined) ?? '';
}

/**
 * The values to write for the cells that won: columns as they are; for a transcript with a segment among them, the
 * whole list of segments — the ones here, with the winners put in (or taken out) — in order.
 */
export function valuesOfCells(
  table: SyncedTable,
  local: SyncedValues,
  wins: Record<string, unknown>,
): SyncedValues {
  const values: SyncedValues = {};
  let segmentsChanged = false;
  for (const [name, value] of Object.entries(wins)) {
    if (isSegmentCell(name)) segmentsChanged = true;
    else values[name] = value;
  }
  if (table === 'transcripts' && segmentsChanged) {
    const segments = new Map(
      Object.entries(cellsOf(table, local)).filter(([name]) => isSegmentCell(name)) as [
        string,
        SyncedValues,
      ][],
    );
    for (const [name, value] of Object.entries(wins)) {
      if (!isSegmentCell(name)) continue;
      if (value === undefined || value === null) segments.delete(name);
      else segments.set(name, value as SyncedValues);
    }
    values.segments = [...segments.values()].sort((a, b) => Number(a.idx) - Number(b.idx));
  }
  return values;
}
