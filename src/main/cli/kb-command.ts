import { parseArgs } from 'node:util';
import type { KbBaseSummary, KbHit, KbProgress, KbSyncReport } from '../../shared/knowledge';
import { HubError } from '../base/errors';
import type { Core } from '../core';
import type { CliIo } from './io';

export const kbUsage = `Usage: hubdesk kb <command> [--json]

  add NAME PATH...            a knowledge base over folders and files (PDF, DOCX, Markdown, text, HTML, code);
                              returns when they are indexed, with progress on stderr. HubDesk keeps references
                              to the files, never copies
  list                        the knowledge bases and what they hold
  status NAME                 its folders, how many chunks are embedded (searchable by meaning), and each file
                              that failed or has no text, with why
  sync NAME                   pick up what was added, changed, moved or deleted on disk
  search NAME QUERY [--limit N]
                              passages with their file, page or line, and score (keywords and meaning; offline, keywords)
  remove NAME                 forget the knowledge base (the files stay where they are)
  pause NAME                  stop its sync after the file being read; no sync runs until resumed (also after
                              a restart)
  resume NAME                 unpause it and pick up what changed meanwhile, with progress on stderr
  retry NAME [PATH]           read its failed files again (or only PATH), even if they look unchanged`;

function reportText(report: KbSyncReport): string {
  const parts = [
    `${report.added} added`,
    `${report.changed} changed`,
    `${report.moved} moved`,
    `${report.deleted} deleted`,
    `${report.unchanged} unchanged`,
  ];
  if (report.failed > 0) parts.push(`${report.failed} failed`);
  if (report.noText > 0) parts.push(`${report.noText} without text`);
  return parts.join(', ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function summaryText(base: KbBaseSummary): string {
  const problems = [
    ...(base.failed > 0 ? [`${base.failed} failed`] : []),
    ...(base.noText > 0 ? [`${base.noText} without text`] : []),
  ];
  return `${base.name}: ${plural(base.files, 'file')}, ${plural(base.chunks, 'chunk')}${problems.length ? ` (${problems.join(', ')})` : ''}${pausedText(base)}`;
}

/** After a sync in text mode: where to see which files failed or hold no text, and why. */
function problemsHint(base: KbBaseSummary): string {
  return base.failed + base.noText > 0 ? `\nSee which files and why: hubdesk kb status "${base.name}"` : '';
}

function pausedText(base: KbBaseSummary): string {
  return base.paused ? ' — paused (hubdesk kb resume to go on)' : '';
}

function hitText(hit: KbHit, index: number): string {
  const where = hit.page !== null ? ` page ${hit.page}` : hit.line !== null ? `:${hit.line}` : '';
  const heading = hit.heading ? ` — ${hit.heading}` : '';
  return `${index + 1}. ${hit.path}${where}${heading}  (score ${hit.score.toFixed(3)})\n   ${hit.snippet.replace(/\s+/g, ' ')}`;
}

function needName(name: string | undefined): string {
  if (!name)
    throw new HubError({ kind: 'invalid_input', message: 'Name the knowledge base.', field: 'name' });
  return name;
}

/** Shows the sync's progress on stderr (a JSON line each with --json) until the returned function is called. */
function showProgress(core: Core, io: CliIo, json: boolean): () => void {
  return core.bus.subscribe((event, payload) => {
    if (event !== 'kb.progress') return;
    const progress = payload as KbProgress;
    if (json) io.err(JSON.stringify(progress));
    else if (!progress.finished)
      io.err(`${progress.name}: ${progress.done}/${progress.total} ${progress.current ?? ''}`);
  });
}

type Embedded = { embedded: number; total: number } | null;

/**
 * After a sync, embeds the chunks still waiting (with whatever else the search index has queued) so the base is
 * searchable by meaning when the command returns. Without a token or a connection the keyword index stands alone,
 * and the next step is said; the app and `hubdesk index run` carry on later.
 */
async function embedChunks(core: Core, base: KbBaseSummary, io: CliIo, json: boolean): Promise<Embedded> {
  const embedded = () => core.knowledgeSearch.embedded(base.id);
  const before = embedded();
  if (!before || before.embedded >= before.total) return before;
  const report = () => {
    const now = embedded();
    if (!now) return;
    io.err(
      json
        ? JSON.stringify({ name: base.name, embedding: now })
        : `${base.name}: embedded ${now.embedded}/${now.total}`,
    );
  };
  try {
    await core.search.runUntilIdle({ ...(io.signal ? { signal: io.signal } : {}), onBatch: report });
  } catch (error) {
    if (io.signal?.aborted) throw error;
    const reason = (error instanceof HubError ? error.info.message : String(error)).replace(/\.$/, '');
    io.err(
      json
        ? JSON.stringify({ name: base.name, notEmbedded: reason })
        : `${base.name}: searchable by keywords; not yet by meaning (${reason}). Run \`hubdesk index run\` when you can.`,
    );
  }
  return embedded();
}

function embeddedText(embedded: Embedded): string {
  if (!embedded || embedded.total === 0) return '';
  return embedded.embedded >= embedded.total
    ? ' Searchable by keywords and meaning.'
    : ` ${embedded.embedded} of ${embedded.total} chunks embedded for meaning search.`;
}

/** `kb pause`, `kb resume`, `kb retry`; undefined for another command. */
async function pauseCommands(
  core: Core,
  sub: string,
  name: string | undefined,
  rest: string[],
  io: CliIo,
  json: boolean,
): Promise<number | undefined> {
  const print = (value: unknown, text: string) => io.out(json ? JSON.stringify(value) : text);
  if (sub === 'pause') {
    await core.knowledge.pause(needName(name));
    print({ ok: true }, `Paused ${name}: no sync runs until: hubdesk kb resume ${name}`);
    return 0;
  }
  if (sub !== 'resume' && sub !== 'retry') return undefined;
  const stop = showProgress(core, io, json);
  const interrupt = () => void core.knowledge.close();
  io.signal?.addEventListener('abort', interrupt, { once: true });
  try {
    if (sub === 'resume') {
      const report = await core.knowledge.resume(needName(name));
      print(
        report,
        `Resumed ${name}: ${reportText(report)}.${problemsHint(core.knowledge.status(needName(name)).base)}`,
      );
    } else {
      const [path, ...extra] = rest;
      if (extra.length > 0)
        throw new HubError({ kind: 'invalid_input', message: 'Retry one file at a time.', field: 'path' });
      const report = await core.knowledge.retry(needName(name), path);
      print(
        report,
        `Retried ${path ?? `the failed files of ${name}`}: ${reportText(report)}.${problemsHint(core.knowledge.status(needName(name)).base)}`,
      );
    }
  } finally {
    io.signal?.removeEventListener('abort', interrupt);
    stop();
  }
  return 0;
}

/** `hubdesk kb …`. */
export async function kbCommand(core: Core, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const json = values.json ?? false;
  const [sub, name, ...rest] = positionals;
  if (values.help || !sub) {
    (values.help ? io.out : io.err)(kbUsage);
    return values.help ? 0 : 2;
  }
  const print = (value: unknown, text: string) => io.out(json ? JSON.stringify(value) : text);

  if (sub === 'add' || sub === 'sync') {
    const stop = showProgress(core, io, json);
    // Ctrl+C stops the sync after the file being read; what was indexed stays, and the next sync goes on from there.
    const interrupt = () => void core.knowledge.close();
    io.signal?.addEventListener('abort', interrupt, { once: true });
    try {
      if (sub === 'add') {
        const added = await core.knowledge.addBase(needName(name), rest);
        const embedded = await embedChunks(core, added.base, io, json);
        print(
          { ...added, embedded },
          `Added ${summaryText(added.base)}.${embeddedText(embedded)}${problemsHint(added.base)}`,
        );
      } else {
        const report = await core.knowledge.sync(needName(name));
        const base = core.knowledge.status(needName(name)).base;
        const embedded = await embedChunks(core, base, io, json);
        print(
          { ...report, embedded },
          `Synced ${name}: ${reportText(report)}.${embeddedText(embedded)}${problemsHint(base)}`,
        );
      }
    } finally {
      io.signal?.removeEventListener('abort', interrupt);
      stop();
    }
    return 0;
  }
  const paused = await pauseCommands(core, sub, name, rest, io, json);
  if (paused !== undefined) return paused;
  if (sub === 'list') {
    const bases = core.knowledge.list();
    print(
      bases,
      bases.length === 0
        ? 'No knowledge bases. Add one with: hubdesk kb add NAME FOLDER'
        : bases.map((base) => `${summaryText(base)}\n  ${base.roots.join('\n  ')}`).join('\n'),
    );
    return 0;
  }
  if (sub === 'status') {
    const status = core.knowledge.status(needName(name));
    const problems = status.files
      .filter((file) => file.status !== 'indexed')
      .map(
        (file) => `  ${file.status === 'failed' ? 'failed' : 'no text'}: ${file.path}: ${file.error ?? ''}`,
      );
    const embedded = core.knowledgeSearch.embedded(status.base.id);
    const count = (n: number) => n.toLocaleString('en-US');
    print(
      { ...status, embedded },
      [
        summaryText(status.base),
        ...(embedded ? [`  embedded ${count(embedded.embedded)} of ${count(embedded.total)} chunks`] : []),
        ...status.base.roots.map((root) => `  folder: ${root}`),
        ...problems,
      ].join('\n'),
    );
    return 0;
  }
  if (sub === 'search') {
    const query = rest.join(' ');
    if (query.trim() === '')
      throw new HubError({ kind: 'invalid_input', message: 'Give words to search for.', field: 'query' });
    const limit = values.limit === undefined ? 10 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new HubError({
        kind: 'invalid_input',
        message: '--limit must be a whole number from 1 to 100.',
        field: 'limit',
      });
    }
    const hits = await core.knowledge.search(needName(name), query, limit);
    print(hits, hits.length === 0 ? 'No matches.' : hits.map(hitText).join('\n'));
    return 0;
  }
  if (sub === 'remove') {
    await core.knowledge.removeBase(needName(name));
    print({ ok: true }, `Removed knowledge base "${name}" (its files are untouched).`);
    return 0;
  }
  io.err(kbUsage);
  return 2;
}
