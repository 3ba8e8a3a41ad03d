/**
 * `hubdesk doctor` and Settings → Diagnostics (issue 12): what HubDesk needs to run, checked without changing
 * anything. Main reports codes and values; the window words them in its language (locales/<language>/doctor.json)
 * and the CLI and "Copy report" word them in English from the same file (`doctorReportText`). Spread into
 * contract.ts.
 */
import { z } from 'zod';
import type { ChannelMap } from './channel-map';
import { type AppError, appErrorSchema, errorAdvice, NO_TOKEN_CODE } from './errors';
import en from './locales/en/doctor.json';
import { formatBytes } from './sizes';

export const doctorStatusSchema = z.enum(['ok', 'warn', 'fail']);
export type DoctorStatus = z.infer<typeof doctorStatusSchema>;

export const doctorFactNameSchema = z.enum([
  'node',
  'electron',
  'napi',
  'abi',
  'platform',
  'arch',
  'moduleVersion',
  'sqliteVersion',
  'fts5',
  'trigram',
  'binding',
  'moduleLoaded',
  'keychain',
  'extensionVersion',
  'ffmpegPath',
  'ffprobePath',
  'source',
  'ffmpegVersion',
  'ffprobeVersion',
  'path',
  'exists',
  'writable',
  'size',
  'free',
  'quickCheck',
  'schemaVersion',
  'newestSchema',
  'profile',
  'endpoint',
  'httpStatus',
  'latency',
  'model',
]);
export type DoctorFactName = z.infer<typeof doctorFactNameSchema>;

/** One fact behind a check: shown as is (`text`), as a size, a duration, yes/no, or a worded code. */
export const doctorFactSchema = z.discriminatedUnion('kind', [
  z.object({ name: doctorFactNameSchema, kind: z.literal('text'), value: z.string() }),
  z.object({ name: doctorFactNameSchema, kind: z.literal('bytes'), value: z.number() }),
  z.object({ name: doctorFactNameSchema, kind: z.literal('ms'), value: z.number() }),
  z.object({ name: doctorFactNameSchema, kind: z.literal('flag'), value: z.boolean() }),
  z.object({ name: doctorFactNameSchema, kind: z.literal('source'), value: z.enum(['package', 'path']) }),
]);
export type DoctorFact = z.infer<typeof doctorFactSchema>;

const noteValues = z.record(z.string(), z.union([z.string(), z.number()]));

function checkSchema<I extends string, N extends readonly [string, ...string[]]>(id: I, notes: N) {
  return z.object({
    id: z.literal(id),
    status: doctorStatusSchema,
    /** What the check found, as a sentence code (doctor:notes.<id>.<note>) with its placeholders' values. */
    note: z.enum(notes),
    values: noteValues,
    facts: z.array(doctorFactSchema),
    /** The connection test's error, as every other request error: the window adds its advice. */
    error: appErrorSchema.optional(),
  });
}

/** Each check and the sentences it can end with (the keys of doctor:notes.<id>). */
export const doctorCheckSchema = z.discriminatedUnion('id', [
  checkSchema('runtime', ['ok', 'oldNode']),
  checkSchema('sqlite', ['ok', 'noLoad', 'noFts5', 'noTrigram']),
  checkSchema('keytar', ['ok', 'noModule', 'noService']),
  checkSchema('sqliteVec', ['ok', 'noLoad', 'notChecked']),
  checkSchema('ffmpeg', ['ok', 'missing']),
  checkSchema('dataFolder', ['ok', 'missing', 'notFolder', 'notWritable', 'lowSpace']),
  checkSchema('database', ['ok', 'upgrade', 'missing', 'newer', 'damaged', 'unreadable', 'notChecked']),
  checkSchema('connection', ['ok', 'failed', 'noProfile']),
]);
export type DoctorCheck = z.infer<typeof doctorCheckSchema>;
export type DoctorCheckId = DoctorCheck['id'];

