/**
 * Two computers correct one transcript offline, then both sync through a folder: corrections of different segments
 * both stay; two corrections of the same segment end with the same winner on both (the later edit), both count it
 * as a concurrent edit and both keep the correction that lost for the person to take or dismiss.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HybridClock } from '../src/main/services/sync/hlc';
import { SyncMerge } from '../src/main/services/sync/sync-merge';
import { SyncRepo } from '../src/main/store/sync-repo';
import { SyncRowsRepo } from '../src/main/store/sync-rows-repo';
import { TranscriptsRepo } from '../src/main/store/transcripts-repo';
import { addTimedTranscript } from './support/library-items';
import { type Computer, computer, removeTempFolders, tempFolder } from './support/sync-computers';

const PASSPHRASE = 'correct horse battery staple';
const open: Computer[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((machine) => machine.close()));
  await removeTempFolders();
});

async function machine(name: string): Promise<Computer> {
  const made = await computer(name);
  open.push(made);
  return made;
}

function texts(machine: Computer, id: string): string[] {
  return (
    new TranscriptsRepo(machine.core.db).getTranscript(id)?.segments.map((segment) => segment.text) ?? []
  );
}

/** Each segment as stored, the transcription's own words included. */
function segments(machine: Computer, id: string) {
  return machine.core.db
    .prepare(
      'SELECT idx, start_sec, end_sec, text, original_text FROM transcript_segments WHERE transcript_id = ? ORDER BY idx',
    )
    .all(id);
}

async function twoComputersWithTranscript() {
  const remote = await tempFolder('remote');
  const laptop = await machine('laptop');
  const desktop = await machine('desktop');
  const id = addTimedTranscript(
    laptop.core,
    'harbour-interview.m4a',
    ['The harbor opened in 1911.', 'Ships came weekly.', 'The keeper lived on site.', 'It closed in 1968.'],
    1_000,
  );
  const target = { kind: 'folder' as const, path: remote };
  await laptop.core.sync.setup(target, '', PASSPHRASE);
  await laptop.core.sync.now();
  await desktop.core.sync.setup(target, '', PASSPHRASE);
  await desktop.core.sync.now();
  expect(texts(desktop, id)).toEqual(texts(laptop, id));
  return { laptop, desktop, id };
}

