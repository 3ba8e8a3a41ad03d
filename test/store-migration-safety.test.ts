/**
 * Updates never lose data: real databases at each earlier schema version, filled with rows, opened by this version.
 * Real SQLite files in a temp folder; crashes are real processes that die (test/support/update-child.ts).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../src/main/cli/run';
import {
  type DatabaseUpdate,
  type Db,
  openDatabase,
  peekSchemaVersion,
  schemaVersion,
} from '../src/main/store/database';
import { type Migration, migrations } from '../src/main/store/migrations';
import { listUpdateCopies, UPDATE_COPIES_KEPT } from '../src/main/store/update-copies';
import { memoryKeytar } from './support/memory-keytar';

const NEWEST = migrations.at(-1)?.version ?? 0;
const repoRoot = path.join(import.meta.dirname, '..');
const childScript = path.join(import.meta.dirname, 'support', 'update-child.ts');

let dir: string;
let file: string;
let copiesDir: string;
const opened: Db[] = [];
const children: ChildProcess[] = [];

function track(db: Db): Db {
  opened.push(db);
  return db;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-update-'));
  file = path.join(dir, 'hubdesk.sqlite');
  copiesDir = path.join(dir, 'backups');
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const db of opened.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The tables that hold the user's data, by the schema version that created them. */
const tablesSince: Record<number, string[]> = {
  1: ['profiles', 'settings'],
  2: ['conversations', 'messages', 'drafts'],
  3: ['transcription_jobs', 'transcripts', 'transcript_segments'],
  4: ['video_jobs'],
  5: ['search_vectors', 'search_index_queue', 'search_index_state', 'search_query_cache'],
  6: ['usage_profiles'],
};

function tablesAt(version: number): string[] {
  return Object.entries(tablesSince)
    .filter(([since]) => Number(since) <= version)
    .flatMap(([, tables]) => tables);
}

/** Rows `seed` writes per table (the search queue is filled by triggers and migration 5, so it is compared whole). */
const seededRows: Record<string, number> = {
  profiles: 2,
  settings: 2,
  conversations: 2,
  messages: 4,
  drafts: 1,
  transcription_jobs: 2,
  transcripts: 1,
  transcript_segments: 2,
  video_jobs: 2,
  search_vectors: 1,
  search_index_state: 1,
  search_query_cache: 1,
  usage_profiles: 3,
};