export const doctorReportSchema = z.object({
  /** The HubDesk version that ran the checks. */
  version: z.string(),
  /** When the checks ran (ms since the epoch). */
  checkedAt: z.number(),
  /** Whether the connection test was asked for. */
  online: z.boolean(),
  /** The worst status of any check. */
  status: doctorStatusSchema,
  checks: z.array(doctorCheckSchema),
});
export type DoctorReport = z.infer<typeof doctorReportSchema>;

export const doctorChannels = {
  /**
   * Runs every check (read-only: the database is opened read-only, the data folder gets a probe file that is
   * removed at once); `online` adds one real call with the active profile.
   */
  'doctor.run': {
    request: z.object({ online: z.boolean() }).strict(),
    response: doctorReportSchema,
  },
} as const satisfies ChannelMap;

const rank: Record<DoctorStatus, number> = { ok: 0, warn: 1, fail: 2 };

/** The worst of the statuses (ok when there are none). */
export function worstStatus(statuses: readonly DoctorStatus[]): DoctorStatus {
  return statuses.reduce<DoctorStatus>((worst, next) => (rank[next] > rank[worst] ? next : worst), 'ok');
}

type Notes = typeof en.notes;
/** The translation key of a check's sentence, under the doctor namespace. */
export type DoctorNoteKey = {
  [I in keyof Notes]: `notes.${I}.${keyof Notes[I] & string}`;
}[keyof Notes];

export function doctorNoteKey(check: DoctorCheck): DoctorNoteKey {
  return `notes.${check.id}.${check.note}` as DoctorNoteKey;
}

/** `{{name}}` placeholders filled from `values` (the i18next syntax the JSON files use). */
function fill(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => String(values[name] ?? ''));
}

function englishFact(fact: DoctorFact): string {
  switch (fact.kind) {
    case 'text':
      return fact.value;
    case 'bytes':
      return formatBytes(fact.value, { zeros: 'keep' });
    case 'ms':
      return fill(en.values.ms, { value: Math.round(fact.value) });
    case 'flag':
      return fact.value ? en.values.yes : en.values.no;
    case 'source':
      return en.values.source[fact.value];
  }
}

/** A check's sentence in English; a failed connection test adds what to do about it. */
export function englishNote(check: DoctorCheck): string {
  const notes = en.notes as Record<string, Record<string, string>>;
  const sentence = fill(notes[check.id]?.[check.note] ?? check.note, check.values);
  return check.error ? `${sentence} ${englishAdvice(check.error)}` : sentence;
}

/** The report is read in the window ("Copy report") and in the terminal alike: a missing token names both ways. */
function englishAdvice(error: AppError): string {
  if (error.code === NO_TOKEN_CODE)
    return 'Set one in Settings → API token, with `hubdesk token set`, or in HUBDESK_TOKEN.';
  return errorAdvice[error.kind];
}

/** One line: status, check, what it found, and the facts behind it. */
export function doctorCheckLine(check: DoctorCheck): string {
  const facts = check.facts.map((fact) => `${en.facts[fact.name]}: ${englishFact(fact)}`).join('; ');
  const line = `${en.text.status[check.status].padEnd(4)}  ${en.checks[check.id]}: ${englishNote(check)}${facts ? ` [${facts}]` : ''}`;
  return line.replace(/\s*\n\s*/g, ' ');
}

/**
 * The report as plain English text, one line per check: what `hubdesk doctor` prints and what "Copy report"
 * puts on the clipboard (English, so that whoever reads a bug report can follow it).
 */
export function doctorReportText(report: DoctorReport): string {
  const count = (status: DoctorStatus) => report.checks.filter((check) => check.status === status).length;
  return [
    fill(en.text.title, {
      version: report.version,
      date: new Date(report.checkedAt)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC'),
    }),
    ...report.checks.map(doctorCheckLine),
    fill(en.text.total, { fail: count('fail'), warn: count('warn'), ok: count('ok') }),
  ].join('\n');
}
