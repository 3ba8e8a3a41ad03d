import { parseArgs } from 'node:util';
import { videoJobCost } from '../../shared/costs';
import { allowedWords, describeInputIssue, type InputIssue, inputIssueOf } from '../../shared/input-issues';
import { type VideoCreateRequest, videoCreateRequestSchema } from '../../shared/videos/create-request';
import {
  type VideoJob,
  videoDeleteScopeSchema,
  videoStatusSchema,
  videoVendorSchema,
} from '../../shared/videos/job';
import { videoVendorSpecs } from '../../shared/videos/vendor-specs';
import { HubError } from '../base/errors';
import type { Core } from '../core';
import type { CliIo } from './io';

const usage = `Usage: hubdesk video <command> [--json]
  create --vendor sora|seedance|kling|veo --model ID --prompt TEXT
         [--image FILE] [--image-tail FILE] [--seconds N] [--size WxH] [--ratio R] [--wait]
  status ID            ask the vendor now and print the job
  download ID          download (or resume) a finished video and wait for it
  remix ID --prompt TEXT [--wait]     (Sora)
  delete ID [--scope local|remote|both]   default: local (the file only)
  list [--vendor V] [--status S] [--query TEXT]
  sync                 import the Sora videos of the account the library does not know`;

function invalid(message: string, field?: string): HubError {
  return new HubError({ kind: 'invalid_input', message, ...(field ? { field } : {}) });
}

/** --seconds / --size / --ratio in each vendor's own option names. */
function vendorOptions(
  vendor: VideoCreateRequest['vendor'],
  flags: { seconds?: string | undefined; size?: string | undefined; ratio?: string | undefined },
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const seconds = flags.seconds;
  if (flags.size !== undefined && vendor !== 'sora')
    throw invalid('--size is a Sora option; use --ratio.', 'size');
  if (flags.ratio !== undefined && vendor === 'sora')
    throw invalid('Sora takes --size WxH, not --ratio.', 'ratio');
  if (vendor === 'sora') {
    if (seconds !== undefined) options.seconds = seconds;
    if (flags.size !== undefined) options.size = flags.size;
  } else if (vendor === 'seedance') {
    if (seconds !== undefined) options.duration = Number(seconds);
    if (flags.ratio !== undefined) options.ratio = flags.ratio;
  } else if (vendor === 'kling') {
    if (seconds !== undefined) options.duration = seconds;
    if (flags.ratio !== undefined) options.aspectRatio = flags.ratio;
  } else {
    if (seconds !== undefined) options.durationSeconds = Number(seconds);
    if (flags.ratio !== undefined) options.aspectRatio = flags.ratio;
  }
  return options;
}

/** The flags behind each field of a create request. */
const createFlags: Record<string, string> = {
  model: '--model',
  prompt: '--prompt',
  imagePath: '--image',
  imageTailPath: '--image-tail',
  'options.seconds': '--seconds',
  'options.duration': '--seconds',
  'options.durationSeconds': '--seconds',
  'options.size': '--size',
  'options.ratio': '--ratio',
  'options.aspectRatio': '--ratio',
};

/** A create request the schema refused, in words: a length says what the vendor makes, a missing model lists them. */
function createIssueText(vendor: VideoCreateRequest['vendor'], issue: InputIssue, seconds?: string): string {
  const spec = videoVendorSpecs.find((candidate) => candidate.vendor === vendor);
  const label = spec?.label ?? vendor;
  if (issue.field === 'model' && issue.code === 'required' && spec) {
    return `Give the ${label} model with --model (${spec.models.map((model) => model.id).join(', ')}).`;
  }
  if (issue.field === 'prompt' && issue.code === 'required') return 'Give the prompt with --prompt TEXT.';
  if (createFlags[issue.field] === '--seconds' && !issue.custom) {
    const asked = seconds === undefined ? '' : `; you asked for ${seconds}`;
    const { min, max } = issue.values;
    if (issue.code === 'oneOf') return `${label} makes videos of ${allowedWords(issue)} seconds${asked}.`;
    if (issue.code === 'tooSmall') return `${label} makes videos of at least ${min} seconds${asked}.`;
    if (issue.code === 'tooBig') return `${label} makes videos of at most ${max} seconds${asked}.`;
    if (issue.code === 'notNumber' || issue.code === 'notWholeNumber')
      return `--seconds takes a whole number of seconds${asked}.`;
  }
  return describeInputIssue(issue, createFlags[issue.field]);
}

function describeJob(job: VideoJob, localPath: string | null): string {
  const progress = job.progress === null ? '' : ` ${Math.round(job.progress)}%`;
  const parts = [job.id, job.vendor, `${job.status}${progress}`, job.remoteId ?? '-'];
  if (job.download !== 'none') parts.push(`download: ${job.download}`);
  if (localPath) parts.push(localPath);
  if (job.error) parts.push(`error: ${job.error.message}`);
  if (job.downloadError) parts.push(`download error: ${job.downloadError}`);
  return `${parts.join('  ')}\n  ${job.prompt.replace(/\s+/g, ' ').slice(0, 100)}`;
}