/** Representative rows in every table the schema version has: text in three scripts, JSON, blobs, NULLs. */
function seed(db: Db, version: number): void {
  db.exec(`
    INSERT INTO profiles (id, name, base_url, proxy_url, endpoint_overrides, created_at, updated_at) VALUES
      ('p1', 'TikHub', 'https://ai.tikhub.io', NULL, '{}', 1, 2),
      ('p2', 'Gateway', 'https://gw.example.com', 'http://127.0.0.1:8080', '{"chat":"/v2/chat"}', 3, 4);
    INSERT INTO settings (key, value) VALUES ('test.alpha', '"kept"'), ('test.beta', '{"width":1200,"maximized":true}');
  `);
  if (version >= 2) {
    db.exec(`
      INSERT INTO conversations
        (id, title, pinned, model, api, system_prompt, params, active_leaf_id, created_at, updated_at, deleted_at)
      VALUES
        ('c1', 'Lighthouse notes', 1, 'gpt-4o', 'openai-chat', 'Be brief.', '{"temperature":0.2}', 'm2', 10, 20, NULL),
        ('c2', 'Chuyến đi Hà Nội', 0, 'claude-sonnet-4', 'claude-messages', '', '{}', 'm4', 11, 21, NULL);
      INSERT INTO messages (seq, id, conversation_id, parent_id, role, text, reasoning, images, tool_calls, model,
        api, status, finish_reason, error, usage, first_token_ms, created_at, updated_at)
      VALUES
        (1, 'm1', 'c1', NULL, 'user', 'Why do lighthouses blink?', '', '[]', '[]', NULL, NULL, 'complete',
          NULL, NULL, NULL, NULL, 10, 10),
        (2, 'm2', 'c1', 'm1', 'assistant', 'Each lighthouse has its own rhythm (灯塔).', 'Think of ships.', '[]',
          '[]', 'gpt-4o', 'openai-chat', 'complete', 'stop', NULL, '{"inputTokens":12,"outputTokens":30}', 412.5,
          11, 12),
        (3, 'm3', 'c2', NULL, 'user', 'Phở ở đâu ngon?', '', '["library/images/pho.png"]', '[]', NULL, NULL,
          'complete', NULL, NULL, NULL, NULL, 13, 13),
        (4, 'm4', 'c2', 'm3', 'assistant', 'Half a rep', '', '[]', '[]', 'claude-sonnet-4', 'claude-messages',
          'streaming', NULL, NULL, NULL, NULL, 14, 15);
      INSERT INTO drafts (conversation_id, text, updated_at) VALUES ('c1', 'And in fog?', 16);
    `);
  }
  if (version >= 3) {
    db.exec(`
      INSERT INTO transcription_jobs (id, file_name, source_path, size_bytes, duration_sec, options, state, error,
        uploaded_bytes, total_bytes, part, part_count, transcript_id, created_at, updated_at)
      VALUES
        ('j1', 'talk.mp3', '/home/ann/talk.mp3', 1048576, 61.5, '{"model":"whisper-1"}', 'done', NULL, 1048576,
          1048576, 1, 1, 't1', 40, 41),
        ('j2', 'cut.wav', '/home/ann/cut.wav', 2048, NULL, '{}', 'failed', 'HTTP 500', 0, 2048, 0, 1, NULL, 42, 43);
      INSERT INTO transcripts (id, job_id, file_name, source_path, audio_path, size_bytes, duration_sec, model,
        language, timestamps, created_at, updated_at)
      VALUES ('t1', 'j1', 'talk.mp3', '/home/ann/talk.mp3', 'audio/t1.mp3', 1048576, 61.5, 'whisper-1', 'en', 1, 44, 45);
      INSERT INTO transcript_segments (seq, transcript_id, idx, start_sec, end_sec, text, original_text, words) VALUES
        (1, 't1', 0, 0, 4.2, 'Welcome to the harbour.', 'Welcome to the harbor.', '[{"word":"Welcome","start":0}]'),
        (2, 't1', 1, 4.2, 9.9, 'The light turns every ten seconds.', 'The light turns every ten seconds.', '[]');
    `);
  }
  if (version >= 4) {
    db.exec(`
      INSERT INTO video_jobs (seq, id, vendor, remote_id, model, prompt, params, status, progress, remote_url, result,
        download, downloaded_bytes, download_total, local_file, thumbnail, file_size, parent_id, created_at,
        updated_at, submitted_at, completed_at, expires_at)
      VALUES
        (1, 'v1', 'sora', 'video_abc', 'sora-2', 'A lighthouse at dusk, waves', '{"seconds":8}', 'succeeded', 1,
          'https://cdn.example.com/v1.mp4', '{"url":"https://cdn.example.com/v1.mp4"}', 'done', 5000, 5000,
          'videos/v1.mp4', 'thumbnails/v1.jpg', 5000, NULL, 50, 51, 50, 60, 90),
        (2, 'v2', 'kling', 'k-77', 'kling-v2', 'The same lighthouse at dawn', '{}', 'running', 0.4, NULL, NULL,
          'none', 0, NULL, NULL, NULL, NULL, 'v1', 52, 53, 52, NULL, NULL);
    `);
  }
  if (version >= 5) {
    db.exec(`
      INSERT INTO search_vectors (kind, item_id, chunk, model, dims, embedding, content_hash, span_start, span_end,
        start_sec, created_at)
      VALUES ('message', 'm2', 0, 'text-embedding-3-small', 4, x'0000803f000000400000404000008040', 'h1', 0, 38,
        NULL, 70);
      UPDATE search_index_state SET tokens_used = 1234, paused = 1 WHERE id = 1;
      INSERT INTO search_query_cache (key, model, dims, embedding, used_at)
      VALUES ('q1', 'text-embedding-3-small', 4, x'0000803f0000803f0000803f0000803f', 71);
    `);
  }
  if (version >= 6) {
    db.exec(`INSERT INTO usage_profiles (kind, item_id, profile_id) VALUES
      ('message', 'm2', 'p1'), ('video', 'v1', 'p2'), ('transcription_job', 'j1', 'p1')`);
  }
}

