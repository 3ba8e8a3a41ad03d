/** A video's download error is kept with its reason, so the window can word it; old rows read as their message. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { newVideoRecord } from '../src/main/services/videos/context';
import { openDatabase } from '../src/main/store/database';
import { VideosRepo } from '../src/main/store/videos-repo';
import { encodeStoredError } from '../src/shared/error-reasons';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('stores the message and its reason, and reads an old plain message back as it is', async () => {
  dir = await mkdtemp(join(tmpdir(), 'hubdesk-video-error-'));
  const db = openDatabase(join(dir, 'hubdesk.sqlite'));
  try {
    const videos = new VideosRepo(db);
    const job = videos.insert(
      newVideoRecord({
        vendor: 'sora',
        remoteId: 'video_1',
        model: 'sora-2',
        prompt: 'boat',
        params: {},
        status: 'succeeded',
        parentId: null,
        createdAt: 1_700_000_000_000,
        updatedAt: 1_700_000_000_000,
        submittedAt: null,
      }),
    );
    const reason = { code: 'http401' as const, values: { status: 401 } };
    const failed = videos.update(job.id, {
      download: 'failed',
      downloadError: encodeStoredError('The proxy refused the API token (401).', reason),
    });
    expect(failed).toMatchObject({
      downloadError: 'The proxy refused the API token (401).',
      downloadReason: reason,
    });

    db.prepare('UPDATE video_jobs SET download_error = ? WHERE id = ?').run('{disk gone', job.id);
    expect(videos.get(job.id)?.downloadError).toBe('{disk gone');
    expect(videos.get(job.id)?.downloadReason).toBeUndefined();
  } finally {
    db.close();
  }
});
