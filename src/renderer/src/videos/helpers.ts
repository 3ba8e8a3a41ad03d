import i18next from 'i18next';
import { english } from '../../../shared/locales';
import {
  type VideoCreateRequest,
  videoCreateProblems,
  videoCreateRequestSchema,
} from '../../../shared/videos/create-request';
import {
  type VideoDeleteScope,
  type VideoJob,
  type VideoStatus,
  type VideoVendor,
  videoVendorLabels,
} from '../../../shared/videos/job';
import type { VideoModelSpec, VideoOptionSpec, VideoVendorSpec } from '../../../shared/videos/vendor-specs';
import { currentLanguage } from '../i18n';

const strings = english.videos;

/** Whether the English strings have this key, so a key built from data (an option id, a value) can be typed. */
function hasKey<T extends object>(tree: T, key: string): key is Extract<keyof T, string> {
  return Object.hasOwn(tree, key);
}

// ---------------------------------------------------------------------------------------------
// The create form: option values as the form holds them, checked against the model's spec

/** Enum, integer, number and text fields hold their text; checkboxes hold a boolean. */
export type OptionValue = string | boolean;
export type OptionValues = Record<string, OptionValue>;

/** Problems keyed by form field: `prompt`, `model`, `image`, `imageTail`, or an option key. */
export type FormProblems = Record<string, string>;

export function defaultOptionValue(spec: VideoOptionSpec): OptionValue {
  switch (spec.type) {
    case 'boolean':
      return spec.default ?? false;
    case 'enum':
      return spec.default ?? '';
    case 'integer':
    case 'number':
      return spec.default === undefined ? '' : String(spec.default);
    case 'text':
      return '';
  }
}

export function defaultOptionValues(model: VideoModelSpec): OptionValues {
  return Object.fromEntries(model.options.map((spec) => [spec.key, defaultOptionValue(spec)]));
}

/** The values for a newly chosen model: what the user set and the new model still accepts, else defaults. */
export function carryOptionValues(model: VideoModelSpec, previous: OptionValues): OptionValues {
  const next = defaultOptionValues(model);
  for (const spec of model.options) {
    const value = previous[spec.key];
    if (value === undefined || typeof value !== typeof next[spec.key]) continue;
    if (optionProblem(spec, value) === null) next[spec.key] = value;
  }
  return next;
}

/** A label without its unit ("Duration (s)" → "Duration", "s"), so the field's name reads plainly. */
export function splitLabel(label: string): { name: string; unit: string | null } {
  const match = /^(.*?)\s*\(([^)]+)\)$/.exec(label);
  if (!match?.[1] || !match[2]) return { name: label, unit: null };
  return { name: match[1], unit: match[2] };
}

/** A unit as the current language writes it ("s" → "秒"); unknown units as they are. */
export function unitText(unit: string): string {
  return hasKey(strings.units, unit) ? i18next.t(`videos:units.${unit}`) : unit;
}

/** An option's name and unit in the current language, keyed by its id; the spec's own label otherwise. */
export function optionLabel(spec: VideoOptionSpec): { name: string; unit: string | null } {
  const { name, unit } = splitLabel(spec.label);
  return {
    name: hasKey(strings.params, spec.key) ? i18next.t(`videos:params.${spec.key}`) : name,
    unit: unit === null ? null : unitText(unit),
  };
}

/** An enum value as the form shows it: a size with its shape, a known word translated, else the value. */
export function optionValueText(value: string): string {
  const match = /^(\d+)x(\d+)$/.exec(value);
  if (match) {
    const [width, height] = [Number(match[1]), Number(match[2])];
    const shape = width > height ? 'landscape' : width < height ? 'portrait' : 'square';
    return i18next.t(`videos:size.${shape}`, { width, height });
  }
  return hasKey(strings.values, value) ? i18next.t(`videos:values.${value}`) : value;
}