type Snapshot = Record<string, unknown[]>;

/** Every row of the tables, in a stable order (each table's first two columns identify a row). */
function snapshot(db: Database.Database, tables: string[]): Snapshot {
  return Object.fromEntries(
    tables.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]),
  );
}

/** A database at `version`, built by applying that prefix of the real migrations, filled; its rows. */
function build(version: number): Snapshot {
  const db = openDatabase(file, { migrations: migrations.slice(0, version) });
  try {
    seed(db, version);
    return snapshot(db, tablesAt(version));
  } finally {
    db.close();
  }
}

function expectRowsKept(db: Database.Database, version: number, before: Snapshot): void {
  const after = snapshot(db, tablesAt(version));
  for (const table of tablesAt(version)) {
    expect(after[table], table).toHaveLength(seededRows[table] ?? before[table]?.length ?? -1);
  }
  // Columns a later migration added (e.g. conversations.message_count) are not part of the rows kept.
  const columnsOf = (rows: unknown[] | undefined) => Object.keys((rows?.[0] as object | undefined) ?? {});
  const kept = Object.fromEntries(
    Object.entries(after).map(([table, rows]) => {
      const columns = columnsOf(before[table]);
      return [
        table,
        rows.map((row) =>
          Object.fromEntries(Object.entries(row as object).filter(([column]) => columns.includes(column))),
        ),
      ];
    }),
  );
  expect(kept).toEqual(before);
}

function modeOf(filePath: string): number {
  return fs.statSync(filePath).mode & 0o777;
}

function copyNamed(from: number, to: number): RegExp {
  return new RegExp(
    `^hubdesk-v${from}-before-v${to}-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z\\.sqlite$`,
  );
}

/** Opens a copy as a person would check it: read-only; SQLite's check, schema version, rows. */
function inspectCopy(copyPath: string, tables: string[]) {
  const copy = new Database(copyPath, { readonly: true, fileMustExist: true });
  try {
    return {
      check: copy.pragma('quick_check', { simple: true }),
      version: schemaVersion(copy),
      rows: snapshot(copy, tables),
    };
  } finally {
    copy.close();
  }
}

