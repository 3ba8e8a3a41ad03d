import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VideoService } from '../src/main/services/videos/video-service';
import type { VideoJob } from '../src/shared/videos/job';
import { startVideoHarness, type VideoHarness } from './video-harness';

let h: VideoHarness;

beforeAll(async () => {
  h = await startVideoHarness();
});
afterAll(async () => {
  await h?.close();
});

const inLibrary = (relative: string | null) => existsSync(join(h.core.paths.libraryDir, relative ?? '\0'));
const soraCreates = () => h.requestsTo('/v1/videos', 'POST').filter((r) => r.path === '/v1/videos');

describe('creates are never re-sent without the user', () => {
  it('a reset connection leaves the job submitting with an error, sent once, even after a restart', async () => {
    h.proxy.addFault({ match: '/v1/videos', method: 'POST', fault: { type: 'reset' } });
    const before = soraCreates().length;
    const job = await h.core.videos.create({
      vendor: 'sora',
      model: 'sora-2',
      prompt: 'lost answer',
      options: {},
    });
    expect(job.status).toBe('submitting');
    expect(job.error?.code).toBe('no_answer');
    expect(soraCreates().length).toBe(before + 1);
    await h.reopen();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.core.videos.get(job.id).status).toBe('submitting');
    expect(soraCreates().length).toBe(before + 1);

    const retried = await h.invoke<VideoJob>('videos.retryCreate', { id: job.id });
    expect(retried.status).toBe('queued');
    expect(retried.error).toBeNull();
    expect(soraCreates().length).toBe(before + 2);
    expect((await h.waitSettled(job.id)).status).toBe('succeeded');
  });

  it('a create that hangs is visible as submitting, and a restart does not send it again', async () => {
    h.proxy.addFault({ match: '/seedance/v3', method: 'POST', fault: { type: 'hang' } });
    const creates = () => h.requestsTo('/seedance/v3/contents/generations/tasks', 'POST').length;
    const before = creates();
    const pending = h.core.videos.create({
      vendor: 'seedance',
      model: 'doubao-seedance-1-0-pro-250528',
      prompt: 'hangs',
      options: {},
    });
    while (creates() === before) await new Promise((resolve) => setTimeout(resolve, 10));
    const row = h.core.videos.list({ query: 'hangs' })[0];
    expect(row?.status).toBe('submitting');
    await h.reopen(); // the app quits while the request is out
    await pending.catch(() => undefined);
    const after = h.core.videos.get(row?.id ?? '');
    expect(after.status).toBe('submitting');
    expect(after.error?.message).toMatch(/may or may not have been created/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(creates()).toBe(before + 1);
  });

  it('a refusal (400) ends failed, with the proxy message, and is not re-sent', async () => {
    h.proxy.addFault({
      match: '/kling/v1/videos/text2video',
      method: 'POST',
      fault: { type: 'kling-code', code: 1102, message: 'balance not enough' },
    });
    const before = h.requestsTo('/kling/v1/videos/text2video', 'POST').length;
    const job = await h.core.videos.create({
      vendor: 'kling',
      model: 'kling-v1',
      prompt: 'broke',
      options: {},
    });
    expect(job.status).toBe('failed');
    expect(job.error?.message).toContain('balance not enough');
    expect(h.requestsTo('/kling/v1/videos/text2video', 'POST').length).toBe(before + 1);
  });

  it('an image that is not an image is refused before any row or request', async () => {
    const before = h.proxy.requests.length;
    await expect(
      h.invoke('videos.create', {
        vendor: 'veo',
        model: 'veo-3.0-generate-001',
        prompt: 'p',
        options: {},
        imagePath: __filename,
      }),
    ).rejects.toMatchObject({ info: { kind: 'invalid_input' } });
    await expect(
      h.invoke('videos.create', {
        vendor: 'sora',
        model: 'sora-2',
        prompt: 'p',
        options: { size: '720x1280' },
        imagePath: join(import.meta.dirname, 'fixtures/thumbnail.png'),
      }),
    ).rejects.toMatchObject({ info: { kind: 'invalid_input', field: 'imagePath' } });
    expect(h.proxy.requests.length).toBe(before);
  });
});