/** The options the form shows: Kling's image-to-video takes its aspect ratio from the image. */
export function visibleOptions(
  vendor: VideoVendor,
  model: VideoModelSpec,
  hasImage: boolean,
): VideoOptionSpec[] {
  if (vendor === 'kling' && hasImage) return model.options.filter((spec) => spec.key !== 'aspectRatio');
  return model.options;
}

const count = { format: (value: number) => value.toLocaleString(currentLanguage()) };

/** A number as written, in the current language's digits and decimal sign, without grouping. */
function plainNumber(value: number): string {
  return value.toLocaleString(currentLanguage(), { useGrouping: false, maximumFractionDigits: 20 });
}

function listWords(values: readonly (string | number)[]): string {
  const words = values.map(String);
  if (words.length <= 1) return words.join('');
  return i18next.t('videos:list.or', {
    head: words.slice(0, -1).join(i18next.t('videos:list.separator')),
    last: words.at(-1),
  });
}

/** Why a field's value cannot be sent, or null. An empty value means "the vendor's default". */
export function optionProblem(spec: VideoOptionSpec, value: OptionValue): string | null {
  if (spec.type === 'boolean')
    return typeof value === 'boolean' ? null : i18next.t('videos:validation.onOff');
  if (typeof value !== 'string') return i18next.t('videos:validation.enterValue');
  const text = value.trim();
  if (text === '') return null;
  switch (spec.type) {
    case 'enum':
      return spec.values.includes(text)
        ? null
        : i18next.t('videos:validation.choose', { values: listWords(spec.values) });
    case 'integer': {
      const number = Number(text);
      if (!Number.isInteger(number)) return i18next.t('videos:validation.wholeNumber');
      if (spec.allowed && !spec.allowed.includes(number))
        return i18next.t('videos:validation.oneOf', { values: listWords(spec.allowed) });
      if (number < spec.min || number > spec.max) {
        return i18next.t('videos:validation.between', {
          min: count.format(spec.min),
          max: count.format(spec.max),
        });
      }
      return null;
    }
    case 'number': {
      const number = Number(text);
      if (!Number.isFinite(number)) return i18next.t('videos:validation.number');
      if (number < spec.min || number > spec.max) {
        return i18next.t('videos:validation.between', {
          min: plainNumber(spec.min),
          max: plainNumber(spec.max),
        });
      }
      return null;
    }
    case 'text':
      return text.length > spec.maxLength
        ? i18next.t('videos:validation.maxChars', { max: count.format(spec.maxLength) })
        : null;
  }
}

function optionWireValue(spec: VideoOptionSpec, value: OptionValue): unknown {
  if (spec.type === 'boolean') return value === true;
  const text = String(value).trim();
  if (text === '') return undefined;
  if (spec.type === 'integer' || spec.type === 'number') return Number(text);
  return text;
}

export type CreateDraft = {
  vendor: VideoVendor;
  model: string;
  prompt: string;
  values: OptionValues;
  imagePath?: string | undefined;
  imageTailPath?: string | undefined;
};

/** Maps a request path (`options.duration`, `imageTailPath`) to the form field that shows it. */
export function fieldForPath(path: string): string {
  if (path === 'imagePath') return 'image';
  if (path === 'imageTailPath') return 'imageTail';
  return path.startsWith('options.') ? path.slice('options.'.length) : path;
}

function sentence(label: string, message: string): string {
  const text = `${label} ${message}`;
  return text.endsWith('.') ? text : `${text}.`;
}

/**
 * The request the form would send, checked before sending: each field against the model's spec, then the rules
 * that span fields or depend on the model (the same ones main applies).
 */