describe('a transcript corrected on two computers offline', () => {
  it('keeps both corrections when they are of different segments', async () => {
    const { laptop, desktop, id } = await twoComputersWithTranscript();
    laptop.clock.advance(1_000);
    desktop.clock.advance(2_000);
    new TranscriptsRepo(laptop.core.db).updateSegmentText(id, 0, 'The harbour opened in 1911.', 5);
    new TranscriptsRepo(desktop.core.db).updateSegmentText(id, 2, 'The keeper lived in the lighthouse.', 6);

    await desktop.core.sync.now();
    await laptop.core.sync.now();
    await desktop.core.sync.now();

    const merged = [
      'The harbour opened in 1911.',
      'Ships came weekly.',
      'The keeper lived in the lighthouse.',
      'It closed in 1968.',
    ];
    expect(texts(laptop, id)).toEqual(merged);
    expect(texts(desktop, id)).toEqual(merged);
    expect(segments(desktop, id)).toEqual(segments(laptop, id));
    // The transcription's own words stay beside each correction.
    expect(segments(laptop, id)).toMatchObject([
      { idx: 0, original_text: 'The harbor opened in 1911.' },
      { idx: 1 },
      { idx: 2, original_text: 'The keeper lived on site.' },
      { idx: 3 },
    ]);
    // Nothing more to send or take: a further sync on each changes nothing.
    expect(await laptop.core.sync.now()).toMatchObject({ uploaded: 0, rows: 0 });
    expect(await desktop.core.sync.now()).toMatchObject({ uploaded: 0, rows: 0 });
  });

  it('gives the same segment corrected on both the same winner everywhere, the later edit, and counts the other', async () => {
    const { laptop, desktop, id } = await twoComputersWithTranscript();
    // The desktop corrects first, the laptop a little later (by their clocks): the laptop's correction wins.
    desktop.clock.advance(1_000);
    new TranscriptsRepo(desktop.core.db).updateSegmentText(id, 1, 'Ships came every week.', 5);
    laptop.clock.advance(2_000);
    new TranscriptsRepo(laptop.core.db).updateSegmentText(id, 1, 'Ships called weekly.', 6);

    const desktopFirst = await desktop.core.sync.now();
    const laptopApplies = await laptop.core.sync.now();
    const desktopApplies = await desktop.core.sync.now();

    expect(texts(laptop, id)[1]).toBe('Ships called weekly.');
    expect(texts(desktop, id)[1]).toBe('Ships called weekly.');
    expect(segments(desktop, id)).toEqual(segments(laptop, id));
    // The laptop kept its own over the desktop's and says so; the desktop took the laptop's as newer.
    expect(desktopFirst.conflicts).toBe(0);
    expect(laptopApplies.conflicts).toBeGreaterThan(0);
    expect(desktopApplies.rows).toBe(1);

    // The same edits synced in the other order end the same way.
    laptop.clock.advance(10_000);
    desktop.clock.advance(10_000);
    new TranscriptsRepo(laptop.core.db).updateSegmentText(id, 3, 'It closed in 1969.', 7);
    desktop.clock.advance(5_000);
    new TranscriptsRepo(desktop.core.db).updateSegmentText(id, 3, 'It shut in 1968.', 8);
    await laptop.core.sync.now();
    await desktop.core.sync.now();
    await laptop.core.sync.now();
    expect(texts(laptop, id)[3]).toBe('It shut in 1968.');
    expect(texts(desktop, id)[3]).toBe('It shut in 1968.');
    expect(texts(laptop, id)[1]).toBe('Ships called weekly.');
  });

  it('keeps the correction that lost to a concurrent one on both computers, and lets either take it', async () => {
    const { laptop, desktop, id } = await twoComputersWithTranscript();
    const alternatives = (machine: Computer) =>
      machine.core.transcription.alternatives(id).map(({ segmentIndex, text }) => ({ segmentIndex, text }));

    // Concurrent, the desktop syncing first: the laptop's later correction wins on both.
    desktop.clock.advance(1_000);
    desktop.core.transcription.updateSegment(id, 1, 'Ships came every week.');
    laptop.clock.advance(2_000);
    laptop.core.transcription.updateSegment(id, 1, 'Ships called weekly.');
    await desktop.core.sync.now();
    const laptopApplies = await laptop.core.sync.now();
    const desktopApplies = await desktop.core.sync.now();
    expect(texts(laptop, id)[1]).toBe('Ships called weekly.');
    expect(texts(desktop, id)[1]).toBe('Ships called weekly.');
    // Both say so, the winner and the computer whose correction lost, and both keep the text that lost.
    expect(laptopApplies.conflicts).toBeGreaterThan(0);
    expect(desktopApplies.conflicts).toBeGreaterThan(0);
    expect(alternatives(laptop)).toEqual([{ segmentIndex: 1, text: 'Ships came every week.' }]);
    expect(alternatives(desktop)).toEqual([{ segmentIndex: 1, text: 'Ships came every week.' }]);

    // Concurrent, the later editor syncing first: the same outcome.
    laptop.clock.advance(10_000);
    desktop.clock.advance(10_000);
    laptop.core.transcription.updateSegment(id, 3, 'It closed in 1969.');
    desktop.clock.advance(5_000);
    desktop.core.transcription.updateSegment(id, 3, 'It shut in 1968.');
    await desktop.core.sync.now();
    const laptopLoses = await laptop.core.sync.now();
    expect(laptopLoses.conflicts).toBeGreaterThan(0);
    expect(texts(laptop, id)[3]).toBe('It shut in 1968.');
    expect(texts(desktop, id)[3]).toBe('It shut in 1968.');
    const laterKept = (await desktop.core.sync.now()).conflicts;
    expect(laterKept).toBeGreaterThan(0);
    for (const machine of [laptop, desktop])
      expect(alternatives(machine)).toEqual([
        { segmentIndex: 1, text: 'Ships came every week.' },
        { segmentIndex: 3, text: 'It closed in 1969.' },
      ]);

    // A correction made after receiving the other's is no conflict: nothing more is kept.
    desktop.clock.advance(1_000);
    desktop.core.transcription.updateSegment(id, 0, 'The harbour opened in 1911.');
    await desktop.core.sync.now();
    await laptop.core.sync.now();
    laptop.clock.advance(1_000);
    laptop.core.transcription.updateSegment(id, 0, 'The harbour opened in May 1911.');
    expect((await laptop.core.sync.now()).conflicts).toBe(0);
    expect((await desktop.core.sync.now()).conflicts).toBe(0);
    expect(texts(desktop, id)[0]).toBe('The harbour opened in May 1911.');
    expect(alternatives(laptop).map(({ segmentIndex }) => segmentIndex)).toEqual([1, 3]);
    expect(alternatives(desktop).map(({ segmentIndex }) => segmentIndex)).toEqual([1, 3]);

    // "Use this" on the laptop, "Dismiss" on the desktop: after a sync the kept text is the segment's on both.
    const [kept] = laptop.core.transcription.alternatives(id);
    laptop.clock.advance(1_000);
    expect(laptop.core.transcription.resolveAlternative(id, 1, kept?.version ?? '', true).text).toBe(
      'Ships came every week.',
    );
    const dismissed = desktop.core.transcription
      .alternatives(id)
      .find(({ segmentIndex }) => segmentIndex === 3);
    desktop.core.transcription.resolveAlternative(id, 3, dismissed?.version ?? '', false);
    await laptop.core.sync.now();
    await desktop.core.sync.now();
    expect(texts(laptop, id)[1]).toBe('Ships came every week.');
    expect(texts(desktop, id)[1]).toBe('Ships came every week.');
    expect(texts(desktop, id)[3]).toBe('It shut in 1968.');
    expect(alternatives(laptop)).toEqual([{ segmentIndex: 3, text: 'It closed in 1969.' }]);
    expect(alternatives(desktop)).toEqual([]);
    expect(() => laptop.core.transcription.resolveAlternative(id, 1, kept?.version ?? '', true)).toThrow(
      /no longer kept/,
    );
  });

  it('still applies a change written when a transcript’s segments travelled as one value', async () => {
    const { desktop, id } = await twoComputersWithTranscript();
    const rows = new SyncRowsRepo(desktop.core.db);
    const repo = new SyncRepo(desktop.core.db);
    const row = rows.read('transcripts', id) ?? {};
    const sent = (row.segments as Record<string, unknown>[]).map((segment) =>
      segment.idx === 3 ? { ...segment, text: 'It closed in the winter of 1968.' } : segment,
    );
    const older = new HybridClock({ now: () => desktop.clock.now() + 60_000 }, 'older-hubdesk');
    const counts = repo.applying(() =>
      new SyncMerge(repo, rows, older).apply([
        { t: 'transcripts', id, c: { ...row, segments: sent }, v: { segments: older.next() } },
      ]),
    );
    expect(counts.rows).toBe(1);
    expect(texts(desktop, id)).toEqual([
      'The harbor opened in 1911.',
      'Ships came weekly.',
      'The keeper lived on site.',
      'It closed in the winter of 1968.',
    ]);
  });
});