describe('updating a database from each earlier schema version', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'from version %i: every row is kept, after a verified owner-only copy was taken',
    (version) => {
      const before = build(version);
      const updates: DatabaseUpdate[] = [];
      const db = track(openDatabase(file, { onUpdate: (update) => updates.push(update) }));

      expect(schemaVersion(db)).toBe(NEWEST);
      expectRowsKept(db, version, before);
      if (version >= 2) {
        // Keyword search still finds history (the streaming reply is left out of the index from version 7 on).
        const hits = db
          .prepare(
            'SELECT m.id FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid WHERE messages_fts MATCH ? ORDER BY m.id',
          )
          .all('lighthouse');
        expect(hits).toEqual([{ id: 'm1' }, { id: 'm2' }]);
      }

      const copies = listUpdateCopies(copiesDir);
      expect(copies).toHaveLength(1);
      const copy = copies[0];
      if (!copy) throw new Error('no copy');
      expect(updates).toEqual([
        { fromVersion: version, toVersion: NEWEST, copyPath: copy.path, resumed: false },
      ]);
      expect(path.basename(copy.path)).toMatch(copyNamed(version, NEWEST));
      expect(modeOf(copy.path)).toBe(0o600);
      // No journal, no half-written copy, no -wal/-shm beside the copy (it stands alone); the lock file stays.
      expect(fs.readdirSync(copiesDir).sort()).toEqual([path.basename(copy.path), 'update.lock']);
      expect(inspectCopy(copy.path, tablesAt(version))).toEqual({ check: 'ok', version, rows: before });
    },
  );

  it('takes no copy of a new database, nor of one already at the newest version', () => {
    const updates: DatabaseUpdate[] = [];
    openDatabase(file, { onUpdate: (update) => updates.push(update) }).close();
    track(openDatabase(file, { onUpdate: (update) => updates.push(update) }));
    expect(updates).toEqual([]);
    expect(fs.existsSync(copiesDir)).toBe(false);
  });

  it('keeps the newest three copies after four updates, and nothing else in the folder is touched', () => {
    const before = build(1);
    fs.mkdirSync(copiesDir);
    fs.writeFileSync(path.join(copiesDir, 'my-notes.txt'), 'mine');
    const made: string[] = [];
    for (const version of [2, 3, 4, 5]) {
      openDatabase(file, {
        migrations: migrations.slice(0, version),
        onUpdate: (update) => made.push(update.copyPath),
      }).close();
    }
    expect(made.map((copy) => path.basename(copy))).toEqual([
      expect.stringMatching(copyNamed(1, 2)),
      expect.stringMatching(copyNamed(2, 3)),
      expect.stringMatching(copyNamed(3, 4)),
      expect.stringMatching(copyNamed(4, 5)),
    ]);
    expect(UPDATE_COPIES_KEPT).toBe(3);
    expect(listUpdateCopies(copiesDir).map((copy) => copy.path)).toEqual(made.slice(1).reverse());
    expect(fs.existsSync(made[0] ?? '')).toBe(false);
    expect(fs.readFileSync(path.join(copiesDir, 'my-notes.txt'), 'utf8')).toBe('mine');

    const db = track(openDatabase(file));
    expectRowsKept(db, 1, before);
    expect(listUpdateCopies(copiesDir)).toHaveLength(3);
  });
});

describe('a failing update', () => {
  it('puts the copy back when a migration fails after earlier ones were committed, and says where it is', () => {
    const before = build(3);
    // An update whose effect spans two transactions: the first commits (messages gone), the second fails.
    const emptying: Migration = {
      version: NEWEST + 1,
      name: 'move messages out',
      up: (db) => db.exec('DELETE FROM messages; DELETE FROM drafts'),
    };
    const failing: Migration = {
      version: NEWEST + 2,
      name: 'finish the move',
      up: () => {
        throw new Error('disk said no');
      },
    };

    let message = '';
    try {
      openDatabase(file, { migrations: [...migrations, emptying, failing] });
    } catch (error) {
      message = (error as Error).message;
    }
    const [copy, ...others] = listUpdateCopies(copiesDir);
    expect(others).toEqual([]);
    expect(message).toContain(`Database migration ${NEWEST + 2} "finish the move" failed`);
    expect(message).toContain(`had reached version ${NEWEST + 1}`);
    expect(message).toContain('disk said no');
    expect(message).toContain('Your data was restored to how it was before the update (schema version 3)');
    expect(message).toContain(copy?.path ?? 'no copy');

    // The database is the copy again: the updated one's -wal and -shm are gone, and so is the journal.
    expect(fs.readdirSync(dir).sort()).toEqual(['backups', 'hubdesk.sqlite']);
    expect(fs.readdirSync(copiesDir).sort()).toEqual([path.basename(copy?.path ?? ''), 'update.lock']);
    expect(modeOf(file)).toBe(0o600);
    expect(peekSchemaVersion(file)).toBe(3);
    // The previous HubDesk opens it as it was.
    const db = track(openDatabase(file, { migrations: migrations.slice(0, 3) }));
    expectRowsKept(db, 3, before);
  });

  it('without a folder for copies (a copy being checked), a failing migration is only rolled back', () => {
    build(2);
    const failing: Migration = {
      version: NEWEST + 1,
      name: 'breaks',
      up: () => {
        throw new Error('no');
      },
    };
    expect(() => openDatabase(file, { migrations: [...migrations, failing], updateCopies: null })).toThrow(
      new RegExp(
        `migration ${NEWEST + 1} "breaks" failed and was rolled back \\(the database stays at version ${NEWEST}\\)`,
      ),
    );
    expect(fs.existsSync(copiesDir)).toBe(false);
  });
});