export function buildCreateRequest(
  draft: CreateDraft,
  vendor: VideoVendorSpec,
): { request: VideoCreateRequest; problems: null } | { request: null; problems: FormProblems } {
  const problems: FormProblems = {};
  const model = vendor.models.find((candidate) => candidate.id === draft.model);
  if (!model) problems.model = i18next.t('videos:validation.model');
  const prompt = draft.prompt.trim();
  if (prompt === '') problems.prompt = i18next.t('videos:validation.prompt');
  else if (prompt.length > vendor.promptMaxLength) {
    problems.prompt = i18next.t('videos:validation.promptTooLong', {
      vendor: vendor.label,
      max: count.format(vendor.promptMaxLength),
      length: count.format(prompt.length),
    });
  }
  if (draft.imagePath && !vendor.firstFrame)
    problems.image = i18next.t('videos:validation.noImage', { vendor: vendor.label });
  if (draft.imageTailPath && !vendor.lastFrame)
    problems.imageTail = i18next.t('videos:validation.noEndFrame', { vendor: vendor.label });

  const options: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  for (const spec of model ? visibleOptions(draft.vendor, model, Boolean(draft.imagePath)) : []) {
    labels[spec.key] = optionLabel(spec).name;
    const value = draft.values[spec.key] ?? defaultOptionValue(spec);
    const problem = optionProblem(spec, value);
    if (problem) {
      problems[spec.key] = problem;
      continue;
    }
    const wire = optionWireValue(spec, value);
    if (wire !== undefined) options[spec.key] = wire;
  }

  const candidate = {
    vendor: draft.vendor,
    model: draft.model,
    prompt,
    options,
    ...(draft.imagePath ? { imagePath: draft.imagePath } : {}),
    ...(draft.imageTailPath ? { imageTailPath: draft.imageTailPath } : {}),
  };
  for (const problem of videoCreateProblems(candidate)) {
    const field = fieldForPath(problem.field);
    problems[field] ??= i18next.t(`videos:validation.${problem.code}`);
  }
  if (Object.keys(problems).length > 0) return { request: null, problems };

  const parsed = videoCreateRequestSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldForPath(issue.path.map(String).join('.')) || 'form';
      problems[field] ??= sentence(labels[field] ?? '', issue.message).trim();
    }
    return { request: null, problems };
  }
  return { request: parsed.data, problems: null };
}

// ---------------------------------------------------------------------------------------------
// Status and what the user can do about a job

export type StatusTone = 'neutral' | 'progress' | 'good' | 'warn' | 'danger';

/** A status as one word in the current language ("Queued", "Ready"…). */
export function videoStatusLabel(status: VideoStatus): string {
  return i18next.t(`videos:status.${status}`);
}

export function statusTone(status: VideoStatus): StatusTone {
  switch (status) {
    case 'submitting':
    case 'queued':
    case 'running':
      return 'progress';
    case 'succeeded':
      return 'good';
    case 'failed':
      return 'danger';
    case 'unknown':
    case 'expired':
      return 'warn';
    case 'cancelled':
      return 'neutral';
  }
}

/** A create that was sent but never answered: it waits for the user, not for the vendor. */
export function isStalled(job: VideoJob): boolean {
  return job.status === 'submitting' && job.error !== null;
}

/** The vendor is still working on the job (a progress bar is shown). */
export function isGenerating(job: VideoJob): boolean {
  if (isStalled(job)) return false;
  return job.status === 'submitting' || job.status === 'queued' || job.status === 'running';
}

/** The colour of a job's status, where a stalled create or a failed download needs the user's eye. */
export function jobTone(job: VideoJob): StatusTone {
  if (isStalled(job)) return 'warn';
  if (job.status === 'succeeded' && (job.download === 'failed' || job.download === 'unavailable'))
    return 'warn';
  return statusTone(job.status);
}

/** Whether the job's problem is an outright failure (red) rather than something to look at (amber). */
export function isFailure(job: VideoJob): boolean {
  return (job.status === 'failed' || job.status === 'cancelled') && !job.error?.safety;
}

/** 0–100 of the local download, or null when unknown. */
export function downloadPercent(job: VideoJob): number | null {
  if (!job.downloadTotal || job.downloadTotal <= 0) return null;
  return Math.max(0, Math.min(100, Math.round((job.downloadedBytes / job.downloadTotal) * 100)));
}

