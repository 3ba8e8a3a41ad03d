import type { AppError } from '../../../shared/errors';
import { type VideoCreateRequest, videoCreateRequestSchema } from '../../../shared/videos/create-request';
import type { VideoError, VideoJob, VideoVendor } from '../../../shared/videos/job';
import { createRequestOf, remixSourceOf, vendorOptionsOf } from '../../../shared/videos/reuse';
import type { HttpClient } from '../../api/http-client';
import { createRemoteVideo } from '../../api/video';
import { klingKind } from '../../api/video/kling';
import { soraRemix } from '../../api/video/sora';
import type { RemoteVideoState, VideoCreateInput, VideoImage } from '../../api/video/types';
import { HubError, invalidInput, toAppError } from '../../base/errors';
import { publicJob, type VideoRecord } from '../../store/videos-repo';
import { newVideoRecord, type VideoContext } from './context';
import { readVideoImage } from './image-input';
import type { VideoPolling } from './polling';

/** Failures that happen before a request can reach the vendor. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * An error that proves the vendor did not take the create: a 4xx or a Kling envelope code, a connection
 * that never opened, or a request refused before sending (no token, a bad base URL).
 */
function isDefiniteRefusal(info: AppError): boolean {
  if (info.status !== undefined) return info.status < 500;
  if (info.code !== undefined && NOT_SENT_CODES.has(info.code)) return true;
  return info.kind === 'auth' || info.kind === 'invalid_input';
}

function errorOf(info: AppError): VideoError {
  return {
    message: info.message,
    ...(info.code ? { code: info.code } : {}),
    ...(info.reason ? { reason: info.reason } : {}),
    ...(info.reason && info.providerMessage ? { providerMessage: info.providerMessage } : {}),
  };
}

type Send = (client: HttpClient, signal: AbortSignal) => Promise<RemoteVideoState>;

/**
 * Creates, remixes and re-sends: the job is written as `submitting` before its request leaves, and a create
 * that got no answer is never sent again without the user (docs/architecture.md §Rules 7).
 */
export class VideoSubmitter {
  private readonly creates = new Map<string, AbortController>();

  constructor(
    private readonly context: VideoContext,
    private readonly polling: VideoPolling,
  ) {}

  /** Aborts every create still waiting for its answer. */
  abortAll(): void {
    for (const controller of this.creates.values()) controller.abort();
  }

  /** Writes the job as `submitting`, then sends the create once (see `videos.create`). */
  async create(request: VideoCreateRequest): Promise<VideoJob> {
    const images = await readImages(
      request.vendor,
      request.options,
      request.imagePath,
      request.imageTailPath,
    );
    const params: Record<string, unknown> = { ...request.options };
    if (request.imagePath) Object.assign(params, { imagePath: request.imagePath, image: images.image?.name });
    if (request.imageTailPath) {
      Object.assign(params, { imageTailPath: request.imageTailPath, imageTail: images.imageTail?.name });
    }
    if (request.vendor === 'kling') params.klingKind = klingKind(images);
    const record = this.insertSubmitting({
      vendor: request.vendor,
      model: request.model,
      prompt: request.prompt,
      params,
      parentId: null,
    });
    const input: VideoCreateInput = {
      model: request.model,
      prompt: request.prompt,
      options: request.options,
      image: images.image,
      imageTail: images.imageTail,
    };
    return this.submit(record.id, (client, signal) =>
      createRemoteVideo(client, request.vendor, input, signal),
    );
  }