describe('refusals that change nothing', () => {
  const newer: Migration[] = [
    ...migrations,
    { version: NEWEST + 1, name: 'from the future', up: (db) => db.exec('CREATE TABLE future (id INTEGER)') },
  ];

  it('refuses a database written by a newer HubDesk: same bytes, mode and files afterwards', () => {
    openDatabase(file, { migrations: newer }).close();
    fs.chmodSync(file, 0o640);
    const bytes = fs.readFileSync(file);
    const listing = fs.readdirSync(dir);
    const { mtimeMs } = fs.statSync(file);
    expect(listing).toEqual(['hubdesk.sqlite']);

    expect(() => openDatabase(file)).toThrow(
      new RegExp(
        `newer version of HubDesk \\(schema version ${NEWEST + 1}; this version knows up to ${NEWEST}\\).*Nothing was changed`,
      ),
    );
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(listing);
    expect(modeOf(file)).toBe(0o640);
    expect(fs.statSync(file).mtimeMs).toBe(mtimeMs);
  });

  it('refuses it while the newer HubDesk has it open (a -wal file) without touching its files either', () => {
    const running = track(openDatabase(file, { migrations: newer }));
    running.prepare("INSERT INTO settings (key, value) VALUES ('test.unflushed', '1')").run();
    const names = fs.readdirSync(dir).sort();
    expect(names).toEqual(['hubdesk.sqlite', 'hubdesk.sqlite-shm', 'hubdesk.sqlite-wal']);
    const main = fs.readFileSync(file);
    const wal = fs.readFileSync(`${file}-wal`);

    expect(() => openDatabase(file)).toThrow(
      new RegExp(`schema version ${NEWEST + 1}; this version knows up to ${NEWEST}`),
    );
    expect(fs.readdirSync(dir).sort()).toEqual(names);
    expect(fs.readFileSync(file).equals(main)).toBe(true);
    expect(fs.readFileSync(`${file}-wal`).equals(wal)).toBe(true);
  });

  it('refuses a file that is not an SQLite database, without changing it', () => {
    fs.writeFileSync(
      file,
      'a note someone saved here by mistake, long enough to have a 100-byte header or more '.repeat(2),
    );
    fs.chmodSync(file, 0o644);
    expect(() => openDatabase(file)).toThrow(/is not a HubDesk database.*Nothing was changed/);
    expect(modeOf(file)).toBe(0o644);
    expect(fs.readdirSync(dir)).toEqual(['hubdesk.sqlite']);
  });

  it('does not migrate when the copy cannot be written (a file where the folder would be), then does once it can', () => {
    const before = build(4);
    fs.writeFileSync(copiesDir, 'a file where the folder would go');
    const bytes = fs.readFileSync(file);

    expect(() => openDatabase(file)).toThrow(
      new RegExp(
        `update its database \\(schema version 4 to ${NEWEST}\\) and first keeps a copy of it in .*backups, but the copy could not be made: .*Nothing was changed`,
      ),
    );
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(fs.readFileSync(copiesDir, 'utf8')).toBe('a file where the folder would go');
    expect(fs.readdirSync(dir).sort()).toEqual(['backups', 'hubdesk.sqlite']);
    expect(peekSchemaVersion(file)).toBe(4);

    fs.rmSync(copiesDir);
    const db = track(openDatabase(file));
    expect(schemaVersion(db)).toBe(NEWEST);
    expectRowsKept(db, 4, before);
  });

  // Root may write into any folder, so a read-only one proves nothing there.
  it.skipIf(process.getuid?.() === 0)('does not migrate when the folder for copies is read-only', () => {
    build(2);
    fs.mkdirSync(copiesDir, { mode: 0o500 });
    const bytes = fs.readFileSync(file);
    try {
      expect(() => openDatabase(file)).toThrow(/the copy could not be made: HubDesk may not write there/);
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
      expect(fs.readdirSync(copiesDir)).toEqual([]);
      expect(peekSchemaVersion(file)).toBe(2);
    } finally {
      fs.chmodSync(copiesDir, 0o700);
    }
  });
});