/** The short line a tile shows: "Generating 40%", "Downloading 12%", "Ready", "Failed"… */
export function statusLine(job: VideoJob): string {
  if (job.status === 'running' && job.progress !== null)
    return i18next.t('videos:statusLine.generatingPercent', { percent: Math.round(job.progress) });
  if (job.status === 'submitting' && job.error) return i18next.t('videos:statusLine.noAnswer');
  if (job.status === 'succeeded') {
    if (job.download === 'downloading' || job.download === 'pending') {
      const percent = downloadPercent(job);
      return percent === null
        ? i18next.t('videos:statusLine.downloading')
        : i18next.t('videos:statusLine.downloadingPercent', { percent });
    }
    if (job.download === 'failed') return i18next.t('videos:statusLine.downloadFailed');
    if (job.download === 'unavailable') return i18next.t('videos:statusLine.notDownloadable');
    if (job.download !== 'done' || !job.localFile) return i18next.t('videos:statusLine.notDownloaded');
  }
  return videoStatusLabel(job.status);
}

export function isDownloaded(job: VideoJob): boolean {
  return job.download === 'done' && job.localFile !== null;
}

/** Why a job did not (or cannot yet) give a video, in words a person can read; null when nothing is wrong. */
export function problemText(job: VideoJob): string | null {
  const vendor = videoVendorLabels[job.vendor];
  const error = job.error;
  if (error?.safety) return i18next.t('videos:problem.safety', { vendor, message: error.message }).trim();
  switch (job.status) {
    case 'failed':
      return error?.message ?? i18next.t('videos:problem.failed', { vendor });
    case 'cancelled':
      return error?.message ?? i18next.t('videos:problem.cancelled');
    case 'expired':
      return error?.message ?? i18next.t('videos:problem.expired', { vendor });
    case 'unknown':
      return i18next.t('videos:problem.unknown', { vendor });
    case 'submitting':
      return error ? i18next.t('videos:problem.noAnswer', { vendor, message: error.message }) : null;
    default:
      break;
  }
  if (job.status === 'succeeded' && job.download === 'unavailable') {
    return job.downloadError ?? i18next.t('videos:problem.notDownloadable');
  }
  if (job.status === 'succeeded' && job.download === 'failed') {
    return job.downloadError ?? i18next.t('videos:problem.downloadFailed');
  }
  return error?.message ?? null;
}

export type JobActions = {
  remix: boolean;
  download: boolean;
  checkAgain: boolean;
  sendAgain: boolean;
  remoteDelete: boolean;
};

/** Which buttons the detail view offers for this job. */
export function jobActions(job: VideoJob, vendor: VideoVendorSpec | undefined): JobActions {
  const remoteAlive = job.remoteId !== null && !job.remoteDeleted;
  return {
    remix: Boolean(vendor?.remix) && job.status === 'succeeded' && remoteAlive,
    download:
      job.status === 'succeeded' &&
      !isDownloaded(job) &&
      (job.download === 'none' || job.download === 'failed') &&
      (remoteAlive || job.remoteUrl !== null),
    checkAgain: job.status === 'unknown',
    sendAgain: job.status === 'submitting' || (job.status === 'failed' && job.remoteId === null),
    remoteDelete: Boolean(vendor?.remoteDelete) && remoteAlive,
  };
}

/** What a delete with this scope will do, said before the user confirms. */
export function deleteSummary(scope: VideoDeleteScope, job: VideoJob): string {
  const vendor = videoVendorLabels[job.vendor];
  const hasFile = isDownloaded(job);
  switch (scope) {
    case 'local':
      return hasFile
        ? i18next.t('videos:deleteSummary.localFile')
        : i18next.t('videos:deleteSummary.localNoFile');
    case 'remote':
      return i18next.t('videos:deleteSummary.remote', { vendor });
    case 'both':
      return job.remoteId !== null && job.vendor === 'sora' && !job.remoteDeleted
        ? i18next.t('videos:deleteSummary.bothRemote', { vendor })
        : i18next.t('videos:deleteSummary.both');
  }
}

// ---------------------------------------------------------------------------------------------
// The library: filters, order, lineage

export type LibraryFilter = { vendor: VideoVendor | ''; status: VideoStatus | ''; query: string };