  /** Sora: a new job remixing a finished one, linked to it. */
  async remix(id: string, prompt: string): Promise<VideoJob> {
    const parent = this.context.record(id);
    if (parent.vendor !== 'sora') {
      throw new HubError({
        kind: 'invalid_input',
        message: 'Only Sora videos can be remixed.',
        reason: { code: 'videoRemixSoraOnly', values: {} },
      });
    }
    if (parent.status !== 'succeeded' || !parent.remoteId || parent.remoteDeleted) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'Only a finished Sora video that still exists on the account can be remixed.',
        reason: { code: 'videoRemixNeedsFinished', values: {} },
      });
    }
    const remoteId = parent.remoteId;
    const record = this.insertSubmitting({
      vendor: 'sora',
      model: parent.model,
      prompt,
      params: { ...vendorOptionsOf(parent.params), remixOf: remoteId },
      parentId: parent.id,
    });
    return this.submit(record.id, (client, signal) => soraRemix(client, remoteId, prompt, signal));
  }

  /**
   * A new job with the same vendor, model, prompt, options and images as a failed or cancelled one (a remix remixes
   * the same video again); the old job stays as it is.
   */
  async recreate(id: string): Promise<VideoJob> {
    const old = this.context.record(id);
    if (old.status !== 'failed' && old.status !== 'cancelled') {
      throw new HubError({
        kind: 'invalid_input',
        message: 'Only a failed or cancelled job can be tried again as a new job.',
        reason: { code: 'videoRetryNeedsEnded', values: {} },
      });
    }
    const remixOf = remixSourceOf(old);
    if (remixOf) {
      const record = this.insertSubmitting({
        vendor: old.vendor,
        model: old.model,
        prompt: old.prompt,
        params: { ...vendorOptionsOf(old.params), remixOf },
        parentId: old.parentId,
      });
      return this.submit(record.id, (client, signal) => soraRemix(client, remixOf, old.prompt, signal));
    }
    const request = createRequestOf(old);
    const parsed = videoCreateRequestSchema.safeParse(request);
    if (!parsed.success) {
      throw new HubError({
        ...invalidInput(parsed.error.issues, request),
        reason: { code: 'videoRetryNotValid', values: {} },
      });
    }
    return this.create(parsed.data);
  }

  /** Sends again a create that got no answer or was refused; only when the user asks. */
  async retryCreate(id: string): Promise<VideoJob> {
    const record = this.context.record(id);
    const retryable =
      (record.status === 'submitting' && !this.creates.has(id)) ||
      (record.status === 'failed' && !record.remoteId);
    if (!retryable) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'Only a create that got no answer, or was refused, can be sent again.',
        reason: { code: 'videoResendNeedsNoAnswer', values: {} },
      });
    }
    const options = vendorOptionsOf(record.params);
    const remixOf = typeof record.params.remixOf === 'string' ? record.params.remixOf : null;
    const imagePath = typeof record.params.imagePath === 'string' ? record.params.imagePath : undefined;
    const imageTailPath =
      typeof record.params.imageTailPath === 'string' ? record.params.imageTailPath : undefined;
    const images = remixOf ? {} : await readImages(record.vendor, options, imagePath, imageTailPath);
    this.context.save(id, { status: 'submitting', error: null, updatedAt: this.context.now() });
    if (remixOf)
      return this.submit(id, (client, signal) => soraRemix(client, remixOf, record.prompt, signal));
    const input: VideoCreateInput = {
      model: record.model,
      prompt: record.prompt,
      options,
      image: images.image,
      imageTail: images.imageTail,
    };
    return this.submit(id, (client, signal) => createRemoteVideo(client, record.vendor, input, signal));
  }

  private insertSubmitting(
    fields: Pick<VideoRecord, 'vendor' | 'model' | 'prompt' | 'params' | 'parentId'>,
  ): VideoRecord {
    const now = this.context.now();
    const record = this.context.repo.insert(
      newVideoRecord({
        ...fields,
        remoteId: null,
        status: 'submitting',
        createdAt: now,
        updatedAt: now,
        submittedAt: null,
      }),
    );
    this.context.emit(record);
    return record;
  }

  private async submit(id: string, send: Send): Promise<VideoJob> {
    const { context } = this;
    if (context.closed) {
      throw new HubError({
        kind: 'cancelled',
        message: 'HubDesk is closing.',
        reason: { code: 'videoClosing', values: {} },
      });
    }
    const controller = new AbortController();
    this.creates.set(id, controller);
    const run = (async () => {
      try {
        const state = await send(context.deps.client(), controller.signal);
        const existing = context.repo.byRemote(context.record(id).vendor, state.remoteId);
        if (existing && existing.id !== id) {
          throw new HubError({
            kind: 'server',
            message: 'The vendor answered with the id of another job.',
            reason: { code: 'videoIdOfAnotherJob', values: {} },
          });
        }
        this.polling.begin(id);
        this.polling.apply(id, state, { submittedAt: context.now() });
      } catch (error) {
        const info = toAppError(error);
        if (isDefiniteRefusal(info)) {
          context.save(id, { status: 'failed', error: errorOf(info) });
          context.deps.notify?.({
            kind: 'video-refused',
            error: info.message,
            ...(info.reason ? { reason: info.reason } : {}),
          });
        } else {
          context.save(id, {
            error: {
              code: 'no_answer',
              message: `No answer to the create request (${info.message}) It may or may not have been created: check, then send it again if needed.`,
              ...(info.reason ? { reason: info.reason } : {}),
            },
          });
        }
      } finally {
        this.creates.delete(id);
      }
    })();
    context.track(run);
    await run;
    return publicJob(context.record(id));
  }
}

async function readImages(
  vendor: VideoVendor,
  options: Record<string, unknown>,
  imagePath: string | undefined,
  imageTailPath: string | undefined,
): Promise<{ image?: VideoImage; imageTail?: VideoImage }> {
  const images: { image?: VideoImage; imageTail?: VideoImage } = {};
  if (imagePath) images.image = await readVideoImage(imagePath, 'imagePath');
  if (imageTailPath) images.imageTail = await readVideoImage(imageTailPath, 'imageTailPath');
  if (vendor === 'sora' && images.image?.width && images.image.height) {
    const size = typeof options.size === 'string' ? options.size : '720x1280';
    const actual = `${images.image.width}x${images.image.height}`;
    if (actual !== size) {
      throw new HubError({
        kind: 'invalid_input',
        message: `The image is ${actual}; Sora needs it to match the video size ${size}.`,
        field: 'imagePath',
        reason: { code: 'videoImageSize', values: { actual, size } },
      });
    }
  }
  return images;
}
