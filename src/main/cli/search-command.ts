import { parseArgs } from 'node:util';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../shared/chat';
import { channels, type ParsedRequestOf } from '../../shared/contract';
import { english } from '../../shared/locales';
import {
  type EverythingHit,
  type IndexStatus,
  type MeaningReason,
  meaningReasonKey,
  type SearchKind,
} from '../../shared/search';
import { HubError, invalidInput } from '../base/errors';
import type { Core } from '../core';
import type { CliIo } from './io';

export const searchUsage = `Usage: hubdesk search QUERY [--kind chat|transcript|video]... [--limit N] [--json]

Searches conversations, transcripts and video prompts by words and by meaning, best first. Offline, or before
anything is indexed, only words are matched (a note on stderr says so).`;

export const indexUsage = `Usage: hubdesk index status|run|rebuild [--json]

  status                      what is indexed, per kind, with the model and tokens used
  run                         index everything pending, then exit (progress on stderr)
  rebuild [--model ID] [--dimensions N]
                              drop every vector and index everything again (a new model: a new index)`;

const kindNames: Record<string, SearchKind> = { chat: 'message', transcript: 'segment', video: 'video' };
const kindLabels: Record<SearchKind, string> = { message: 'chat', segment: 'transcript', video: 'video' };

/** The words a user knows the request's fields by: the flags they typed. */
const flagNames: Record<string, string> = {
  query: 'the search words',
  limit: '--limit',
  model: '--model',
  dimensions: '--dimensions',
};

function parse<C extends 'search.everything' | 'index.rebuild'>(
  channel: C,
  request: unknown,
): ParsedRequestOf<C> {
  const parsed = channels[channel].request.safeParse(request);
  if (!parsed.success) throw new HubError(invalidInput(parsed.error.issues, request, flagNames));
  return parsed.data as ParsedRequestOf<C>;
}

function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function hitLine(hit: EverythingHit): string {
  const snippet = hit.snippet.replaceAll(SNIPPET_MATCH_START, '*').replaceAll(SNIPPET_MATCH_END, '*');
  const where =
    hit.kind === 'message'
      ? `conversation ${hit.target.conversationId} message ${hit.target.messageId}`
      : hit.kind === 'segment'
        ? `transcript ${hit.target.transcriptId} at ${clock(hit.target.startSec)}`
        : `video ${hit.target.videoId}`;
  const date = new Date(hit.date).toISOString().slice(0, 10);
  return `[${kindLabels[hit.kind]}] ${hit.title} (${date}, ${hit.matchedBy})\n    ${snippet}\n    ${where}`;
}

function statusText(status: IndexStatus): string {
  const line = (label: string, kind: SearchKind) =>
    `  ${label.padEnd(12)} ${status.kinds[kind].indexed} / ${status.kinds[kind].total}`;
  return [
    `Model: ${status.model}${status.dimensions ? ` (${status.dimensions} dimensions)` : ''}`,
    `Indexed: ${status.indexed} / ${status.total}`,
    line('messages', 'message'),
    line('segments', 'segment'),
    line('videos', 'video'),
    `Tokens used: ${status.tokensUsed}`,
    `State: ${status.paused ? 'paused' : status.offline ? 'offline' : status.running ? 'running' : 'idle'}`,
    `Vector search: ${status.vectorSearch}`,
    ...(status.lastError ? [`Last error: ${status.lastError}`] : []),
  ].join('\n');
}

function progressLine(status: IndexStatus): string {
  return `indexing: ${status.indexed} / ${status.total} items, ${status.tokensUsed} tokens`;
}

/** `hubdesk search QUERY …` and `hubdesk index status|run|rebuild`. */
export async function searchCommand(
  core: Core,
  verb: 'search' | 'index',
  args: string[],
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      kind: { type: 'string', multiple: true },
      limit: { type: 'string' },
      model: { type: 'string' },
      dimensions: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const json = values.json ?? false;
  const usage = verb === 'search' ? searchUsage : indexUsage;
  if (values.help) {
    io.out(usage);
    return 0;
  }

  if (verb === 'search') {
    const query = positionals.join(' ');
    if (query.trim() === '') {
      io.err(usage);
      return 2;
    }
    const kinds = (values.kind ?? []).map((name) => {
      const kind = kindNames[name];
      if (!kind) {
        throw new HubError({
          kind: 'invalid_input',
          message: `--kind must be chat, transcript or video (not "${name}").`,
          field: 'kind',
        });
      }
      return kind;
    });
    const request = parse('search.everything', {
      query,
      ...(kinds.length > 0 ? { kinds } : {}),
      ...(values.limit !== undefined ? { limit: Number(values.limit) } : {}),
    });
    const result = await core.search.search(request);
    if (json) {
      io.out(JSON.stringify(result));
      return 0;
    }
    if (result.meaningUnavailable) io.err(meaningReasonText(result.meaningUnavailable));
    if (result.hits.length === 0) io.out('No matches.');
    for (const hit of result.hits) io.out(hitLine(hit));
    return 0;
  }

  const [sub] = positionals;
  if (sub === 'status') {
    const status = core.search.status();
    io.out(json ? JSON.stringify(status) : statusText(status));
    return 0;
  }
  if (sub === 'run' || sub === 'rebuild') {
    if (sub === 'rebuild') {
      core.search.rebuild(
        parse('index.rebuild', {
          ...(values.model !== undefined ? { model: values.model } : {}),
          ...(values.dimensions !== undefined ? { dimensions: Number(values.dimensions) } : {}),
        }),
      );
    }
    let last = '';
    const report = (status: IndexStatus) => {
      const line = progressLine(status);
      if (line !== last) io.err(line);
      last = line;
    };
    report(core.search.status());
    const status = await core.search.runUntilIdle({
      ...(io.signal ? { signal: io.signal } : {}),
      onBatch: report,
    });
    io.out(json ? JSON.stringify(status) : statusText(status));
    return 0;
  }
  io.err(usage);
  return 2;
}

/** What starts indexing or lets it work, from the terminal. */
const reasonNextStep: Partial<Record<MeaningReason['code'], string>> = {
  notIndexed:
    'Run `hubdesk index run` to index what you have (it needs an API token); the app also indexes in the background while it is open.',
  needsToken: 'Run `hubdesk token set` or set HUBDESK_TOKEN, then `hubdesk index run`.',
};

/** Why meaning search did not run, in English (the window says it in its language from the same file), and what to do. */
export function meaningReasonText(reason: MeaningReason): string {
  const why = english.search.reasons[meaningReasonKey(reason)].replace('{{detail}}', reason.detail ?? '');
  const next = reasonNextStep[reason.code];
  return next ? `${why} ${next}` : why;
}