/** Newest first, without jobs in the trash, narrowed by vendor, status and a search over prompts. */
export function filterJobs(jobs: Iterable<VideoJob>, filter: LibraryFilter): VideoJob[] {
  const words = filter.query.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const matches: VideoJob[] = [];
  for (const job of jobs) {
    if (job.deletedAt !== null) continue;
    if (filter.vendor && job.vendor !== filter.vendor) continue;
    if (filter.status && job.status !== filter.status) continue;
    if (words.length > 0) {
      const prompt = job.prompt.toLocaleLowerCase();
      if (!words.every((word) => prompt.includes(word))) continue;
    }
    matches.push(job);
  }
  return matches.sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
}

/** Keeps the newer of two versions of a job (events and list answers can cross). */
export function newerJob(current: VideoJob | undefined, incoming: VideoJob): VideoJob {
  if (!current) return incoming;
  return incoming.updatedAt >= current.updatedAt ? incoming : current;
}

export type LineageNode = { job: VideoJob; children: LineageNode[] };

/** The remix tree of these jobs: roots are the jobs whose parent is not among them; children oldest first. */
export function buildLineage(jobs: readonly VideoJob[]): LineageNode[] {
  const nodes = new Map<string, LineageNode>();
  for (const job of [...jobs].sort((a, b) => a.createdAt - b.createdAt)) {
    nodes.set(job.id, { job, children: [] });
  }
  const roots: LineageNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.job.parentId === null ? undefined : nodes.get(node.job.parentId);
    if (parent && !createsCycle(node, parent.job.id, nodes)) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Guards against a parent cycle in bad data: attaching here would make the job its own ancestor. */
function createsCycle(node: LineageNode, parentId: string, nodes: Map<string, LineageNode>): boolean {
  let cursor: string | null = parentId;
  const seen = new Set<string>();
  while (cursor !== null && !seen.has(cursor)) {
    if (cursor === node.job.id) return true;
    seen.add(cursor);
    cursor = nodes.get(cursor)?.job.parentId ?? null;
  }
  return false;
}

/** The jobs of the library that share a remix tree with this one (for when main cannot be asked). */
export function lineageFromLibrary(jobs: readonly VideoJob[], id: string): VideoJob[] {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  let root = byId.get(id);
  const seen = new Set<string>();
  while (root?.parentId && byId.has(root.parentId) && !seen.has(root.id)) {
    seen.add(root.id);
    root = byId.get(root.parentId);
  }
  if (!root) return [];
  const family = [root];
  const members = new Set([root.id]);
  for (let index = 0; index < family.length; index += 1) {
    const parent = family[index];
    for (const job of jobs) {
      if (parent && job.parentId === parent.id && !members.has(job.id)) {
        members.add(job.id);
        family.push(job);
      }
    }
  }
  return family;
}

// ---------------------------------------------------------------------------------------------
// Formatting

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  const number = value.toLocaleString(currentLanguage(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  });
  return `${number} ${units[unit]}`;
}

/** Option keys as words: `durationSeconds` → "Duration seconds". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A parameter the model's spec does not describe (the image names main records…), as words. */
function extraParamName(key: string): string {
  return hasKey(strings.extraParams, key) ? i18next.t(`videos:extraParams.${key}`) : humanizeKey(key);
}

/** The parameters of a job as label/value pairs, labelled like the form where the spec knows the key. */
export function paramRows(
  params: Record<string, unknown>,
  model: VideoModelSpec | undefined,
): { key: string; label: string; value: string }[] {
  return Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => {
      const spec = model?.options.find((option) => option.key === key);
      const { name, unit } = spec ? optionLabel(spec) : splitLabel(extraParamName(key));
      const text =
        typeof value === 'boolean'
          ? value
            ? i18next.t('videos:values.on')
            : i18next.t('videos:values.off')
          : typeof value === 'string' || typeof value === 'number'
            ? String(value)
            : JSON.stringify(value);
      return { key, label: name, value: unit && /^-?\d+(\.\d+)?$/.test(text) ? `${text} ${unit}` : text };
    });
}