/** `hubdesk video …`: the same service and validation as the Videos page. */
export async function videoCommand(core: Core, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      vendor: { type: 'string' },
      model: { type: 'string' },
      prompt: { type: 'string' },
      image: { type: 'string' },
      'image-tail': { type: 'string' },
      seconds: { type: 'string' },
      size: { type: 'string' },
      ratio: { type: 'string' },
      wait: { type: 'boolean', default: false },
      scope: { type: 'string' },
      status: { type: 'string' },
      query: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [sub, id] = positionals;
  if (values.help || !sub) {
    io.out(usage);
    return values.help ? 0 : 2;
  }
  const videos = core.videos;
  // Tests and scripts may poll faster than the app's few seconds.
  const pollMs = Number(io.env.HUBDESK_VIDEO_POLL_MS);
  if (Number.isFinite(pollMs) && pollMs > 0) {
    videos.setTiming({ firstPollMs: pollMs, maxPollMs: Math.max(pollMs, 1000), downloadRetryMs: pollMs });
  }
  const prices = core.costs.book();
  /** What the video costs (or will cost) at the price of its model; null without one (Settings → Prices). */
  const costOf = (job: VideoJob) => videoJobCost(prices, job.vendor, job.model, job.params);
  const print = (job: VideoJob) => {
    const localPath = videos.localPath(job);
    io.out(
      values.json ? JSON.stringify({ ...job, localPath, costUsd: costOf(job) }) : describeJob(job, localPath),
    );
  };
  const requireId = (): string => {
    if (!id) throw invalid(`Give the job id: hubdesk video ${sub} ID`, 'id');
    const direct = videos.list({ limit: 1000 }).find((job) => job.id === id || job.remoteId === id);
    return direct?.id ?? id;
  };
  const finish = async (job: VideoJob): Promise<number> => {
    const final = values.wait ? await videos.settled(job.id, io.signal) : job;
    print(final);
    if (final.status === 'failed' || final.status === 'cancelled' || final.status === 'expired') return 1;
    if (final.status === 'submitting' && final.error) return 1;
    return values.wait && final.download === 'failed' ? 1 : 0;
  };

  switch (sub) {
    case 'create': {
      const vendor = videoVendorSchema.safeParse(values.vendor);
      if (!vendor.success) throw invalid('--vendor must be sora, seedance, kling or veo.', 'vendor');
      const input = {
        vendor: vendor.data,
        model: values.model ?? '',
        prompt: values.prompt ?? '',
        options: vendorOptions(vendor.data, values),
        ...(values.image ? { imagePath: values.image } : {}),
        ...(values['image-tail'] ? { imageTailPath: values['image-tail'] } : {}),
      };
      const parsed = videoCreateRequestSchema.safeParse(input);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        const issue = first ? inputIssueOf(first, input) : undefined;
        throw invalid(
          issue ? createIssueText(vendor.data, issue, values.seconds) : 'The request is not valid.',
          issue?.field,
        );
      }
      return finish(await videos.create(parsed.data));
    }
    case 'status':
      return finish(await videos.refresh(requireId()));
    case 'download': {
      const job = videos.download(requireId());
      const final = await videos.settled(job.id, io.signal);
      print(final);
      return final.download === 'done' ? 0 : 1;
    }
    case 'remix': {
      if (!values.prompt) throw invalid('Give the new prompt: --prompt TEXT', 'prompt');
      return finish(await videos.remix(requireId(), values.prompt));
    }
    case 'delete': {
      const scope = videoDeleteScopeSchema.safeParse(values.scope ?? 'local');
      if (!scope.success) throw invalid('--scope must be local, remote or both.', 'scope');
      const { job } = await videos.delete(requireId(), scope.data);
      print(job);
      return 0;
    }
    case 'list': {
      const vendor = values.vendor === undefined ? undefined : videoVendorSchema.safeParse(values.vendor);
      const status = values.status === undefined ? undefined : videoStatusSchema.safeParse(values.status);
      if (vendor && !vendor.success)
        throw invalid('--vendor must be sora, seedance, kling or veo.', 'vendor');
      if (status && !status.success)
        throw invalid(`--status must be one of ${videoStatusSchema.options.join(', ')}.`);
      const jobs = videos.list({
        ...(vendor?.data ? { vendor: vendor.data } : {}),
        ...(status?.data ? { status: status.data } : {}),
        ...(values.query ? { query: values.query } : {}),
      });
      if (values.json)
        io.out(
          JSON.stringify(
            jobs.map((job) => ({ ...job, localPath: videos.localPath(job), costUsd: costOf(job) })),
          ),
        );
      else for (const job of jobs) io.out(describeJob(job, videos.localPath(job)));
      return 0;
    }
    case 'sync': {
      const result = await videos.sync();
      if (values.json) io.out(JSON.stringify(result));
      else {
        io.out(`${result.seen} videos on the account, ${result.imported.length} imported.`);
        for (const job of result.imported) io.out(describeJob(job, null));
      }
      return 0;
    }
    default:
      throw invalid(`Unknown video command "${sub}". Try: hubdesk video --help`);
  }
}