describe('an update cut off part-way', () => {
  function startChild(mode: 'crash' | 'hang', ...args: string[]) {
    return spawn(process.execPath, ['--import', 'tsx', childScript, mode, file, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }

  it('a process killed mid-update: the next start undoes it, so even the previous HubDesk opens the data', () => {
    const before = build(3);
    const result = spawnSync(process.execPath, ['--import', 'tsx', childScript, 'crash', file], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(result.signal, result.stderr).toBe('SIGKILL');
    // Migrations 4 to the newest were committed before it died: without the undo the previous HubDesk would refuse.
    expect(fs.existsSync(`${file}-wal`)).toBe(true);

    const db = track(openDatabase(file, { migrations: migrations.slice(0, 3) }));
    expect(schemaVersion(db)).toBe(3);
    expectRowsKept(db, 3, before);
    const copies = listUpdateCopies(copiesDir);
    expect(copies.map((copy) => path.basename(copy.path))).toEqual([
      expect.stringMatching(copyNamed(3, NEWEST + 1)),
    ]);
    expect(fs.readdirSync(copiesDir).sort()).toEqual([path.basename(copies[0]?.path ?? ''), 'update.lock']);
  }, 30_000);

  it('refuses to open while another process is updating; once it is gone, undoes and redoes the update', async () => {
    const before = build(3);
    const ready = path.join(dir, 'ready');
    const child = startChild('hang', ready);
    children.push(child);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // The child is inside its last migration, holding the journal (the test's own timeout bounds the wait).
    while (!fs.existsSync(ready)) {
      if (child.exitCode !== null) throw new Error(`the child process ended: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    expect(() => openDatabase(file)).toThrow(
      /updating its database in another window or command\. Wait until it has finished.*Nothing was changed/,
    );

    child.kill('SIGKILL');
    await exited;
    const updates: DatabaseUpdate[] = [];
    const db = track(openDatabase(file, { onUpdate: (update) => updates.push(update) }));
    const [copy, ...others] = listUpdateCopies(copiesDir);
    expect(others).toEqual([]);
    // The cut-off update's copy is the data as it is again: it serves this update too.
    expect(updates).toEqual([{ fromVersion: 3, toVersion: NEWEST, copyPath: copy?.path, resumed: true }]);
    expect(schemaVersion(db)).toBe(NEWEST);
    expectRowsKept(db, 3, before);
  }, 30_000);
});

describe('saying where the copy is', () => {
  function cliIo(): CliIo & { outLines: string[]; errLines: string[] } {
    const outLines: string[] = [];
    const errLines: string[] = [];
    return {
      env: { HUBDESK_DATA_DIR: dir },
      out: (line) => outLines.push(line),
      err: (line) => errLines.push(line),
      write: (chunk) => outLines.push(chunk),
      keytar: memoryKeytar(),
      outLines,
      errLines,
    };
  }

  it('a CLI command that updated the database prints one line on stderr with the copy, the next one none', async () => {
    build(2);
    const first = cliIo();
    expect(await runCli(['history', 'list'], first)).toBe(0);
    const [copy] = listUpdateCopies(copiesDir);
    expect(first.errLines).toEqual([
      `hubdesk: updated the database from schema version 2 to ${NEWEST}; the copy taken before the update is at ${copy?.path}`,
    ]);
    expect(first.outLines.join('\n')).toContain('Lighthouse notes');

    const second = cliIo();
    expect(await runCli(['history', 'list'], second)).toBe(0);
    expect(second.errLines).toEqual([]);
  });

  it('a CLI command on a database it must refuse says why in one line, not as a proxy error', async () => {
    openDatabase(file, {
      migrations: [...migrations, { version: NEWEST + 1, name: 'future', up: () => undefined }],
    }).close();
    const io = cliIo();
    expect(await runCli(['history', 'list'], io)).toBe(1);
    expect(io.errLines).toHaveLength(1);
    expect(io.errLines[0]).toMatch(
      /^hubdesk: cannot open the database: The database was written by a newer version of HubDesk/,
    );
  });
});
