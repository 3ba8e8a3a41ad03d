import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dataPaths } from '../../src/main/paths';
import { type Db, openDatabase } from '../../src/main/store/database';
import { SearchRepo } from '../../src/main/store/search-repo';

export const CONVERSATIONS = 1_000;
export const MESSAGES = 1_000_000;
export const BIG_CONVERSATION_MESSAGES = 20_000;
export const BIG_CONVERSATION_ID = 'conv-big';

/** Deterministic pseudo-random numbers (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'sto',
  'va',
  'qui',
  'zen',
  'dor',
  'pel',
  'tru',
  'nax',
  'bi',
  'fo',
  'gli',
  'sar',
];

/** 4,000 made-up words; word i is about 1/(i+1) as frequent as word 0 (Zipf). */
export function vocabulary(): string[] {
  const random = seededRandom(7);
  const words = new Set<string>();
  while (words.size < 4_000) {
    const length = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

function zipfPicker(count: number, random: () => number): () => number {
  const cumulative = new Float64Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    total += 1 / (i + 1);
    cumulative[i] = total;
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] ?? 0) < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

/**
 * Conversations of alternating user and assistant messages (5–45 words each, one second apart), each message the
 * child of the one before, written in one transaction.
 */
export function insertLinearHistory(
  db: Db,
  plan: ReadonlyArray<{ id: string; messages: number }>,
  random: () => number,
  nextWord: () => string,
): void {
  const insertConversation = db.prepare(
    `INSERT INTO conversations (id, title, pinned, model, api, system_prompt, params, active_leaf_id, created_at, updated_at)
     VALUES (?, ?, 0, 'gpt-4o', 'openai-chat', '', '{}', ?, ?, ?)`,
  );
  const insertMessage = db.prepare(
    `INSERT INTO messages (id, conversation_id, parent_id, role, text, reasoning, images, tool_calls, model, api,
       status, finish_reason, error, usage, first_token_ms, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, '', '[]', '[]', ?, ?, 'complete', ?, NULL, NULL, NULL, ?, ?)`,
  );
  const finishConversation = db.prepare(
    'UPDATE conversations SET active_leaf_id = ?, updated_at = ? WHERE id = ?',
  );
  db.transaction(() => {
    let clock = 1_700_000_000_000;
    plan.forEach(({ id, messages }, index) => {
      let parent: string | null = null;
      insertConversation.run(id, `Conversation ${index}`, null, clock, clock);
      for (let m = 0; m < messages; m++) {
        const messageId = `${id}-m${m}`;
        const length = 5 + Math.floor(random() * 41);
        let text = '';
        for (let w = 0; w < length; w++) text += (w === 0 ? '' : ' ') + nextWord();
        const assistant = m % 2 === 1;
        clock += 1_000;
        insertMessage.run(
          messageId,
          id,
          parent,
          assistant ? 'assistant' : 'user',
          text,
          assistant ? 'gpt-4o' : null,
          assistant ? 'openai-chat' : null,
          assistant ? 'stop' : null,
          clock,
          clock,
        );
        parent = messageId;
      }
      finishConversation.run(parent, clock, id);
    });
  })();
}

let cached: Promise<{ path: string; generationS: number }> | undefined;

/**
 * A HubDesk database with 1,000 conversations and 1,000,000 messages (one conversation of 20,000), made once per
 * run with prepared statements in one transaction. Messages are 5–45 made-up words, Zipf-distributed.
 */
export function historyDatabase(
  tempDir: string,
  log: (line: string) => void,
): Promise<{ path: string; generationS: number }> {
  cached ??= Promise.resolve().then(() => {
    const started = performance.now();
    const path = dataPaths(join(tempDir, 'history')).databasePath;
    const db = openDatabase(path);
    const words = vocabulary();
    const random = seededRandom(42);
    const pick = zipfPicker(words.length, random);
    // Generation only: no journal, big cache, and the FTS index built in one pass at the end.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1000000');
    const ftsTrigger = (
      db.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages_fts_after_insert'").get() as {
        sql: string;
      }
    ).sql;
    db.exec('DROP TRIGGER messages_fts_after_insert');
    const others = MESSAGES - BIG_CONVERSATION_MESSAGES;
    const plan = Array.from({ length: CONVERSATIONS }, (_, c) =>
      c === CONVERSATIONS - 1
        ? { id: BIG_CONVERSATION_ID, messages: BIG_CONVERSATION_MESSAGES }
        : {
            id: `conv-${c}`,
            messages: Math.floor(others / (CONVERSATIONS - 1)) + (c < others % (CONVERSATIONS - 1) ? 1 : 0),
          },
    );
    insertLinearHistory(db, plan, random, () => words[pick()] ?? '');
    const rowsDone = performance.now();
    new SearchRepo(db).rebuild();
    db.exec(ftsTrigger);
    log(
      `rows ${((rowsDone - started) / 1000).toFixed(0)} s, FTS ${((performance.now() - rowsDone) / 1000).toFixed(0)} s`,
    );
    db.exec('ANALYZE');
    db.pragma('journal_mode = WAL');
    db.close();
    const generationS = (performance.now() - started) / 1000;
    log(
      `generated ${MESSAGES.toLocaleString('en-US')} messages in ${generationS.toFixed(0)} s (not part of any figure)`,
    );
    return { path, generationS };
  });
  return cached;
}