describe('remix, delete, undo, sync', () => {
  let parent: VideoJob;
  let child: VideoJob;

  it('remix makes a new job linked to its parent; the lineage shows both', async () => {
    parent = await h.waitSettled(
      (await h.core.videos.create({ vendor: 'sora', model: 'sora-2', prompt: 'original cat', options: {} }))
        .id,
    );
    child = await h.invoke<VideoJob>('videos.remix', { id: parent.id, prompt: 'the same cat, in space' });
    expect(child.parentId).toBe(parent.id);
    expect(h.requestsTo(`/v1/videos/${parent.remoteId}/remix`, 'POST')[0]?.json).toEqual({
      prompt: 'the same cat, in space',
    });
    child = await h.waitSettled(child.id);
    expect(child.status).toBe('succeeded');
    const lineage = await h.invoke<VideoJob[]>('videos.lineage', { id: child.id });
    expect(lineage.map((job) => job.id)).toEqual([parent.id, child.id]);
  });

  it('Retry makes a new job like a failed one (a remix remixes the same video again); the failed one stays', async () => {
    const failed = await h.waitSettled(
      (await h.invoke<VideoJob>('videos.remix', { id: parent.id, prompt: 'the cat again [fail]' })).id,
    );
    expect(failed.status).toBe('failed');
    const remixes = () => h.requestsTo(`/v1/videos/${parent.remoteId}/remix`, 'POST').length;
    const before = remixes();
    const again = await h.invoke<VideoJob>('videos.recreate', { id: failed.id });
    expect(again.id).not.toBe(failed.id);
    expect(again).toMatchObject({ parentId: parent.id, prompt: failed.prompt, model: failed.model });
    expect(remixes()).toBe(before + 1);
    expect(h.core.videos.get(failed.id)).toMatchObject({ status: 'failed', remoteId: failed.remoteId });
    await h.waitSettled(again.id);
    await expect(h.invoke('videos.recreate', { id: parent.id })).rejects.toMatchObject({
      info: { kind: 'invalid_input' },
    });
  });

  it('delete local keeps the job and moves the file to the trash; undo puts it back', async () => {
    const file = parent.localFile;
    expect(inLibrary(file)).toBe(true);
    const { job, undoUntil } = await h.invoke<{ job: VideoJob; undoUntil: number }>('videos.delete', {
      id: parent.id,
      scope: 'local',
    });
    expect(job.localFile).toBeNull();
    expect(job.download).toBe('none');
    expect(inLibrary(file)).toBe(false);
    expect(undoUntil).toBeGreaterThan(Date.now());
    expect(h.core.videos.list().some((j) => j.id === parent.id)).toBe(true);
    const restored = await h.invoke<VideoJob>('videos.undoDelete', { id: parent.id });
    expect(restored.localFile).toBe(file);
    expect(inLibrary(file)).toBe(true);
  });

  it('delete remote (Sora) asks the vendor and keeps the local copy', async () => {
    const { job } = await h.invoke<{ job: VideoJob }>('videos.delete', { id: child.id, scope: 'remote' });
    expect(job.remoteDeleted).toBe(true);
    expect(h.requestsTo(`/v1/videos/${child.remoteId}`, 'DELETE')).toHaveLength(1);
    expect(inLibrary(job.localFile)).toBe(true);
  });

  it('delete both removes row and file together; undo brings back both', async () => {
    const file = parent.localFile;
    await h.invoke('videos.delete', { id: parent.id, scope: 'both' });
    expect(h.requestsTo(`/v1/videos/${parent.remoteId}`, 'DELETE')).toHaveLength(1);
    expect(h.core.videos.list().some((j) => j.id === parent.id)).toBe(false);
    expect(inLibrary(file)).toBe(false);
    const restored = await h.invoke<VideoJob>('videos.undoDelete', { id: parent.id });
    expect(restored.deletedAt).toBeNull();
    expect(inLibrary(file)).toBe(true);
    expect(h.core.videos.list().some((j) => j.id === parent.id)).toBe(true);
  });

  it('a failed remote delete changes nothing', async () => {
    const job = await h.waitSettled(
      (await h.core.videos.create({ vendor: 'sora', model: 'sora-2', prompt: 'keep me', options: {} })).id,
    );
    h.proxy.addFault({
      match: `/v1/videos/${job.remoteId}`,
      method: 'DELETE',
      fault: { type: 'status', status: 400 },
    });
    await expect(h.invoke('videos.delete', { id: job.id, scope: 'both' })).rejects.toMatchObject({
      info: { kind: 'bad_request' },
    });
    const after = h.core.videos.get(job.id);
    expect(after.deletedAt).toBeNull();
    expect(after.remoteDeleted).toBe(false);
    expect(inLibrary(after.localFile)).toBe(true);
  });

  it('old trash is purged at start: row and file go together', async () => {
    const victim = await h.waitSettled(
      (await h.core.videos.create({ vendor: 'kling', model: 'kling-v1', prompt: 'purge me', options: {} }))
        .id,
    );
    const { job } = await h.core.videos.delete(victim.id, 'both');
    await h.reopen();
    expect(h.core.videos.get(victim.id).deletedAt).toBe(job.deletedAt); // within the undo window: kept
    const trashed = join(h.core.paths.libraryDir, '.trash');
    expect(existsSync(trashed)).toBe(true);
    // A start-up long after: the trash window has passed.
    const later = new VideoService({ ...h.core.videos.deps, now: () => Date.now() + 8 * 24 * 3600 * 1000 });
    later.recover();
    await later.close();
    await expect(h.invoke('videos.get', { id: victim.id })).rejects.toMatchObject({
      info: { kind: 'not_found' },
    });
    expect(existsSync(join(trashed, `${victim.id}-${job.deletedAt}`))).toBe(false);
    expect(h.core.videos.get(parent.id).deletedAt).toBeNull();
  });

  it('sync imports the account videos the library does not know, page by page', async () => {
    await h.reopen();
    // Four videos exist only on the account (made straight at the proxy).
    for (const prompt of ['remote one', 'remote two', 'remote three', 'remote four']) {
      await fetch(`${h.proxy.url}/v1/videos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.proxy.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sora-2', prompt }),
      });
    }
    const known = h.core.videos.list({ vendor: 'sora' }).length;
    h.core.videos.setTiming({ syncPageSize: 3 });
    const result = await h.invoke<{ imported: VideoJob[]; seen: number }>('videos.sync', {});
    expect(result.imported.map((job) => job.prompt).sort()).toEqual([
      'remote four',
      'remote one',
      'remote three',
      'remote two',
    ]);
    expect(h.core.videos.list({ vendor: 'sora' }).length).toBe(known + 4);
    const lists = h.requestsTo('/v1/videos?', 'GET');
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(lists[0]?.path).not.toContain('after=');
    expect(lists[1]?.path).toMatch(/after=video_/);
    const again = await h.invoke<{ imported: VideoJob[] }>('videos.sync', {});
    expect(again.imported).toEqual([]);
    await h.waitSettled(result.imported[0]?.id ?? '');
  });
});
